"""The pure parts of the NLG benchmark: its report from the timings, and the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.benchmarks import nlg

VARIANTS = ("with_nlg", "with_nlg_stock_client", "without_nlg")
GENERATORS = ("our_client", "stock_client", "domain_yml_in_rasa")


def report(scale: float = 1.0) -> dict:
    rest = {
        "turns": {name: [10.0 * scale, 20.0 * scale, 30.0 * scale] for name in VARIANTS},
        "per_message": {name: [5.0, 10.0] for name in VARIANTS},
        "paired": {"with_nlg": [1.0, 2.0, 3.0], "with_nlg_stock_client": [4.0, 6.0]},
        "messages": dict.fromkeys(VARIANTS, 6),
    }
    alone = {
        "kept_alive": [1.0, 2.0],
        "fresh": [3.0, 4.0],
        "in_process": [0.5],
        "generators": {"our_client": [2.0], "stock_client": [5.0], "domain_yml_in_rasa": [1.0]},
    }
    return nlg.build_report(4, rest, alone)


def test_report_summarises_every_timing() -> None:
    data = report(scale=2.0)
    assert data["turn"]["with_nlg"] == {"n": 3, "median_ms": 40.0, "mean_ms": 40.0, "p95_ms": 58.0}
    assert data["added_per_bot_message_median_ms"] == {
        "with_nlg": 2.0,
        "with_nlg_stock_client": 5.0,
    }
    assert data["added_in_rasa_median_ms"] == {"our_client": 1.0, "stock_client": 4.0}
    assert data["nlg_direct_new_connection"]["median_ms"] == 3.5


def test_written_report_has_a_row_per_measurement(tmp_path: Path) -> None:
    nlg.write(report(), tmp_path)
    markdown = (tmp_path / "nlg_latency.md").read_text()
    for label, _ in nlg.ROWS:
        assert f"| {label} |" in markdown
    assert "| REST turn, no NLG (domain.yml in Rasa) | 3 | 20.00 | 20.00 | 29.00 |" in markdown
    assert "**2.00 ms** with our client" in markdown
    assert (tmp_path / "nlg_latency.json").exists()


def test_a_missing_measurement_is_an_error_not_a_blank_row() -> None:
    data = report()
    del data["generator_in_rasa"]["stock_client"]
    with pytest.raises(KeyError):
        nlg.table(data)
