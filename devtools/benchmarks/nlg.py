"""What the NLG hop costs per bot message, measured in one run.

`python -m assistant benchmark-nlg` starts the whole stack (`assistant_services`,
Rasa with the `nlg` endpoint) plus a second Rasa server on the same model and the
same action servers but without the `nlg` endpoint (responses from domain.yml in
process), then sends the same scripted messages to both, alternating with/without
so machine noise falls on both alike. It also times the NLG server alone (a
Rasa-format request with a realistic tracker, over a kept-alive HTTP connection
and over a new connection per request as Rasa's aiohttp client does) and the
in-process lookup and rendering. Writes reports/nlg_latency.md and .json.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import requests

from assistant.answers.seed import open_book
from assistant.answers.server import answer_request
from assistant.councils import default_registry
from assistant.isolation import free_port, isolated
from assistant.settings import PROJECT_ROOT, Settings
from devtools.benchmarks.stats import median, summary, timed
from devtools.supervisor.services import (
    assistant_services,
    demo_rest_headers,
    rasa_service,
    write_endpoints,
)
from devtools.supervisor.stack import Service, Stack

SCRIPT = (
    "hello",
    "how do I pay my council tax",
    "are you a bot?",
    "where is my library",
    "thanks",
    "bye",
)
COUNCIL = "millbrook"


# The report's table: (label, where its figures are in the report), in order.
ROWS = (
    ("REST turn, NLG server via our client", ("turn", "with_nlg")),
    ("REST turn, NLG server via Rasa's stock client", ("turn", "with_nlg_stock_client")),
    ("REST turn, no NLG (domain.yml in Rasa)", ("turn", "without_nlg")),
    ("per bot message, our client", ("per_bot_message", "with_nlg")),
    ("per bot message, stock client", ("per_bot_message", "with_nlg_stock_client")),
    ("per bot message, no NLG", ("per_bot_message", "without_nlg")),
    ("NLG request alone, kept-alive connection", ("nlg_direct_keep_alive",)),
    ("NLG request alone, new connection each", ("nlg_direct_new_connection",)),
    ("NLG lookup + render in process (DB query)", ("nlg_in_process",)),
    ("Rasa generating a message: our client", ("generator_in_rasa", "our_client")),
    ("Rasa generating a message: stock client", ("generator_in_rasa", "stock_client")),
    ("Rasa generating a message: domain.yml in Rasa", ("generator_in_rasa", "domain_yml_in_rasa")),
    ("added per bot message, our client (paired)", ("added_per_bot_message", "with_nlg")),
    (
        "added per bot message, stock client (paired)",
        ("added_per_bot_message", "with_nlg_stock_client"),
    ),
)


def summarise(values: Sequence[float]) -> dict[str, float]:
    """The figures of one row: n, median, mean and p95, in milliseconds."""
    return summary(values, (95,), digits=3)


def nlg_body(response: str, events: int = 40) -> dict[str, Any]:
    """A Rasa 3.6 NLG request with a tracker of `events` events, like a short chat."""
    tracker_events = [
        {"event": "user", "text": f"message {n}", "parse_data": {"intent": {"name": "greet"}}}
        if n % 2 == 0
        else {"event": "bot", "text": f"reply {n}", "data": {}}
        for n in range(events)
    ]
    return {
        "response": response,
        "id": None,
        "arguments": {"text": None, "buttons": [], "template": response},
        "tracker": {
            "sender_id": "bench",
            "slots": {"council": COUNCIL, "postcode": None},
            "latest_input_channel": "rest",
            "events": tracker_events,
        },
        "channel": {"name": "collector"},
    }


def time_generators(nlg_url: str, count: int) -> dict[str, list[float]]:
    """Milliseconds per bot message inside Rasa's process: each NLG generator Rasa can
    use, asked for the same response with a 40-event tracker, on one event loop."""
    import asyncio

    from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from assistant.councils import default_registry
    from assistant.rasa_plugins.nlg_client import CouncilNLGClient

    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    tracker = DialogueStateTracker("bench", domain.slots)
    tracker.update(SlotSet("council", COUNCIL))
    for n in range(20):
        tracker.update(UserUttered(f"message {n}", {"name": "greet", "confidence": 1.0}))
        tracker.update(BotUttered(f"reply {n}"))
    council = default_registry().get(COUNCIL)
    kwargs = dict(council.template_vars()) if council else {}
    generators = {
        "our_client": CouncilNLGClient(EndpointConfig(url=nlg_url), domain),
        "stock_client": CallbackNaturalLanguageGenerator(EndpointConfig(url=nlg_url)),
        "domain_yml_in_rasa": TemplatedNaturalLanguageGenerator(domain.responses),
    }

    async def measure() -> dict[str, list[float]]:
        times: dict[str, list[float]] = {name: [] for name in generators}
        for _ in range(count):
            for name, generator in generators.items():
                start = time.perf_counter()
                await generator.generate(
                    "utter_council_tax_pay",
                    tracker,
                    "collector",
                    domain_responses=domain.responses,
                    **kwargs,
                )
                times[name].append((time.perf_counter() - start) * 1000)
        await generators["our_client"].close()  # type: ignore[attr-defined]
        return times

    return asyncio.run(measure())


def send(session: requests.Session, url: str, sender: str, text: str) -> tuple[float, int]:
    """(milliseconds, bot messages) for one REST turn."""
    body = {"sender": sender, "message": text, "metadata": {"council": COUNCIL}}
    elapsed, reply = timed(
        lambda: session.post(
            f"{url}/webhooks/rest/webhook", json=body, headers=demo_rest_headers(), timeout=60
        )
    )
    reply.raise_for_status()
    return elapsed, len(reply.json())


def time_turns(url: str, sender: str, messages: Sequence[str]) -> list[tuple[float, int]]:
    """(milliseconds, bot messages) for each of `messages` in one conversation."""
    with requests.Session() as session:
        return [send(session, url, sender, text) for text in messages]


def variants(settings: Settings, workdir: Path) -> tuple[list[Service], dict[str, str]]:
    """The whole stack plus a Rasa server per other variant; each variant's Rasa URL."""
    with_nlg = write_endpoints(settings, workdir / "with-nlg.yml", workdir / "t1.db")
    services = assistant_services(settings, with_nlg)
    text = with_nlg.read_text()
    endpoints = {
        # Rasa's stock callback client on the same NLG server
        "with_nlg_stock_client": text.replace(
            "  type: assistant.rasa_plugins.nlg_client.CouncilNLGClient\n", ""
        ),
        # no NLG endpoint: responses from domain.yml inside Rasa
        "without_nlg": "\n".join(line for line in text.splitlines() if "nlg" not in line) + "\n",
    }
    rasa_env = next((s.env for s in services if s.name == "rasa"), {})
    urls = {"with_nlg": settings.rasa_url}  # endpoints.yml as shipped: our kept-alive client
    for index, (name, endpoints_text) in enumerate(endpoints.items()):
        variant = replace(settings, rasa_port=free_port())
        path = workdir / f"{name}.yml"
        path.write_text(endpoints_text.replace("t1.db", f"t{index + 3}.db"))
        service = rasa_service(variant, path)
        service.env = dict(rasa_env)
        service.name = f"rasa-{name}"
        services.append(service)
        urls[name] = variant.rasa_url
    return services, urls


def time_rest_turns(urls: dict[str, str], conversations: int) -> dict[str, Any]:
    """The same scripted messages to every variant, in rotating order; per variant the
    turn times, the times per bot message, and the paired differences from no NLG."""
    for url in urls.values():  # warm-up
        time_turns(url, f"warm-{uuid.uuid4().hex[:6]}", SCRIPT)
    names = list(urls)
    turns: dict[str, list[float]] = {name: [] for name in names}
    per_message: dict[str, list[float]] = {name: [] for name in names}
    paired: dict[str, list[float]] = {name: [] for name in names if name != "without_nlg"}
    messages = dict.fromkeys(names, 0)
    sessions = {name: requests.Session() for name in names}
    for n in range(conversations):
        for index, text in enumerate(SCRIPT):
            shift = (n * len(SCRIPT) + index) % len(names)
            timed_turns = {
                name: send(sessions[name], urls[name], f"bench-{name}-{n}", text)
                for name in names[shift:] + names[:shift]
            }
            for name, (elapsed, count) in timed_turns.items():
                turns[name].append(elapsed)
                messages[name] += count
                if count:
                    per_message[name].append(elapsed / count)
            base_elapsed, base_count = timed_turns["without_nlg"]
            for name in paired:
                elapsed, count = timed_turns[name]
                if count and count == base_count:
                    paired[name].append((elapsed - base_elapsed) / count)
    for session in sessions.values():
        session.close()
    return {"turns": turns, "per_message": per_message, "paired": paired, "messages": messages}


def time_nlg_alone(settings: Settings, count: int) -> dict[str, Any]:
    """The NLG server alone (kept-alive and new connections), each generator inside
    Rasa's process, and the lookup and rendering in process."""
    nlg_url = f"{settings.nlg_url}/nlg"
    body = nlg_body("utter_council_tax_pay")
    with requests.Session() as session:
        kept_alive = [
            timed(lambda: session.post(nlg_url, json=body, timeout=10).raise_for_status())[0]
            for _ in range(count)
        ]
    close = {"Connection": "close"}
    fresh = [
        timed(lambda: requests.post(nlg_url, json=body, timeout=10, headers=close))[0]
        for _ in range(count)
    ]
    generators = time_generators(nlg_url, count)
    book = open_book(settings.answers_db_url, PROJECT_ROOT / "domain.yml", default_registry())
    in_process = [timed(lambda: answer_request(book, body))[0] for _ in range(count)]
    return {
        "kept_alive": kept_alive,
        "fresh": fresh,
        "generators": generators,
        "in_process": in_process,
    }


def build_report(conversations: int, rest: dict[str, Any], alone: dict[str, Any]) -> dict:
    """Everything measured, as written to nlg_latency.json."""
    generators = alone["generators"]
    stock = median(generators["domain_yml_in_rasa"])
    return {
        "conversations_each": conversations,
        "script": list(SCRIPT),
        "bot_messages": rest["messages"],
        "turn": {name: summarise(values) for name, values in rest["turns"].items()},
        "per_bot_message": {
            name: summarise(values) for name, values in rest["per_message"].items()
        },
        "added_per_bot_message_median_ms": {
            name: round(median(values), 3) for name, values in rest["paired"].items()
        },
        "added_per_bot_message": {
            name: summarise(values) for name, values in rest["paired"].items()
        },
        "nlg_direct_keep_alive": summarise(alone["kept_alive"]),
        "nlg_direct_new_connection": summarise(alone["fresh"]),
        "nlg_in_process": summarise(alone["in_process"]),
        "generator_in_rasa": {name: summarise(values) for name, values in generators.items()},
        "added_in_rasa_median_ms": {
            name: round(median(generators[name]) - stock, 3)
            for name in ("our_client", "stock_client")
        },
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
    }


def measure(base: Settings, conversations: int, direct_requests: int) -> dict[str, Any]:
    """Start every variant on free ports, time them, stop them; the report."""
    workdir = Path(tempfile.mkdtemp(prefix="nlg-bench-"))
    settings = isolated(base, var_dir=workdir)
    services, urls = variants(settings, workdir)
    stack = Stack(services, log_dir=workdir / "logs")
    stack.start(timeout=300)
    try:
        rest = time_rest_turns(urls, conversations)
        alone = time_nlg_alone(settings, direct_requests)
    finally:
        stack.stop()
    return build_report(conversations, rest, alone)


def row(label: str, figures: dict[str, float]) -> str:
    return (
        f"| {label} | {figures['n']} | {figures['median_ms']:.2f} | "
        f"{figures['mean_ms']:.2f} | {figures['p95_ms']:.2f} |"
    )


def table(report: dict[str, Any]) -> list[str]:
    """The figures table, one row per ROWS entry."""
    lines = ["| Measurement | n | median ms | mean ms | p95 ms |", "|---|---|---|---|---|"]
    for label, path in ROWS:
        figures: Any = report
        for key in path:
            figures = figures[key]
        lines.append(row(label, figures))
    return lines


def write(report: dict[str, Any], out_dir: Path) -> None:
    """nlg_latency.json and nlg_latency.md in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "nlg_latency.json").write_text(json.dumps(report, indent=2) + "\n")

    lines = [
        "# NLG hop latency",
        "",
        "Measured by `python -m assistant benchmark-nlg` in one run: the whole stack with "
        "Rasa's `nlg` endpoint on the NLG server, beside two more Rasa servers (same model, "
        "same action servers), one using Rasa's stock NLG client and one without the NLG "
        "endpoint; the same REST messages to each, in rotating order. "
        f"{report['conversations_each']} conversations of {len(report['script'])} messages "
        f"each (council: {COUNCIL}); machine: {report['machine']['cpus']} CPUs, shared.",
        "",
        *table(report),
        "",
        "Added latency per bot message (median of paired differences: the same message "
        "sent back to back with and without the NLG hop, divided by the bot messages in "
        f"the turn): **{report['added_per_bot_message_median_ms']['with_nlg']:.2f} ms** with "
        "our client (endpoints.yml as shipped), "
        f"{report['added_per_bot_message_median_ms']['with_nlg_stock_client']:.2f} ms with "
        "Rasa's stock callback client.",
        "",
        "Added latency per bot message where Rasa generates it (the same response "
        "generated in one process by each generator, 40-event tracker, minus the "
        "domain.yml generator): "
        f"**{report['added_in_rasa_median_ms']['our_client']:.2f} ms** with our client, "
        f"{report['added_in_rasa_median_ms']['stock_client']:.2f} ms with Rasa's stock "
        "client.",
        "",
        "A whole turn (NLU, policies, the action router and action servers, tracker "
        "store) varies by tens of milliseconds on this machine, so the paired difference "
        "is noisy and can come out below zero; the hop itself is bounded by the direct "
        f"rows: {report['nlg_direct_new_connection']['median_ms']:.2f} ms median for a "
        "Rasa-format request over a new connection, of which "
        f"{report['nlg_in_process']['median_ms']:.2f} ms is the database lookup and "
        "rendering.",
        "",
        "Rasa's stock client opens a new HTTP connection per request, sends every "
        "tracker event and re-checks the reply's JSON schema each time; our client "
        "(assistant/rasa_plugins/nlg_client.py) keeps connections alive and sends only "
        "slots. Every "
        "request reads the overrides from the database (no cache), so staff changes "
        "apply at once. Timings on a shared 2-CPU machine are noisy: compare rows from "
        "the same run only.",
        "",
    ]
    (out_dir / "nlg_latency.md").write_text("\n".join(lines))


def run(settings: Settings, conversations: int, direct_requests: int, out_dir: Path) -> int:
    """`python -m assistant benchmark-nlg`: measure, write the reports, print them."""
    write(measure(settings, conversations, direct_requests), out_dir)
    print((out_dir / "nlg_latency.md").read_text())
    return 0
