"""The benchmark: the council stack beside Rasa's own starter assistant, in one run.

`python -m assistant benchmark` builds Rasa's starter project in a temporary
directory, trains both assistants with the same `rasa train --force` command
(timed), starts each on free loopback ports until `GET /` answers (timed; for
the council, the whole of `assistant_services`), warms both up, reads their
resident memory, then sends the same number of REST messages to each,
alternating council, starter, council, starter... so machine noise falls on both
alike. It writes `benchmark.md` and `benchmark.json` and prints a summary table.

Nothing outside the temporary directory is written except the two reports: the
council model is trained into a temporary models directory with its own Rasa
cache, and both servers keep their conversations in temporary SQLite files.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

import requests

from assistant.settings import PROJECT_ROOT, Settings, free_port, isolated
from devtools.supervisor.services import assistant_services, rasa_service, write_endpoints
from devtools.supervisor.stack import QUIET_ENV, Stack, StackError, python_module

LOOPBACK = "127.0.0.1"
WARMUP_MESSAGES = 6
TRAIN_TIMEOUT = 1800.0  # seconds, per assistant
START_TIMEOUT = 300.0  # seconds, per stack
REQUEST_TIMEOUT = 60.0  # seconds, per message

COUNCIL_METADATA = {"council": "brackenbury"}
# One conversation each; a new sender starts each time the script restarts.
COUNCIL_SCRIPT = (
    "hello",
    "how do I pay my council tax",
    "when is my bin collected",
    "what's the weather going to be like tomorrow",
    "thanks",
    "bye",
)
STARTER_SCRIPT = (
    "hello",
    "I am sad",
    "yes",
    "are you a bot?",
    "I am feeling great",
    "bye",
)


class BenchmarkError(RuntimeError):
    """A step of the benchmark failed, so its figures would be meaningless."""


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


@dataclass
class Bot:
    """A running assistant the latency loop talks to."""

    name: str
    stack: Stack
    rasa_url: str
    script: Sequence[str]
    metadata: Mapping[str, str] | None = None


# (key in `figures()`, label, unit) in report order.
FIGURES = (
    ("train_s", "Training time (`rasa train --force`)", "s"),
    ("start_s", "Start time (spawn until every service answers)", "s"),
    ("rasa_rss_mib", "Rasa server RSS after warm-up", "MiB"),
    ("stack_rss_mib", "Whole stack RSS after warm-up", "MiB"),
    ("median_ms", "Latency median", "ms"),
    ("p90_ms", "Latency p90", "ms"),
    ("p95_ms", "Latency p95", "ms"),
    ("max_ms", "Latency max", "ms"),
)


# --- pure parts -----------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolating linearly between closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {q}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(latencies_ms: Sequence[float], empty_replies: int = 0) -> Latency:
    """Median, p90, p95 and max of the latencies."""
    return Latency(
        count=len(latencies_ms),
        median_ms=percentile(latencies_ms, 50),
        p90_ms=percentile(latencies_ms, 90),
        p95_ms=percentile(latencies_ms, 95),
        max_ms=max(latencies_ms),
        empty_replies=empty_replies,
    )


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def figures(result: BotResult) -> dict[str, float]:
    """The comparable figures of one assistant, keyed as in FIGURES."""
    latency = asdict(result.latency)
    own = asdict(result)
    return {key: float(own[key] if key in own else latency[key]) for key, _, _ in FIGURES}


def ratios(council: BotResult, starter: BotResult) -> dict[str, float | None]:
    """council / starter for every figure."""
    council_figures, starter_figures = figures(council), figures(starter)
    return {key: ratio(council_figures[key], starter_figures[key]) for key, _, _ in FIGURES}


def scripted_messages(script: Sequence[str], count: int, prefix: str) -> list[tuple[str, str]]:
    """`count` (sender, text) pairs replaying `script`, a new sender for each replay."""
    return [(f"{prefix}-{i // len(script)}", script[i % len(script)]) for i in range(count)]


def parse_vmrss_kib(status: str) -> int | None:
    """VmRSS in KiB from the text of /proc/<pid>/status (None for a zombie)."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def parse_ppid(stat: str) -> int:
    """The parent pid from the text of /proc/<pid>/stat (the name may hold spaces)."""
    return int(stat.rsplit(")", 1)[1].split()[1])


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


def write_reports(report: Mapping[str, Any], out_dir: Path) -> tuple[Path, Path]:
    """Write benchmark.md and benchmark.json into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    markdown, data = out_dir / "benchmark.md", out_dir / "benchmark.json"
    markdown.write_text(render_markdown(report), encoding="utf-8")
    data.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return markdown, data


# --- processes and memory -------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """`root` and every live descendant of it, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parents[int(entry.name)] = parse_ppid((entry / "stat").read_text())
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    tree, frontier = [root], [root]
    while frontier:
        children = [pid for pid, ppid in parents.items() if ppid in frontier]
        tree += children
        frontier = children
    return tree


def rss_mib(pids: Sequence[int]) -> float:
    """The summed VmRSS of `pids` in MiB (shared pages count once per process)."""
    total_kib = 0
    for pid in pids:
        try:
            total_kib += parse_vmrss_kib(Path(f"/proc/{pid}/status").read_text()) or 0
        except OSError:
            continue
    return total_kib / 1024


def stack_pids(stack: Stack, name: str | None = None) -> list[int]:
    """The processes of the stack's services (or of the one called `name`)."""
    pids: list[int] = []
    for service in stack.services:
        if service.process is not None and (name is None or service.name == name):
            pids += process_tree(service.process.pid)
    return pids


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Let `kill` stop the benchmark through its finally blocks, like Ctrl-C."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --- steps ----------------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    """The environment of every process the benchmark runs itself (not via Stack)."""
    # QUIET_ENV turns telemetry off
    return Settings.from_env().child_environment(**QUIET_ENV, **extra)


def _log_tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def run_logged(
    what: str, command: Sequence[str], cwd: Path, env: Mapping[str, str], log: Path
) -> float:
    """Run `command` (described as `what`) with its output in `log`; the wall-clock
    seconds it took."""
    started = time.monotonic()
    with log.open("wb") as output:
        try:
            completed = subprocess.run(
                list(command),
                cwd=cwd,
                env=dict(env),
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=TRAIN_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise BenchmarkError(f"{what} took over {TRAIN_TIMEOUT:.0f}s") from None
    elapsed = time.monotonic() - started
    if completed.returncode != 0:
        raise BenchmarkError(f"{what} failed with code {completed.returncode}:\n{_log_tail(log)}")
    return elapsed


def create_starter(path: Path, log: Path) -> Path:
    """Rasa's starter project in `path`: the files `rasa init --no-prompt` writes.

    Called through rasa's own scaffold function rather than `rasa init`, which
    would also train a model we would throw away before the timed training.
    """
    path.mkdir(parents=True, exist_ok=True)
    code = "import sys; from rasa.cli.scaffold import create_initial_project as c; c(sys.argv[1])"
    command = [sys.executable, "-c", code, str(path)]
    run_logged("creating the starter project", command, path, child_env(), log)
    return path


def train_assistant(project: Path, models_dir: Path, cache_dir: Path, log: Path) -> float:
    """Train `project` with `rasa train --force` into `models_dir`; the seconds it took."""
    command = python_module(
        "rasa",
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        "data",
        "--out",
        str(models_dir),
        "--force",
    )
    env = child_env(RASA_CACHE_DIRECTORY=str(cache_dir))
    return run_logged(f"training {project}", command, project, env, log)


def write_tracker_endpoints(path: Path, tracker_db: Path) -> Path:
    """An endpoints file with only a SQLite tracker store (the starter needs no actions)."""
    path.write_text(
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker_db}\n", encoding="utf-8"
    )
    return path


def start(stack: Stack) -> float:
    """Start `stack`; the seconds from the first spawn until every service answered."""
    started = time.monotonic()
    stack.start(timeout=START_TIMEOUT)
    return time.monotonic() - started


def send(session: requests.Session, bot: Bot, sender: str, text: str) -> tuple[float, bool]:
    """Send one REST message; (milliseconds, whether the reply was empty)."""
    body: dict[str, Any] = {"sender": sender, "message": text}
    if bot.metadata is not None:
        body["metadata"] = dict(bot.metadata)
    started = time.perf_counter()
    try:
        response = session.post(
            f"{bot.rasa_url}/webhooks/rest/webhook", json=body, timeout=REQUEST_TIMEOUT
        )
    except requests.RequestException as error:
        raise BenchmarkError(f"{bot.name}: {text!r} failed: {error}") from None
    elapsed_ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise BenchmarkError(f"{bot.name}: {text!r} got {response.status_code}: {response.text}")
    return elapsed_ms, not response.json()


def converse(bots: Sequence[Bot], count: int, prefix: str) -> dict[str, Latency]:
    """`count` messages to each bot, alternating between bots message by message."""
    plans = {bot.name: scripted_messages(bot.script, count, f"{prefix}-{bot.name}") for bot in bots}
    timings: dict[str, list[float]] = {bot.name: [] for bot in bots}
    empty = dict.fromkeys(timings, 0)
    with requests.Session() as session:
        for index in range(count):
            for bot in bots:
                sender, text = plans[bot.name][index]
                elapsed_ms, was_empty = send(session, bot, sender, text)
                timings[bot.name].append(elapsed_ms)
                empty[bot.name] += was_empty
    return {name: summarize(values, empty[name]) for name, values in timings.items()}


def machine_facts() -> dict[str, Any]:
    """The machine and software the figures were measured on."""

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "not installed"

    def first_line(path: str, prefix: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": first_line("/proc/cpuinfo", "model name"),
        "memory": first_line("/proc/meminfo", "MemTotal"),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "rasa": version("rasa"),
        "rasa-sdk": version("rasa-sdk"),
        "tensorflow": version("tensorflow"),
        "load average at start (1/5/15 min)": load_average(),
        "source": git_revision(),
    }


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (the machine is shared)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def git_revision() -> str:
    """The commit measured, marked when the working tree had changes."""
    try:
        completed = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"git {completed.stdout.strip()}"


def method_notes(messages: int) -> dict[str, Any]:
    """How the figures were measured, for the report."""
    return {
        "messages": messages,
        "warmup_messages": WARMUP_MESSAGES,
        "council_script": list(COUNCIL_SCRIPT),
        "starter_script": list(STARTER_SCRIPT),
        "council_metadata": COUNCIL_METADATA,
        "notes": [
            "Both assistants are trained by the same command, `rasa train --config config.yml "
            "--domain domain.yml --data data --out <tmp> --force`, one after the other, each with "
            "an empty Rasa cache, quiet logging and telemetry off.",
            "The starter is the project `rasa init --no-prompt` creates, unchanged (its default "
            "pipeline and policies, its credentials), with no action server.",
            "Start time runs from spawning the first process until every service's health URL "
            "answers (Rasa: `GET /`, which answers once the model is loaded); polled every "
            "0.25 s. The council figure covers its whole stack, started as `make run` starts it.",
            "Both Rasa servers keep conversations in a temporary SQLite tracker store, listen on "
            "free loopback ports and use the REST channel.",
            f"RSS is VmRSS from /proc/<pid>/status summed over each process and its children, "
            f"read after {WARMUP_MESSAGES} warm-up messages per assistant; pages shared between "
            "processes are counted once per process.",
            f"Latency is wall-clock time for `POST /webhooks/rest/webhook` from this process, "
            f"{messages} messages per assistant after the warm-up, sent one at a time and "
            "alternating council, starter, council, starter, over a keep-alive connection. "
            "The scripts below are replayed with a new sender at each replay.",
            "One run on a shared machine: the load average before and after is recorded above; "
            "read the ratios rather than the absolute figures.",
        ],
    }


# --- the benchmark --------------------------------------------------------------


def benchmark(settings: Settings, messages: int, workdir: Path) -> dict[str, Any]:
    """Train, start and measure both assistants in `workdir`; the report."""
    machine = machine_facts()
    logs = workdir / "logs"
    logs.mkdir(parents=True)

    print("Creating Rasa's starter project...", flush=True)
    starter_dir = create_starter(workdir / "starter", logs / "starter-init.log")
    council = isolated(
        settings, var_dir=workdir / "council-var", models_dir=workdir / "council-models"
    )
    council.var_dir.mkdir(parents=True)

    print("Training the starter assistant...", flush=True)
    starter_train = train_assistant(
        starter_dir, starter_dir / "models", workdir / "starter-cache", logs / "starter-train.log"
    )
    print(f"  {starter_train:.1f}s\nTraining the council model...", flush=True)
    council_train = train_assistant(
        PROJECT_ROOT, council.models_dir, workdir / "council-cache", logs / "council-train.log"
    )
    print(f"  {council_train:.1f}s", flush=True)

    starter = replace(council, models_dir=starter_dir / "models", rasa_port=free_port())
    starter_endpoints = write_tracker_endpoints(
        workdir / "starter-endpoints.yml", workdir / "starter-trackers.db"
    )
    council_endpoints = write_endpoints(
        council, workdir / "council-endpoints.yml", workdir / "council-trackers.db"
    )
    starter_stack = Stack(
        [rasa_service(starter, starter_endpoints, starter_dir / "credentials.yml")],
        log_dir=logs / "starter",
    )
    council_stack = Stack(assistant_services(council, council_endpoints), log_dir=logs / "council")
    bots = [
        Bot("council", council_stack, council.rasa_url, COUNCIL_SCRIPT, COUNCIL_METADATA),
        Bot("starter", starter_stack, starter.rasa_url, STARTER_SCRIPT),
    ]
    try:
        print("Starting the starter assistant...", flush=True)
        starter_start = start(starter_stack)
        print(f"  {starter_start:.1f}s\nStarting the council stack...", flush=True)
        council_start = start(council_stack)
        print(f"  {council_start:.1f}s\nWarming up...", flush=True)
        converse(bots, WARMUP_MESSAGES, f"warmup-{uuid.uuid4().hex[:8]}")
        memory = {
            bot.name: (
                rss_mib(stack_pids(bot.stack, "rasa")),
                rss_mib(stack_pids(bot.stack)),
                len(stack_pids(bot.stack)),
            )
            for bot in bots
        }
        print(f"Sending {messages} messages to each, alternating...", flush=True)
        latency = converse(bots, messages, f"bench-{uuid.uuid4().hex[:8]}")
    finally:
        council_stack.stop()
        starter_stack.stop()
    machine["load average at end (1/5/15 min)"] = load_average()

    def result(
        name: str, description: str, stack: Stack, train_s: float, start_s: float
    ) -> BotResult:
        rasa_rss, stack_rss, processes = memory[name]
        return BotResult(
            name=name,
            description=description,
            train_s=train_s,
            start_s=start_s,
            rasa_rss_mib=rasa_rss,
            stack_rss_mib=stack_rss,
            processes=processes,
            services=[service.name for service in stack.services],
            latency=latency[name],
        )

    return build_report(
        result(
            "council",
            "the shared council model (config.yml) with its action servers and every other "
            "service of `assistant_services`; metadata "
            f"{json.dumps(COUNCIL_METADATA)} on each message.",
            council_stack,
            council_train,
            council_start,
        ),
        result(
            "starter",
            "Rasa's `rasa init` project (moodbot), Rasa server only.",
            starter_stack,
            starter_train,
            starter_start,
        ),
        machine,
        method_notes(messages),
    )


def run(settings: Settings, messages: int, out_dir: Path) -> int:
    """`python -m assistant benchmark`: measure, write the reports, print the table."""
    if messages < 1:
        raise ValueError(f"--messages must be at least 1, not {messages}")
    with sigterm_as_interrupt(), tempfile.TemporaryDirectory(prefix="assistant-bench-") as tmp:
        try:
            report = benchmark(settings, messages, Path(tmp))
        except (BenchmarkError, StackError) as error:
            print(f"benchmark failed: {error}", file=sys.stderr)
            return 1
    markdown, data = write_reports(report, out_dir)
    print(f"\n{render_table(report)}\n\nReports: {markdown}, {data}", flush=True)
    return 0
