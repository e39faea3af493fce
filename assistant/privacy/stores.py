"""Where residents' data is kept, opened from the settings: Rasa's tracker store, the
SMS channels' database and the service logs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.privacy.sms_records import SmsRecords
from assistant.privacy.trackers import TrackerEvents
from assistant.settings import Settings


@dataclass(frozen=True)
class DataStores:
    """Every place residents' data is kept."""

    trackers: TrackerEvents
    sms: SmsRecords
    log_dir: Path | None = None

    @classmethod
    def from_settings(cls, settings: Settings, log_dir: Path | None = None) -> DataStores:
        """The settings' tracker and SMS databases, and `log_dir` (default var/log)."""
        sms_engine = make_engine(settings.sms_db_url)
        migrate(sms_engine)
        return cls(
            trackers=TrackerEvents(settings.tracker_db_url),
            sms=SmsRecords(sms_engine),
            log_dir=log_dir if log_dir is not None else settings.var_dir / "log",
        )
