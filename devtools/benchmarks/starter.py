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

import json
import sys
import tempfile
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import requests

from assistant.isolation import free_port
from assistant.settings import Settings
from devtools.benchmarks.load import COUNCIL_SCRIPTS, LoadResult, Target, load_report, run_load
from devtools.benchmarks.load import STARTER_SCRIPT as STARTER_LOAD_SCRIPT
from devtools.benchmarks.machine import (
    load_average,
    machine_facts,
    sigterm_as_interrupt,
    stack_memory,
)
from devtools.benchmarks.preparing import (
    BenchmarkError,
    Trained,
    train_both,
    write_tracker_endpoints,
)
from devtools.benchmarks.profiling import sampled
from devtools.benchmarks.starter_report import (
    BotResult,
    Latency,
    build_report,
    memory_figures,
    render_load_table,
    render_table,
    summarize,
    write_reports,
)
from devtools.supervisor.services import (
    assistant_services,
    demo_rest_headers,
    rasa_service,
    write_endpoints,
)
from devtools.supervisor.stack import Stack, StackError

LOOPBACK = "127.0.0.1"
WARMUP_MESSAGES = 6
START_TIMEOUT = 900.0  # seconds, per stack (a busy shared machine is slow)
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

COUNCIL = (  # what each assistant is, for the report
    "the shared council model (config.yml) with its action servers and every other "
    "service of `assistant_services`; metadata "
    f"{json.dumps(COUNCIL_METADATA)} on each message."
)
STARTER = "Rasa's `rasa init` project (moodbot), Rasa server only."


@dataclass
class Bot:
    """A running assistant the latency loop talks to."""

    name: str
    stack: Stack
    rasa_url: str
    script: Sequence[str]
    description: str
    metadata: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Measured:
    """What the running assistants gave: start seconds, memory and latency, per bot."""

    start_s: Mapping[str, float]
    memory: Mapping[str, Mapping[str, Mapping[str, Any]]]  # per bot, per service
    latency: Mapping[str, Latency]
    load: Mapping[int, Mapping[str, LoadResult]] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadPlan:
    """The closed-loop part of the run (no user counts: serial only)."""

    users: Sequence[int] = (16, 64)
    seconds: float = 20.0  # counted per phase
    rounds: int = 2  # phases per assistant and user count, alternating
    profile_dir: Path | None = None  # py-spy top frames of the council under load


def load_targets(bots: Sequence[Bot]) -> list[Target]:
    """The bots as load targets: the council's users spread over every council."""
    scripts: dict[str, list[tuple[str | None, Sequence[str]]]] = {
        "council": list(COUNCIL_SCRIPTS.items()),
        "starter": [(None, STARTER_LOAD_SCRIPT)],
    }
    headers = demo_rest_headers()
    url = "{}/webhooks/rest/webhook"
    return [Target(bot.name, url.format(bot.rasa_url), headers, scripts[bot.name]) for bot in bots]


def under_load(bots: Sequence[Bot], plan: LoadPlan) -> dict[int, dict[str, LoadResult]]:
    """The closed-loop phases, then (with a profile directory) one more council
    phase at the first user count sampled by py-spy."""
    if not plan.users:
        return {}
    targets = load_targets(bots)
    print(f"Closed-loop load at {', '.join(map(str, plan.users))} users...", flush=True)
    results = run_load(targets, plan.users, plan.seconds, plan.rounds)
    if plan.profile_dir is not None:
        council = next(bot for bot in bots if bot.name == "council")
        pids = {s.name: s.process.pid for s in council.stack.services if s.process is not None}
        print(f"Profiling the council at {plan.users[0]} users...", flush=True)
        with sampled(pids, plan.seconds, plan.profile_dir):
            run_load(targets[:1], plan.users[:1], plan.seconds, 1)
    return results


def scripted_messages(script: Sequence[str], count: int, prefix: str) -> list[tuple[str, str]]:
    """`count` (sender, text) pairs replaying `script`, a new sender for each replay."""
    return [(f"{prefix}-{i // len(script)}", script[i % len(script)]) for i in range(count)]


# --- steps ----------------------------------------------------------------------


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
            f"{bot.rasa_url}/webhooks/rest/webhook",
            json=body,
            headers=demo_rest_headers(),  # ours needs it; the starter's stock channel ignores it
            timeout=REQUEST_TIMEOUT,
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
            f"Memory is read from /proc/<pid>/smaps_rollup of each process and its children "
            f"after {WARMUP_MESSAGES} warm-up messages per assistant. RSS counts a page shared "
            "between processes once per process; PSS splits it between the processes mapping "
            "it (the honest sum, though on a shared machine other programs mapping the same "
            "libraries lower it a little); USS is private pages only. 'Product' leaves out the "
            "fakes standing in for a council's own systems (demo back-office, fake SMS gateway). "
            "The council's Python services are forked from its fork server, whose client is "
            "the supervisor itself (no client process per service): each service's row counts "
            "the child forked for it and its descendants; the fork server is a row of its own; "
            "every process is counted once (the supervisor, as for the starter, is not).",
            f"Latency is wall-clock time for `POST /webhooks/rest/webhook` from this process, "
            f"{messages} messages per assistant after the warm-up, sent one at a time and "
            "alternating council, starter, council, starter, over a keep-alive connection. "
            "The scripts below are replayed with a new sender at each replay.",
            "One run on a shared machine: the load average before and after is recorded above; "
            "read the ratios rather than the absolute figures.",
        ],
    }


# --- the benchmark --------------------------------------------------------------


def make_bots(trained: Trained, workdir: Path, logs: Path) -> list[Bot]:
    """The council's whole stack and the starter's Rasa server, not started yet."""
    council, starter_dir = trained.council, trained.starter_dir
    starter = replace(council, models_dir=starter_dir / "models", rasa_port=free_port())
    starter_endpoints = write_tracker_endpoints(
        workdir / "starter-endpoints.yml", workdir / "starter-trackers.db"
    )
    council_endpoints = write_endpoints(
        council, workdir / "council-endpoints.yml", workdir / "council-trackers.db"
    )
    starter_stack = Stack(
        # The starter runs Rasa's own `rasa run`, unchanged.
        [rasa_service(starter, starter_endpoints, starter_dir / "credentials.yml", entry="rasa")],
        log_dir=logs / "starter",
    )
    council_stack = Stack(assistant_services(council, council_endpoints), log_dir=logs / "council")
    return [
        Bot("council", council_stack, council.rasa_url, COUNCIL_SCRIPT, COUNCIL, COUNCIL_METADATA),
        Bot("starter", starter_stack, starter.rasa_url, STARTER_SCRIPT, STARTER),
    ]


def measure(bots: Sequence[Bot], messages: int, plan: LoadPlan) -> Measured:
    """Start the bots in turn (timed), warm them up, read their memory, time
    `messages` messages to each, then load them; every stack is stopped at the end."""
    started: dict[str, float] = {}
    try:
        for bot in reversed(bots):  # the starter first, as always
            print(f"Starting the {bot.name} assistant...", flush=True)
            started[bot.name] = start(bot.stack)
            print(f"  {started[bot.name]:.1f}s", flush=True)
        print("Warming up...", flush=True)
        converse(bots, WARMUP_MESSAGES, f"warmup-{uuid.uuid4().hex[:8]}")
        memory = {bot.name: stack_memory(bot.stack) for bot in bots}
        print(f"Sending {messages} messages to each, alternating...", flush=True)
        latency = converse(bots, messages, f"bench-{uuid.uuid4().hex[:8]}")
        load = under_load(bots, plan)
    finally:
        for bot in bots:
            bot.stack.stop()
    return Measured(started, memory, latency, load)


def bot_result(bot: Bot, train_s: float, measured: Measured) -> BotResult:
    """Every figure measured for `bot`."""
    return BotResult(
        name=bot.name,
        description=bot.description,
        train_s=train_s,
        start_s=measured.start_s[bot.name],
        **memory_figures(measured.memory[bot.name]),
        services=[service.name for service in bot.stack.services],
        latency=measured.latency[bot.name],
    )


def benchmark(
    settings: Settings, messages: int, workdir: Path, plan: LoadPlan, keep: Path | None
) -> dict[str, Any]:
    """Train, start and measure both assistants in `workdir`; the report."""
    machine = machine_facts()
    logs = workdir / "logs"
    logs.mkdir(parents=True)
    trained = train_both(settings, workdir, logs, keep)
    council, starter = bots = make_bots(trained, workdir, logs)
    measured = measure(bots, messages, plan)
    machine["load average at end (1/5/15 min)"] = load_average()
    report = build_report(
        bot_result(council, trained.seconds["council"], measured),
        bot_result(starter, trained.seconds["starter"], measured),
        machine,
        method_notes(messages),
    )
    report["load"] = load_report(measured.load)
    report["method"]["load"] = {**asdict(plan), "profile_dir": None, "scripts": COUNCIL_SCRIPTS}
    return report


def run(
    settings: Settings,
    messages: int,
    out_dir: Path,
    plan: LoadPlan | None = None,
    keep: Path | None = None,
) -> int:
    """`python -m assistant benchmark`: measure, write the reports, print the table."""
    if messages < 1:
        raise ValueError(f"--messages must be at least 1, not {messages}")
    with sigterm_as_interrupt(), tempfile.TemporaryDirectory(prefix="assistant-bench-") as tmp:
        try:
            report = benchmark(settings, messages, Path(tmp), plan or LoadPlan(), keep)
        except (BenchmarkError, StackError) as error:
            print(f"benchmark failed: {error}", file=sys.stderr)
            return 1
    markdown, data = write_reports(report, out_dir)
    print(f"\n{render_table(report)}\n\n{render_load_table(report)}", flush=True)
    print(f"\nReports: {markdown}, {data}", flush=True)
    return 0
