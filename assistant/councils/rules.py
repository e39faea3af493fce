"""Rules across councils: what two council.yml files must never share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from assistant.councils.schema import CouncilFile


def check_across_councils(files: Mapping[Path, CouncilFile]) -> str | None:
    """The first clash between councils (ids, GSS codes, action-server ports,
    secret variable names, SMS numbers), described with file and key, or None."""
    checks = (
        ("id", lambda c: [(c.id, "id")]),
        ("GSS code", lambda c: [(c.gss_code, "gss_code")]),
        ("action-server port", _ports),
        ("secret variable", lambda c: [(v, k) for k, v in c.secret_variables().items()]),
        ("SMS number", lambda c: list(c.sms_numbers().items())),
    )
    for what, values in checks:
        problem = _first_clash(what, ((path, c.id, values(c)) for path, c in files.items()))
        if problem:
            return problem
    return None


def _ports(config: CouncilFile) -> list[tuple[object, str]]:
    if config.action_server is None:
        return []
    return [(config.action_server.port, "action_server.url")]


def _first_clash(
    what: str, entries: Iterable[tuple[Path, str, list[tuple[object, str]]]]
) -> str | None:
    owner: dict[object, str] = {}
    for path, council_id, values in entries:
        for value, key in values:
            if value in owner and owner[value] != council_id:
                return f"{path}: {key}: {what} {value} is already used by {owner[value]}"
            if value in owner:
                continue
            owner[value] = council_id
    return None
