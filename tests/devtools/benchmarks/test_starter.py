"""The pure parts of the starter benchmark: figures, ratios, parsing /proc and the reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devtools.benchmarks import machine, starter
from devtools.benchmarks import starter_report as benchmark
from devtools.benchmarks.starter_report import BotResult, Latency


def result(name: str, scale: float) -> BotResult:
    return BotResult(
        name=name,
        description=f"the {name} bot.",
        train_s=10.0 * scale,
        start_s=5.0 * scale,
        rasa_rss_mib=400.0 * scale,
        stack_rss_mib=500.0 * scale,
        rasa_pss_mib=380.0 * scale,
        stack_pss_mib=450.0 * scale,
        product_rss_mib=480.0 * scale,
        product_pss_mib=430.0 * scale,
        processes=2,
        services=["rasa"],
        latency=Latency(
            count=50,
            median_ms=20.0 * scale,
            p90_ms=30.0 * scale,
            p95_ms=35.0 * scale,
            max_ms=80.0 * scale,
        ),
    )


def report(council_scale: float = 2.0) -> dict:
    return benchmark.build_report(
        result("council", council_scale),
        result("starter", 1.0),
        {"date": "2026-11-26 16:00 UTC", "nproc": 2, "rasa": "3.6.21"},
        starter.method_notes(50),
    )


def test_summarize_gives_median_p90_p95_max() -> None:
    summary = benchmark.summarize([float(v) for v in range(1, 101)], empty_replies=3)
    assert summary.count == 100
    assert summary.median_ms == pytest.approx(50.5)
    assert summary.p90_ms == pytest.approx(90.1)
    assert summary.p95_ms == pytest.approx(95.05)
    assert summary.max_ms == 100.0
    assert summary.empty_replies == 3


def test_ratios_cover_every_figure() -> None:
    ratios = benchmark.ratios(result("council", 2.0), result("starter", 1.0))
    assert set(ratios) == {key for key, _, _ in benchmark.FIGURES}
    assert all(value == pytest.approx(2.0) for value in ratios.values())


def test_scripted_messages_replay_with_a_new_sender_each_time() -> None:
    messages = starter.scripted_messages(["hi", "bye"], 5, "run")
    assert messages == [
        ("run-0", "hi"),
        ("run-0", "bye"),
        ("run-1", "hi"),
        ("run-1", "bye"),
        ("run-2", "hi"),
    ]


def test_parse_proc_files() -> None:
    status = "Name:\tpython\nVmPeak:\t  900 kB\nVmRSS:\t  123456 kB\nThreads:\t4\n"
    assert machine.parse_vmrss_kib(status) == 123456
    assert machine.parse_vmrss_kib("Name:\tzombie\nState:\tZ (zombie)\n") is None
    assert machine.parse_ppid("4242 (rasa run (x)) S 17 4242 4242 0 -1") == 17


def test_table_and_markdown_show_every_figure_and_ratio() -> None:
    data = report()
    table = benchmark.render_table(data)
    markdown = benchmark.render_markdown(data)
    for _, label, _ in benchmark.FIGURES:
        assert label in table
        assert label in markdown
    assert "2.00×" in table
    assert "| Latency median | 40.0 ms | 20.0 ms | 2.00× |" in markdown
    assert "| Rasa server RSS after warm-up | 800 MiB | 400 MiB | 2.00× |" in markdown
    assert "- nproc: 2" in markdown
    assert "2026-11-26 16:00 UTC" in markdown
    assert "'how do I pay my council tax'" in markdown
    assert "(2 processes after warm-up)" in markdown


def test_missing_ratio_reads_n_a() -> None:
    data = report(council_scale=1.0)
    data["ratios"]["train_s"] = None
    assert "n/a" in benchmark.render_table(data)


def test_write_reports(tmp_path: Path) -> None:
    markdown, data = benchmark.write_reports(report(), tmp_path / "out")
    assert markdown.read_text(encoding="utf-8").startswith("# Benchmark")
    loaded = json.loads(data.read_text(encoding="utf-8"))
    assert loaded["ratios"]["median_ms"] == pytest.approx(2.0)
    assert loaded["bots"]["starter"]["latency"]["p95_ms"] == 35.0


ROLLUP = """55d4c2a1e000-7ffd5a3f1000 ---p 00000000 00:00 0                          [rollup]
Rss:               81234 kB
Pss:               60321 kB
Pss_Anon:          50000 kB
Shared_Clean:      20000 kB
Private_Clean:      1200 kB
Private_Dirty:     55000 kB
"""


def test_smaps_rollup_fields_are_read_in_kib() -> None:
    fields = machine.parse_rollup_kib(ROLLUP)
    assert fields["Rss"] == 81234 and fields["Pss"] == 60321
    assert fields["Private_Clean"] + fields["Private_Dirty"] == 56200
    assert "[rollup]" not in str(fields)


def test_this_processs_pss_lies_between_its_private_pages_and_its_rss() -> None:
    import os

    memory = machine.memory_mib([os.getpid()])
    assert 0 < memory["uss_mib"] <= memory["pss_mib"] <= memory["rss_mib"]


def test_the_product_total_leaves_out_the_fakes() -> None:
    services = {
        "rasa": {"rss_mib": 800.0, "pss_mib": 700.0, "uss_mib": 650.0, "processes": 1},
        "nlg": {"rss_mib": 60.0, "pss_mib": 40.0, "uss_mib": 30.0, "processes": 1},
        "demo-backoffice": {"rss_mib": 70.0, "pss_mib": 50.0, "uss_mib": 45.0, "processes": 2},
    }
    for name, figures in services.items():
        figures["fake"] = name in machine.FAKE_SERVICES
    found = benchmark.memory_figures(services)
    assert (found["stack_rss_mib"], found["stack_pss_mib"]) == (930.0, 790.0)
    assert (found["product_rss_mib"], found["product_pss_mib"]) == (860.0, 740.0)
    assert (found["rasa_rss_mib"], found["rasa_pss_mib"], found["processes"]) == (800.0, 700.0, 4)
    section = "\n".join(benchmark.memory_section(found["memory"]))
    assert "| demo-backoffice | fake | 2 | 70 | 50 | 45 |" in section
    assert "| rasa | product | 1 | 800 | 700 | 650 |" in section


def test_the_starter_runs_rasas_own_server_and_the_council_ours(tmp_path: Path) -> None:
    from assistant.settings import Settings
    from devtools.benchmarks.preparing import Trained

    trained = Trained(tmp_path / "starter", Settings.from_env(), {})
    council, starter_bot = starter.make_bots(trained, tmp_path, tmp_path / "logs")
    [starter_rasa] = starter_bot.stack.services
    council_rasa = next(s for s in council.stack.services if s.name == "rasa")
    assert starter_rasa.command[1:4] == ["-m", "rasa", "run"]
    assert council_rasa.command[1:4] == ["-m", "assistant.rasa_plugins.server", "run"]
