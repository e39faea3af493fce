"""What an action server process serves: its council and that council's back-office.

Read once at start (`configure`, or `ASSISTANT_COUNCIL` on first use). Actions ask
`backoffice_for(council)` and get the back-office only for this process's council.
"""

from __future__ import annotations

from assistant.backoffice.errors import BackOfficeConfigError
from assistant.backoffice.registry import BackOffice, build_backoffice
from assistant.councils import Council, default_registry
from assistant.settings import Settings

COUNCIL_ENV = "ASSISTANT_COUNCIL"

_state: dict[str, BackOffice | None] = {}


def configure(backoffice: BackOffice | None) -> None:
    """Set this process's back-office (None: the council-free action server)."""
    _state["backoffice"] = backoffice


def current_backoffice() -> BackOffice | None:
    """This process's back-office, built from `ASSISTANT_COUNCIL` on first use."""
    if "backoffice" not in _state:
        settings = Settings.from_env()
        council_id = settings.council
        council = default_registry().get(council_id) if council_id else None
        if council_id and council is None:
            raise BackOfficeConfigError(f"{COUNCIL_ENV}={council_id!r} is not a configured council")
        backoffice = build_backoffice(council, settings.environ) if council is not None else None
        _state["backoffice"] = backoffice
    return _state["backoffice"]


def backoffice_for(council: Council) -> BackOffice | None:
    """The back-office of `council` if this process serves it, else None."""
    backoffice = current_backoffice()
    if backoffice is None or backoffice.council_id != council.id:
        return None
    return backoffice
