"""Issue 10, finding 11: logs were kept forever. They are rotated daily and rotated
logs are deleted after the shortest retention of any council."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from assistant.privacy.logs import ROTATE_EVERY, purge_logs
from devtools.supervisor.files import open_log

DAY = 86400.0


def test_logs_are_rotated_daily_and_deleted_after_retention(tmp_path: Path) -> None:
    log = tmp_path / "rasa.log"
    writer = open_log(log, truncate=True)  # as the supervisor hands it to a service
    writer.write(b"day one\n")
    writer.flush()
    start = 1_000_000.0
    assert purge_logs(tmp_path, 7, start, dry_run=False).rotated == 0  # first sight
    os.utime(log, (start, start))

    later = start + ROTATE_EVERY + 1
    assert purge_logs(tmp_path, 7, later, dry_run=True).rotated == 1
    assert log.read_text() == "day one\n"  # a dry run changes nothing
    assert purge_logs(tmp_path, 7, later, dry_run=False).rotated == 1
    (rotated,) = tmp_path.glob("rasa.log.*")
    assert rotated.read_text() == "day one\n"
    assert stat.S_IMODE(rotated.stat().st_mode) == 0o600
    writer.write(b"day two\n")  # the service carries on at the start of the emptied log
    writer.flush()
    assert log.read_text() == "day two\n"

    assert purge_logs(tmp_path, 7, start + 6 * DAY, dry_run=False).deleted == 0  # rotates day two
    report = purge_logs(tmp_path, 7, start + 8 * DAY, dry_run=False)
    assert report.deleted == 1 and not rotated.exists()
    assert [p.read_text() for p in tmp_path.glob("rasa.log.*")] == ["day two\n"]
    writer.close()
