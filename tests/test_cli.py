"""The command line: clear output and exit codes, no stack traces for bad configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli import main


def test_councils_lists_the_demo_councils(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["councils"]) == 0
    out = capsys.readouterr().out
    assert "brackenbury" in out and "Millbrook District Council" in out


def test_broken_council_configuration_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "council.yml").write_text("id: broken\n", encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_COUNCILS_DIR", str(tmp_path))
    assert main(["councils"]) == 2
    err = capsys.readouterr().err
    assert "broken/council.yml: contact: is required" in err
    assert "broken/council.yml: postcode_areas: is required" in err


def test_councils_writes_the_json_schema(tmp_path: Path) -> None:
    from assistant.councils.schema import schema_text

    target = tmp_path / "council.schema.json"
    assert main(["councils", "--schema", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == schema_text()
    assert '"title": "council.yml"' in schema_text()


def test_bad_setting_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_RASA_PORT", "not-a-port")
    assert main(["councils"]) == 2
    assert "ASSISTANT_RASA_PORT must be a port number" in capsys.readouterr().err


def test_unknown_command_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
