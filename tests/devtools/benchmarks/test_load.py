"""The closed-loop load: users, errors and empty replies counted against a real server."""

from __future__ import annotations

from aiohttp import web

from devtools.benchmarks import load
from devtools.benchmarks.load import LoadResult, Samples, Target
from tests.http_server import ServedApp


def fake_assistant(seen: list[dict]) -> web.Application:
    """Answers 'boom' with HTTP 500, 'quiet' with no messages, anything else with one."""

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append(body)
        if body["message"] == "boom":
            return web.json_response({"error": "down"}, status=500)
        if body["message"] == "quiet":
            return web.json_response([])
        return web.json_response([{"recipient_id": body["sender"], "text": "ok"}])

    app = web.Application()
    app.add_routes([web.post("/webhook", webhook)])
    return app


def test_closed_loop_counts_replies_errors_and_empty_replies(monkeypatch) -> None:
    monkeypatch.setattr(load, "WARMUP_SECONDS", 0.0)
    seen: list[dict] = []
    with ServedApp(fake_assistant(seen)) as url:
        target = Target(
            "council",
            f"{url}/webhook",
            {"Authorization": "Bearer x"},
            [("alpha", ("hello", "boom", "quiet")), ("beta", ("hi",))],
        )
        results = load.run_load([target], [4], seconds=0.5, rounds=1)
    got = results[4]["council"]
    assert got.messages > 0 and got.errors > 0 and got.empty_replies > 0
    assert got.messages + got.errors <= len(seen)
    # Users 0 and 2 speak for alpha, 1 and 3 for beta: the metadata names their council.
    assert {body["metadata"]["council"] for body in seen} == {"alpha", "beta"}
    assert len({body["sender"] for body in seen}) >= 4


def test_a_new_sender_at_each_replay(monkeypatch) -> None:
    monkeypatch.setattr(load, "WARMUP_SECONDS", 0.0)
    seen: list[dict] = []
    with ServedApp(fake_assistant(seen)) as url:
        target = Target("starter", f"{url}/webhook", {}, [(None, ("hello", "bye"))])
        load.run_load([target], [1], seconds=0.3, rounds=1)
    assert all("metadata" not in body for body in seen)
    by_sender: dict[str, list[str]] = {}
    for body in seen:
        by_sender.setdefault(body["sender"], []).append(body["message"])
    assert len(by_sender) > 1
    assert all(messages[:2] == ["hello", "bye"][: len(messages)] for messages in by_sender.values())


def test_refused_connections_are_errors(monkeypatch) -> None:
    monkeypatch.setattr(load, "WARMUP_SECONDS", 0.0)
    target = Target("council", "http://127.0.0.1:9/webhook", {}, [(None, ("hello",))])
    got = load.run_load([target], [2], seconds=0.2, rounds=1)[2]["council"]
    assert got.messages == 0 and got.errors > 0 and got.throughput == 0.0


def figures(throughput: float, p50: float, p95: float) -> LoadResult:
    return LoadResult(16, 10.0, int(throughput * 10), throughput, p50, p95, 0, 0)


def test_ratios_and_table() -> None:
    rows = load.load_report(
        {16: {"council": figures(30.0, 200.0, 400.0), "starter": figures(20.0, 400.0, 500.0)}}
    )
    assert rows[0]["ratios"] == {"throughput": 1.5, "p50": 0.5, "p95": 0.8}
    table = "\n".join(load.render_load(rows))
    assert "| 16 | council | 30.0 | 200 | 400 | 0 | 0 | 1.50× | 0.50× | 0.80× |" in table


def test_samples_result() -> None:
    samples = Samples([10.0, 20.0, 30.0, 40.0], errors=1, empty=2, seconds=2.0)
    got = samples.result(16)
    assert (got.messages, got.throughput, got.p50_ms, got.errors) == (4, 2.0, 25.0, 1)
