"""What an action server process serves: its council and that council's back-office.

Read once at start (`configure`, or `ASSISTANT_COUNCIL` on first use). Actions ask
`backoffice_for(council)` and get the back-office only for this process's council.
"""

from __future__ import annotations

from assistant.backoffice.errors import BackOfficeConfigError
from assistant.backoffice.pending import PendingWrites
from assistant.backoffice.registry import BackOffice, build_backoffice
from assistant.councils import Council, default_registry
from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.settings import Settings

COUNCIL_ENV = "ASSISTANT_COUNCIL"

_state: dict[str, BackOffice | None] = {}
_writes: dict[str, PendingWrites] = {}


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


def configure_writes(store: PendingWrites | None) -> None:
    """Set this process's pending-write records (None: from the settings on next use)."""
    _writes.clear()
    if store is not None:
        _writes["store"] = store


def open_writes(url: str) -> PendingWrites:
    """The pending-write records in the database at `url`, migrated first."""
    engine = make_engine(url)
    migrate(engine)
    return PendingWrites(engine)


def pending_writes() -> PendingWrites:
    """This process's pending-write records (issue 10, finding 7): as configured, else
    the database at `ASSISTANT_WRITES_DB_URL` (SQLite under var/ by default)."""
    if "store" not in _writes:
        _writes["store"] = open_writes(Settings.from_env().writes_db_url)
    return _writes["store"]
