"""The action router over real HTTP: forwarding unchanged, and every failure answered."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import requests
from aiohttp import web

from assistant.backoffice.errors import BackOfficeConfigError
from assistant.councils import CouncilRegistry
from assistant.routing.router import SHARED, ActionRouter
from assistant.routing.signing import SIGNATURE_HEADER, signature_problem
from assistant.settings import Settings
from tests.http_server import ServedApp, free_port


class FakeActionServer:
    """An upstream that records what it was sent and answers as told."""

    def __init__(self, answer: dict[str, Any], status: int = 200, delay: float = 0) -> None:
        self.answer, self.status, self.delay = answer, status, delay
        self.received: list[bytes] = []
        self.signatures: list[str | None] = []

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/webhook", self.webhook)
        return app

    async def webhook(self, request: web.Request) -> web.Response:
        self.received.append(await request.read())
        self.signatures.append(request.headers.get(SIGNATURE_HEADER))
        await asyncio.sleep(self.delay)
        return web.json_response(self.answer, status=self.status)


def call(council: str | None = None, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "next_action": "action_planning_status",
        "sender_id": "s1",
        "tracker": {
            "sender_id": "s1",
            "slots": {"council": council, "planning_ref": "BK/24/0123/FUL"},
            "events": [{"event": "user", "text": "hi", "metadata": metadata or {}}],
        },
        "domain": {},
        "version": "3.6.2",
    }


TOKEN = "router-token-for-tests-0123"
SECRETS = {
    "brackenbury": "brackenbury-secret-0123456789",
    "millbrook": "millbrook-secret-0123456789",
    "wealdshire": "wealdshire-secret-0123456789",
    "abercoed": "abercoed-secret-0123456789",
    SHARED: "shared-secret-0123456789",
}


def post(url: str, body: object, token: str | None = TOKEN) -> requests.Response:
    headers = {"X-Assistant-Router-Token": token} if token is not None else {}
    return requests.post(f"{url}/webhook", data=json.dumps(body), headers=headers, timeout=10)


@pytest.fixture(scope="module")
def registry() -> CouncilRegistry:
    return CouncilRegistry.load()


def serve_router(
    registry: CouncilRegistry,
    upstreams: dict[str, str],
    shared: str | None = None,
    timeout: float = 2.0,
) -> ServedApp:
    router = ActionRouter(registry, upstreams, shared, timeout, token=TOKEN, secrets=SECRETS)
    return ServedApp(router.app())


def test_forwards_to_the_councils_server_and_returns_its_answer_unchanged(registry) -> None:
    brackenbury = FakeActionServer(
        {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": []}
    )
    millbrook = FakeActionServer({"events": [], "responses": [{"text": "millbrook"}]})
    with ServedApp(brackenbury.app()) as b_url, ServedApp(millbrook.app()) as m_url:
        with serve_router(registry, {"brackenbury": b_url, "millbrook": m_url}) as router:
            body = call("millbrook")
            answer = post(router, body)
    assert answer.status_code == 200
    assert answer.json() == millbrook.answer
    assert [json.loads(raw) for raw in millbrook.received] == [body]
    assert brackenbury.received == []


def test_metadata_picks_the_council_when_the_slot_is_empty(registry) -> None:
    millbrook = FakeActionServer({"events": [], "responses": []})
    with ServedApp(millbrook.app()) as m_url:
        with serve_router(registry, {"millbrook": m_url}) as router:
            post(router, call(None, {"council": "millbrook"}))
    assert len(millbrook.received) == 1


def test_no_council_goes_to_the_council_free_server(registry) -> None:
    shared = FakeActionServer({"events": [], "responses": [{"response": "utter_greet"}]})
    with ServedApp(shared.app()) as s_url:
        with serve_router(registry, {}, shared=s_url) as router:
            # Unknown metadata is ignored: it is not a council.
            answer = post(router, call(None, {"council": "atlantis"}))
    assert answer.json() == shared.answer and len(shared.received) == 1


def test_an_unknown_council_slot_gets_the_unavailable_reply(registry) -> None:
    with serve_router(registry, {}) as router:
        answer = post(router, call("atlantis"))
    assert answer.status_code == 200
    assert answer.json() == {
        "events": [],
        "responses": [{"response": "utter_service_unavailable_no_council"}],
    }


def unavailable_for(answer: requests.Response, council: str, sent: bool = True) -> None:
    """The unavailable reply; after a call that was sent, the council listed in
    `outcomes_waiting` (issue 14): its server may have started a write before it failed."""
    assert answer.status_code == 200
    body = answer.json()
    waiting = [{"event": "slot", "name": "outcomes_waiting", "value": [council]}]
    assert body["events"] == (waiting if sent else [])
    [reply] = body["responses"]
    assert reply["response"] == "utter_service_unavailable"
    assert reply["council_id"] == council and reply["council_phone"]


def test_an_unreachable_action_server_gets_the_unavailable_reply(registry) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    with serve_router(registry, {"brackenbury": closed}) as router:
        unavailable_for(post(router, call("brackenbury")), "brackenbury")


def test_a_slow_action_server_is_cut_off_at_the_timeout(registry) -> None:
    slow = FakeActionServer({"events": [], "responses": []}, delay=3)
    with ServedApp(slow.app()) as s_url:
        with serve_router(registry, {"millbrook": s_url}, timeout=0.5) as router:
            unavailable_for(post(router, call("millbrook")), "millbrook")


def test_a_server_error_gets_the_unavailable_reply(registry) -> None:
    broken = FakeActionServer({"error": "boom"}, status=500)
    with ServedApp(broken.app()) as b_url:
        with serve_router(registry, {"brackenbury": b_url}) as router:
            unavailable_for(post(router, call("brackenbury")), "brackenbury")


def test_a_failed_server_is_added_to_the_councils_already_waiting(registry) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    waiting = call("millbrook")
    waiting["tracker"]["slots"]["outcomes_waiting"] = ["wealdshire"]
    with serve_router(registry, {"millbrook": closed}) as router:
        body = post(router, waiting).json()
    assert body["events"] == [
        {"event": "slot", "name": "outcomes_waiting", "value": ["millbrook", "wealdshire"]}
    ]


def test_a_form_rejection_passes_through_unchanged(registry) -> None:
    rejecting = FakeActionServer({"error": "rejected", "action_name": "x"}, status=400)
    with ServedApp(rejecting.app()) as r_url:
        with serve_router(registry, {"brackenbury": r_url}) as router:
            answer = post(router, call("brackenbury"))
    assert answer.status_code == 400 and answer.json() == rejecting.answer


def test_a_body_that_is_not_json_is_a_clear_400(registry) -> None:
    with serve_router(registry, {}) as router:
        answer = requests.post(
            f"{router}/webhook",
            data=b"{nope",
            headers={"X-Assistant-Router-Token": TOKEN},
            timeout=10,
        )
    assert answer.status_code == 400 and "JSON" in answer.json()["error"]


def test_upstreams_come_from_council_yml_with_env_overrides(registry) -> None:
    router = ActionRouter.from_config(
        registry,
        Settings.from_env(
            {
                "ASSISTANT_ACTIONS_URL_MILLBROOK": "http://actions.millbrook.internal:80/",
                "ASSISTANT_ROUTER_TOKEN": TOKEN,
                "ASSISTANT_ACTIONS_SECRET_BRACKENBURY": SECRETS["brackenbury"],
                "ASSISTANT_ACTIONS_SECRET_MILLBROOK": SECRETS["millbrook"],
                "ASSISTANT_ACTIONS_SECRET_WEALDSHIRE": SECRETS["wealdshire"],
                "ASSISTANT_ACTIONS_SECRET_ABERCOED": SECRETS["abercoed"],
            }
        ),
    )
    from_yml = {council.id: council.action_server.url for council in registry}
    assert router.upstreams == {**from_yml, "millbrook": "http://actions.millbrook.internal:80"}
    assert router.upstreams["brackenbury"] == "http://localhost:5061"
    assert router.shared_url is None


def test_every_forwarded_call_is_signed_with_its_councils_secret(registry) -> None:
    millbrook = FakeActionServer({"events": [], "responses": []})
    with ServedApp(millbrook.app()) as m_url:
        with serve_router(registry, {"millbrook": m_url}) as router:
            post(router, call("millbrook"))
    [body], [signature] = millbrook.received, millbrook.signatures
    assert signature_problem(SECRETS["millbrook"], signature, body) is None
    assert signature_problem(SECRETS["brackenbury"], signature, body) == "wrong signature"


def test_a_call_without_the_router_token_is_refused_and_not_forwarded(registry) -> None:
    millbrook = FakeActionServer({"events": [], "responses": []})
    with ServedApp(millbrook.app()) as m_url:
        with serve_router(registry, {"millbrook": m_url}) as router:
            missing = post(router, call("millbrook"), token=None)
            wrong = post(router, call("millbrook"), token="not-" + TOKEN)
    assert missing.status_code == wrong.status_code == 401
    assert millbrook.received == []


def test_a_council_without_a_signing_secret_is_never_sent_an_unsigned_call(registry) -> None:
    brackenbury = FakeActionServer({"events": [], "responses": []})
    with ServedApp(brackenbury.app()) as b_url:
        router = ActionRouter(registry, {"brackenbury": b_url}, None, token=TOKEN, secrets={})
        with ServedApp(router.app()) as url:
            unavailable_for(post(url, call("brackenbury")), "brackenbury", sent=False)
    assert brackenbury.received == []


def test_the_router_will_not_start_without_its_token(registry) -> None:
    with pytest.raises(BackOfficeConfigError, match="ASSISTANT_ROUTER_TOKEN"):
        ActionRouter.from_config(registry, Settings.from_env({}))
    with pytest.raises(BackOfficeConfigError, match="ASSISTANT_ROUTER_TOKEN"):
        ActionRouter.from_config(registry, Settings.from_env({"ASSISTANT_ROUTER_TOKEN": "short"}))


def test_the_routers_repr_holds_no_secret(registry) -> None:
    router = ActionRouter(registry, {}, None, token=TOKEN, secrets=SECRETS)
    assert TOKEN not in repr(router)
    assert not any(secret in repr(router) for secret in SECRETS.values())
