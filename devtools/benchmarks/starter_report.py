"""The starter benchmark's report: its figures, the ratios, the table and benchmark.md."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from devtools.benchmarks.load import render_load
from devtools.benchmarks.stats import median, percentile, ratio


@dataclass(frozen=True)
class Latency:
    """Per-message REST latency in milliseconds."""

    count: int
    median_ms: float
    p90_ms: float
    p95_ms: float
    max_ms: float
    empty_replies: int = 0


@dataclass(frozen=True)
class BotResult:
    """Every figure measured for one assistant."""

    name: str
    description: str
    train_s: float
    start_s: float
    rasa_rss_mib: float
    stack_rss_mib: float
    processes: int
    services: list[str]
    latency: Latency
    rasa_pss_mib: float = 0.0
    stack_pss_mib: float = 0.0
    product_rss_mib: float = 0.0
    product_pss_mib: float = 0.0
    memory: dict[str, dict[str, Any]] = field(default_factory=dict)  # per service


def memory_figures(services: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """BotResult's memory fields from `machine.stack_memory`: Rasa's, the whole
    stack's and the product's (the stack without fakes) RSS and PSS."""
    product = [m for m in services.values() if not m["fake"]]
    rasa = services.get("rasa", {})
    return {
        "rasa_rss_mib": rasa.get("rss_mib", 0.0),
        "rasa_pss_mib": rasa.get("pss_mib", 0.0),
        "stack_rss_mib": sum(m["rss_mib"] for m in services.values()),
        "stack_pss_mib": sum(m["pss_mib"] for m in services.values()),
        "product_rss_mib": sum(m["rss_mib"] for m in product),
        "product_pss_mib": sum(m["pss_mib"] for m in product),
        "processes": sum(m["processes"] for m in services.values()),
        "memory": {name: dict(m) for name, m in services.items()},
    }


# (key in `figures()`, label, unit) in report order.
FIGURES = (
    ("train_s", "Training time (`rasa train --force`)", "s"),
    ("start_s", "Start time (spawn until every service answers)", "s"),
    ("rasa_rss_mib", "Rasa server RSS after warm-up", "MiB"),
    ("rasa_pss_mib", "Rasa server PSS after warm-up", "MiB"),
    ("stack_rss_mib", "Whole stack RSS after warm-up", "MiB"),
    ("stack_pss_mib", "Whole stack PSS after warm-up", "MiB"),
    ("product_rss_mib", "Product RSS (without the fakes)", "MiB"),
    ("product_pss_mib", "Product PSS (without the fakes)", "MiB"),
    ("median_ms", "Latency median", "ms"),
    ("p90_ms", "Latency p90", "ms"),
    ("p95_ms", "Latency p95", "ms"),
    ("max_ms", "Latency max", "ms"),
)


def summarize(latencies_ms: Sequence[float], empty_replies: int = 0) -> Latency:
    """Median, p90, p95 and max of the latencies."""
    return Latency(
        count=len(latencies_ms),
        median_ms=median(latencies_ms),
        p90_ms=percentile(latencies_ms, 90),
        p95_ms=percentile(latencies_ms, 95),
        max_ms=max(latencies_ms),
        empty_replies=empty_replies,
    )


def figures(result: BotResult) -> dict[str, float]:
    """The comparable figures of one assistant, keyed as in FIGURES."""
    latency = asdict(result.latency)
    own = asdict(result)
    return {key: float(own[key] if key in own else latency[key]) for key, _, _ in FIGURES}


def ratios(council: BotResult, starter: BotResult) -> dict[str, float | None]:
    """council / starter for every figure."""
    council_figures, starter_figures = figures(council), figures(starter)
    return {key: ratio(council_figures[key], starter_figures[key]) for key, _, _ in FIGURES}


def build_report(
    council: BotResult,
    starter: BotResult,
    machine: Mapping[str, Any],
    method: Mapping[str, Any],
) -> dict[str, Any]:
    """Everything the benchmark found, as written to benchmark.json."""
    return {
        "date": machine.get("date"),
        "machine": dict(machine),
        "method": dict(method),
        "bots": {"council": asdict(council), "starter": asdict(starter)},
        "figures": {"council": figures(council), "starter": figures(starter)},
        "ratios": ratios(council, starter),
    }


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "MiB":
        return f"{value:.0f} {unit}"
    return f"{value:.1f} {unit}"


def _format_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def figure_rows(report: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """(figure, council, starter, council/starter) rows, formatted for reading."""
    council, starter = report["figures"]["council"], report["figures"]["starter"]
    return [
        (
            label,
            _format(council.get(key), unit),
            _format(starter.get(key), unit),
            _format_ratio(report["ratios"].get(key)),
        )
        for key, label, unit in FIGURES
    ]


def render_table(report: Mapping[str, Any]) -> str:
    """A plain-text table of the figures for the terminal."""
    header = ("Figure", "Council", "Starter", "Council/Starter")
    rows = [header, *figure_rows(report)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        return "  ".join(cells)

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows[1:])])


def render_markdown(report: Mapping[str, Any]) -> str:
    """benchmark.md: the figures table, the machine, and how they were measured."""
    machine, method, bots = report["machine"], report["method"], report["bots"]
    lines = [
        "# Benchmark: council assistant beside Rasa's starter assistant",
        "",
        f"Measured {report['date']} by `python -m assistant benchmark` (`make bench`), "
        "one run, both assistants side by side.",
        "",
        "| Figure | Council | Starter | Council/Starter |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in figure_rows(report)),
        "",
        *load_section(report),
        *memory_section(bots["council"].get("memory") or {}),
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in machine.items()),
        "",
        "## What ran",
        "",
    ]
    for key, label in (("council", "Council"), ("starter", "Starter")):
        bot = bots[key]
        latency = bot["latency"]
        lines.append(
            f"- **{label}**: {bot['description']} Services: {', '.join(bot['services'])} "
            f"({_plural(bot['processes'], 'process', 'processes')} after warm-up). "
            f"{latency['count']} timed messages, "
            f"{latency['empty_replies']} with an empty reply."
        )
    lines += ["", "## Method", ""]
    lines += [f"- {item}" for item in method.get("notes", [])]
    lines += [
        "",
        "Messages (council):",
        *(f"  - {text!r}" for text in method.get("council_script", [])),
        "",
        "Messages (starter):",
        *(f"  - {text!r}" for text in method.get("starter_script", [])),
        "",
    ]
    return "\n".join(lines)


def load_section(report: Mapping[str, Any]) -> list[str]:
    """The closed-loop table and how it was run (nothing when there was no load)."""
    rows, plan = report.get("load") or [], report["method"].get("load") or {}
    if not rows:
        return []
    return [
        "## Under load (closed-loop users)",
        "",
        f"Each user sends its next message as soon as the reply comes; {plan.get('rounds')} "
        f"phases of {plan.get('seconds')} s per assistant and user count, alternating council "
        "and starter, each after a 3 s warm-up. The council's users are spread over "
        f"{', '.join(plan.get('scripts', {}))}, each conversation mixing text turns, an "
        "action turn and a back-office turn (or a second action turn where the council has "
        "no back-office reference). Ratios are council/starter: above 1 is more throughput "
        "but slower latency.",
        "",
        *render_load(rows),
        "",
    ]


def memory_section(services: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The council stack's memory by service (nothing when not measured)."""
    if not services:
        return []
    rows = [
        f"| {name} | {'fake' if m['fake'] else 'product'} | {m['processes']} "
        f"| {m['rss_mib']:.0f} | {m['pss_mib']:.0f} | {m['uss_mib']:.0f} |"
        for name, m in sorted(services.items(), key=lambda item: -item[1]["pss_mib"])
    ]
    return [
        "## Council stack memory by service (MiB)",
        "",
        "| service | kind | processes | RSS | PSS | USS |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
        *rows,
        "",
    ]


def render_load_table(report: Mapping[str, Any]) -> str:
    """The closed-loop table for the terminal (markdown)."""
    return "\n".join(render_load(report.get("load") or []))


def write_reports(report: Mapping[str, Any], out_dir: Path) -> tuple[Path, Path]:
    """Write benchmark.md and benchmark.json into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    markdown, data = out_dir / "benchmark.md", out_dir / "benchmark.json"
    markdown.write_text(render_markdown(report), encoding="utf-8")
    data.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return markdown, data
