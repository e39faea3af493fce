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
