"""`make run`'s privacy pieces: the scheduled purge and the kept SMS sender key."""

from __future__ import annotations

import stat
from pathlib import Path

from assistant.settings import Settings
from devtools.supervisor.foreground import purge_job, with_kept_sender_key


def test_the_demo_sender_key_is_kept_private_across_runs(tmp_path: Path) -> None:
    settings = Settings.from_env({"ASSISTANT_VAR_DIR": str(tmp_path)})
    first = with_kept_sender_key(settings)
    second = with_kept_sender_key(settings)
    assert first.sms_sender_key is not None and first.sms_sender_key == second.sms_sender_key
    assert first.environ["ASSISTANT_SMS_SENDER_KEY"] == first.sms_sender_key.reveal()
    assert stat.S_IMODE((tmp_path / "sms_sender.key").stat().st_mode) == 0o600


def test_a_configured_sender_key_is_used_and_not_written(tmp_path: Path) -> None:
    env = {"ASSISTANT_VAR_DIR": str(tmp_path), "ASSISTANT_SMS_SENDER_KEY": "k" * 32}
    key = with_kept_sender_key(Settings.from_env(env)).sms_sender_key
    assert key is not None and key.reveal() == "k" * 32
    assert not (tmp_path / "sms_sender.key").exists()


def test_the_purge_runs_every_configured_interval() -> None:
    job = purge_job(Settings.from_env({"ASSISTANT_PURGE_EVERY_SECONDS": "600"}))
    assert job.every == 600
    assert list(job.command)[-2:] == ["privacy", "purge"]
