"""Closed-loop load: N simulated users each holding a conversation, per assistant.

Every user sends a message, waits for the reply, and sends the next at once (no
think time), replaying its script with a new sender at each replay. The council's
users are spread over the configured councils, each mixing text turns, action turns
and back-office turns; the starter's users replay its small talk. Phases alternate
council, starter, council, starter... at each user count, so machine noise falls on
both alike. Throughput is replies received in the counted seconds of a phase, per
second; latency is that of those replies (a reply still on its way when the phase
ends is not counted); a non-200 answer, a timeout or a refused connection is an error.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import aiohttp

from devtools.benchmarks.stats import percentile, ratio

REQUEST_TIMEOUT = 60.0  # seconds, per message
WARMUP_SECONDS = 3.0  # per phase, not counted

# Per council: (text turn, action turn, back-office turn, text turn, text turn).
COUNCIL_SCRIPTS: Mapping[str, tuple[str, ...]] = {
    "brackenbury": (
        "hello",
        "how do i register to vote",
        "status of planning application BK/24/0123/FUL",
        "thanks",
        "bye",
    ),
    "millbrook": (
        "hi there",
        "how do i register to vote",
        "what is happening with planning application 24/00456/HH",
        "thank you",
        "goodbye",
    ),
    "wealdshire": (
        "hello",
        "how do I register a birth",
        "how do I register a death",
        "thanks",
        "bye",
    ),
}
STARTER_SCRIPT = ("hello", "I am sad", "yes", "are you a bot?", "I am feeling great", "bye")


@dataclass(frozen=True)
class Target:
    """An assistant under load: where it listens, and what its users say."""

    name: str
    url: str  # the REST webhook
    headers: Mapping[str, str]
    scripts: Sequence[tuple[str | None, Sequence[str]]]  # (council metadata, script)


@dataclass(frozen=True)
class LoadResult:
    """What one assistant gave at one user count, over all its phases."""

    users: int
    seconds: float
    messages: int
    throughput: float  # messages per second
    p50_ms: float
    p95_ms: float
    errors: int
    empty_replies: int


@dataclass
class Samples:
    """Raw per-message figures of one phase or more."""

    latencies_ms: list[float]
    errors: int = 0
    empty: int = 0
    seconds: float = 0.0

    def result(self, users: int) -> LoadResult:
        values = self.latencies_ms or [0.0]
        count = len(self.latencies_ms)
        return LoadResult(
            users=users,
            seconds=round(self.seconds, 2),
            messages=count,
            throughput=round(count / self.seconds, 2) if self.seconds else 0.0,
            p50_ms=round(percentile(values, 50), 1),
            p95_ms=round(percentile(values, 95), 1),
            errors=self.errors,
            empty_replies=self.empty,
        )


async def _one(
    session: aiohttp.ClientSession, target: Target, body: dict[str, Any]
) -> tuple[float, bool | None]:
    """(milliseconds, whether the reply was empty), or (ms, None) on an error."""
    started = time.perf_counter()
    try:
        async with session.post(target.url, json=body, headers=dict(target.headers)) as reply:
            content = await reply.json(content_type=None) if reply.status == 200 else None
            ok = reply.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        ok, content = False, None
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, (not content) if ok else None


async def _user(
    session: aiohttp.ClientSession,
    target: Target,
    index: int,
    counted_from: float,
    samples: Samples,
) -> None:
    """One user, talking until cancelled; replies that arrive after `counted_from`
    are counted."""
    council, script = target.scripts[index % len(target.scripts)]
    replay = 0
    while True:
        sender = f"load-{target.name}-{index}-{replay}-{uuid.uuid4().hex[:6]}"
        for text in script:
            body: dict[str, Any] = {"sender": sender, "message": text}
            if council is not None:
                body["metadata"] = {"council": council}
            elapsed, empty = await _one(session, target, body)
            if time.monotonic() < counted_from:
                continue  # warm-up
            if empty is None:
                samples.errors += 1
            else:
                samples.latencies_ms.append(elapsed)
                samples.empty += empty
        replay += 1


async def phase(target: Target, users: int, seconds: float, samples: Samples) -> None:
    """`users` closed-loop users on `target` for a warm-up then `seconds` counted."""
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        counted_from = time.monotonic() + WARMUP_SECONDS
        talking = [
            asyncio.create_task(_user(session, target, i, counted_from, samples))
            for i in range(users)
        ]
        await asyncio.sleep(WARMUP_SECONDS + seconds)
        for task in talking:
            task.cancel()  # replies still on their way are not counted
        await asyncio.gather(*talking, return_exceptions=True)
        samples.seconds += seconds


def run_load(
    targets: Sequence[Target], user_counts: Sequence[int], seconds: float, rounds: int
) -> dict[int, dict[str, LoadResult]]:
    """At each user count, `rounds` phases of `seconds` per target, alternating."""
    results: dict[int, dict[str, LoadResult]] = {}
    for users in user_counts:
        samples = {target.name: Samples([]) for target in targets}
        for _ in range(rounds):
            for target in targets:
                print(f"  {users} users on the {target.name} for {seconds:.0f} s...", flush=True)
                asyncio.run(phase(target, users, seconds, samples[target.name]))
        results[users] = {name: s.result(users) for name, s in samples.items()}
    return results


def load_ratios(council: LoadResult, starter: LoadResult) -> dict[str, float | None]:
    """council / starter for throughput, p50 and p95 (above 1 is faster for throughput,
    slower for latency)."""

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    return {
        "throughput": rounded(ratio(council.throughput, starter.throughput)),
        "p50": rounded(ratio(council.p50_ms, starter.p50_ms)),
        "p95": rounded(ratio(council.p95_ms, starter.p95_ms)),
    }


def load_report(results: Mapping[int, Mapping[str, LoadResult]]) -> list[dict[str, Any]]:
    """One row per user count: both assistants' figures and the ratios."""
    return [
        {
            "users": users,
            "council": asdict(pair["council"]),
            "starter": asdict(pair["starter"]),
            "ratios": load_ratios(pair["council"], pair["starter"]),
        }
        for users, pair in results.items()
    ]


def render_load(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Markdown lines: the load table."""
    lines = [
        "| users | assistant | msg/s | p50 ms | p95 ms | errors | empty | "
        "msg/s ratio | p50 ratio | p95 ratio |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        for name in ("council", "starter"):
            figures = row[name]
            shown = row["ratios"] if name == "council" else {}
            cells = [
                str(row["users"]),
                name,
                f"{figures['throughput']:.1f}",
                f"{figures['p50_ms']:.0f}",
                f"{figures['p95_ms']:.0f}",
                str(figures["errors"]),
                str(figures["empty_replies"]),
                *(_ratio(shown.get(key)) for key in ("throughput", "p50", "p95")),
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}×"
