"""`python -m assistant benchmark-actions`: what an action turn costs against a text turn.

Starts the whole stack (as `make run` does, on free ports and temporary databases),
then, interleaved in the same run, times over REST:

- a plain text turn ("thanks": NLU + policy + a response, no service action);
- an action turn with no back-office call (router + council action server);
- an action turn with a back-office call (router + action server + PlanView);
- one action call posted straight to a council's action server and the same call
  through the router, which isolates the router's own cost.

Every user message also runs `action_validate_slot_mappings` through the router, so
the text turn includes one action-server hop too: that is the real baseline.
"""

from __future__ import annotations

import json
import platform
import tempfile
import uuid
from pathlib import Path
from typing import Any

import requests

from assistant.councils import default_registry
from assistant.isolation import isolated
from assistant.routing.credentials import ROUTER_TOKEN_ENV, ROUTER_TOKEN_HEADER, action_secret_env
from assistant.routing.signing import SIGNATURE_HEADER, sign
from assistant.settings import Settings
from devtools.benchmarks.stats import summary, timed
from devtools.supervisor.services import (
    action_credentials,
    assistant_services,
    demo_rest_headers,
    write_endpoints,
)
from devtools.supervisor.stack import Stack
from devtools.training import train

COUNCIL = "brackenbury"
TURNS = {
    "text turn (no service action)": "thanks",
    "action turn, no back-office call": "how do i register to vote",
    "action turn with a back-office call": "status of planning application BK/24/0123/FUL",
}
EXPECTED = {
    "text turn (no service action)": "welcome",
    "action turn, no back-office call": "register",
    "action turn with a back-office call": "under consideration",
}


def _say(settings: Settings, message: str) -> str:
    body = {"sender": f"bench-{uuid.uuid4().hex[:12]}", "message": message}
    body["metadata"] = {"council": COUNCIL}
    url = f"{settings.rasa_url}/webhooks/rest/webhook"
    answer = requests.post(url, json=body, headers=demo_rest_headers(), timeout=30)
    answer.raise_for_status()
    return "\n".join(m.get("text") or "" for m in answer.json())


def _action_call() -> dict[str, Any]:
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    return {
        "next_action": "action_planning_status",
        "sender_id": sender,
        "version": "3.6.2",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {"council": COUNCIL, "planning_ref": "BK/24/0123/FUL"},
            "latest_message": {"text": "status", "intent": {"name": "planning_status"}},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def _hop_headers(to_router: bool, body: bytes) -> dict[str, str]:
    """What Rasa sends the router (its token), or the router the action server (a signature)."""
    credentials = action_credentials()
    if to_router:
        return {
            "Content-Type": "application/json",
            ROUTER_TOKEN_HEADER: credentials[ROUTER_TOKEN_ENV],
        }
    secret = credentials[action_secret_env(default_registry().get(COUNCIL))]
    return {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body)}


def measure(settings: Settings, messages: int) -> dict[str, Any]:
    """Time each kind of turn `messages` times, interleaved, on a running stack."""
    samples: dict[str, list[float]] = {name: [] for name in TURNS}
    direct_url = f"http://{settings.host}:{settings.council_actions_ports[COUNCIL]}/webhook"
    router_url = f"{settings.actions_url}/webhook"
    hops: dict[str, list[float]] = {"action server directly": [], "through the router": []}
    session = requests.Session()
    for round_number in range(messages + 5):  # the first 5 rounds warm up
        for name, message in TURNS.items():
            elapsed, reply = timed(lambda message=message: _say(settings, message))
            if EXPECTED[name] not in reply:
                raise RuntimeError(f"unexpected reply to {message!r}: {reply[:200]!r}")
            if round_number >= 5:
                samples[name].append(elapsed)
        for name, url in (
            ("action server directly", direct_url),
            ("through the router", router_url),
        ):
            body = json.dumps(_action_call()).encode()
            headers = _hop_headers(name == "through the router", body)
            elapsed, answer = timed(
                lambda url=url, body=body, headers=headers: session.post(
                    url, data=body, headers=headers, timeout=30
                )
            )
            if answer.status_code != 200 or not answer.json().get("responses"):
                raise RuntimeError(f"{name}: HTTP {answer.status_code}")
            if round_number >= 5:
                hops[name].append(elapsed)
    turns = {name: summary(values, (90,), digits=1) for name, values in samples.items()}
    hop = {name: summary(values, (90,), digits=1) for name, values in hops.items()}
    base = turns["text turn (no service action)"]["median_ms"]
    return {
        "messages_per_kind": messages,
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "turns": turns,
        "extra_over_text_turn_ms": {
            name: round(figures["median_ms"] - base, 1) for name, figures in turns.items()
        },
        "action_call": hop,
        "router_overhead_ms": round(
            hop["through the router"]["median_ms"] - hop["action server directly"]["median_ms"], 1
        ),
    }


def write_report(result: dict[str, Any], out_dir: Path) -> Path:
    """Write latency.json and latency.md under `out_dir`; return the .md path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "latency.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    lines = [
        "# Action turn latency (REST, same run, interleaved)",
        "",
        f"{result['messages_per_kind']} timed messages per kind after 5 warm-up rounds; "
        f"{result['machine']}.",
        "",
        "| turn | median ms | p90 ms | mean ms | median over text turn |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, figures in result["turns"].items():
        extra = result["extra_over_text_turn_ms"][name]
        lines.append(
            f"| {name} | {figures['median_ms']} | {figures['p90_ms']} | {figures['mean_ms']} "
            f"| {extra:+} |"
        )
    lines += [
        "",
        "| one action call (action_planning_status) | median ms | p90 ms |",
        "|---|---:|---:|",
    ]
    for name, figures in result["action_call"].items():
        lines.append(f"| {name} | {figures['median_ms']} | {figures['p90_ms']} |")
    lines += ["", f"Router overhead (median): {result['router_overhead_ms']} ms.", ""]
    path = out_dir / "latency.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run(settings: Settings, messages: int, out_dir: Path) -> int:
    """Start the stack on free ports, measure, write the report, stop everything."""
    train(settings)
    with tempfile.TemporaryDirectory(prefix="bench-actions-") as tmp:
        work = Path(tmp)
        bench = isolated(settings, var_dir=work)
        endpoints = write_endpoints(bench, work / "endpoints.yml", work / "trackers.db")
        with Stack(assistant_services(bench, endpoints), log_dir=work / "logs"):
            result = measure(bench, messages)
    path = write_report(result, out_dir)
    print(path.read_text(encoding="utf-8"))
    return 0
