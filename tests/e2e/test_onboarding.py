"""Issue 11: a new council in minutes, as data. Scaffold it with `python -m assistant
council new`, add its demo records, start the stack (no retrain, no Python written)
and chat on its widget. The wall-clock time from scaffold to a working chat is printed
(run with -s to see it) and must stay under ten minutes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from assistant.councils.registry import DEFAULT_COUNCILS_DIR
from assistant.isolation import isolated
from assistant.settings import PROJECT_ROOT, Settings
from devtools.supervisor.services import assistant_services, write_endpoints
from devtools.supervisor.stack import Stack
from devtools.training import train
from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e

DEMO_ADDRESS = {
    "uprn": "300030001001",
    "postcode": "AC1 1AA",
    "address": "1 Market Street, Ashcombe AC1 1AA",
    "day": "wednesday",
}


def test_a_scaffolded_council_chats_without_code_or_retraining(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    councils = tmp_path / "councils"
    shutil.copytree(DEFAULT_COUNCILS_DIR, councils)
    monkeypatch.setenv("ASSISTANT_COUNCILS_DIR", str(councils))
    env = {**Settings.from_env().environ, "ASSISTANT_COUNCILS_DIR": str(councils)}
    model = train(Settings.from_env())  # the shared model, unchanged by a new council
    started = time.monotonic()
    # 1. Scaffold (what the officer types).
    subprocess.run(
        [sys.executable, "-m", "assistant", "council", "new", "ashcombe",
         "--name", "Ashcombe District Council", "--gss-code", "E07000992",
         "--tier", "district", "--county-gss-code", "E10000991",
         "--services", "waste,council_tax,planning"],
        check=True, cwd=PROJECT_ROOT, env=env, capture_output=True,
    )  # fmt: skip
    # 2. Demo data: one address in its demo.yml.
    demo_file = councils / "ashcombe" / "demo.yml"
    demo = yaml.safe_load(demo_file.read_text(encoding="utf-8"))
    demo["addresses"] = [DEMO_ADDRESS]
    demo_file.write_text(yaml.safe_dump(demo), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "assistant", "councils"],
        check=True, cwd=PROJECT_ROOT, env=env, capture_output=True,
    )  # fmt: skip
    # 3. Start (restart) the stack with it.
    settings = isolated(
        replace(Settings.from_env(env), councils_dir=councils),
        var_dir=tmp_path / "var",
        models_dir=model.parent,
    )
    endpoints = write_endpoints(settings, tmp_path / "endpoints.yml", tmp_path / "trackers.db")
    stack = Stack(assistant_services(settings, endpoints), log_dir=tmp_path / "logs", env=env)
    stack.start(timeout=300)
    try:
        # 4. Chat on its widget.
        chat, me = Chat(settings.rasa_url), f"onboard-{uuid.uuid4().hex[:8]}"
        assert "postcode of the address" in chat.texts(me, "when is my bin collected", "ashcombe")
        answer = chat.texts(me, "AC1 1AA", "ashcombe")
        assert "Next collections at 1 Market Street" in answer
        elapsed = time.monotonic() - started
        # Its potholes go to the configured county, Wealdshire.
        pothole = chat.texts(f"{me}-2", "report a pothole", "ashcombe")
        assert "looked after by Wealdshire County Council" in pothole
    finally:
        stack.stop()
    print(f"\nscaffold to a working chat: {elapsed:.0f} s")
    assert elapsed < 600
