"""devtools.commands: the development tools on `python -m assistant`."""

from __future__ import annotations

import pytest

from assistant import cli
from assistant.cli import main
from devtools import commands


def test_command_names_are_unique_across_runtime_and_tools() -> None:
    names = [command.name for command in [*cli.COMMANDS, *commands.COMMANDS]]
    assert len(names) == len(set(names))


def test_a_dev_command_is_dispatched_with_its_arguments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["benchmark", "--messages", "0"]) == 2  # refused before anything starts
    assert "--messages must be at least 1, not 0" in capsys.readouterr().err


def test_a_dev_command_refuses_unknown_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["demo-backoffice", "--colour", "red"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --colour" in capsys.readouterr().err
