"""The command line: clear output and exit codes, no stack traces for bad configuration."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import cli
from assistant.cli import main
from assistant.settings import Settings


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
    assert "broken/council.yml: gss_code: is required" in err


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


def test_every_command_is_listed_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("councils", "actions", "router", "nlg", "staff-site", "web"):
        assert command in out  # the runtime's
    for command in ("run", "train", "validate", "evaluate-nlu", "benchmark-nlg"):
        assert command in out  # the development tools'
    assert "demo-backoffice" in out and "fake-sms-gateway" in out


def without_devtools(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in an installed runtime: importing devtools fails."""
    for name in [name for name in sys.modules if name.split(".")[0] == "devtools"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "devtools", None)


def test_a_dev_command_without_devtools_says_so_plainly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    without_devtools(monkeypatch)
    assert main(["train", "--force"]) == 2
    err = capsys.readouterr().err
    assert "'train' is not a runtime command" in err
    assert "development tooling not installed (use a clone of the repository)" in err


def test_runtime_commands_work_without_devtools(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    without_devtools(monkeypatch)
    assert main(["councils"]) == 0
    assert "brackenbury" in capsys.readouterr().out


def test_a_missing_dependency_of_devtools_is_not_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dev_commands_here.py").write_text("import no_such_dependency_here\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cli, "DEV_COMMANDS", "dev_commands_here")
    with pytest.raises(ModuleNotFoundError, match="no_such_dependency_here"):
        main(["councils"])


def test_the_runtime_package_never_imports_devtools() -> None:
    """Only the command line names devtools, as a string it imports when present."""
    package = Path(cli.__file__).parent
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "devtools" for n in names), path
    code = "import sys, assistant.cli; print(sorted(m for m in sys.modules if 'devtools' in m))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"


def test_every_process_the_supervisor_starts_is_an_assistant_command() -> None:
    from devtools.supervisor.services import assistant_services

    settings = Settings.from_env()
    services = assistant_services(settings, Path("endpoints.yml"))
    registered = {command.name for command in [*cli.COMMANDS, *(cli.dev_commands() or [])]}
    started = {}
    for service in services:
        module, command = service.command[2], service.command[3]
        if service.name == "rasa":
            assert (module, command) == ("assistant.rasa_plugins.server", "run")
            continue
        assert module == "assistant", service.command
        started[service.name] = command  # python -m assistant <command> ...
    assert started.pop("forkserver") == "fork-server"
    assert set(started.values()) <= registered
    assert {"nlg", "staff-site", "web", "fake-sms-gateway", "router", "actions"} <= set(
        started.values()
    )
