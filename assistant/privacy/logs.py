"""Service logs under retention: rotated once a day, rotated files deleted once past
the shortest retention of any council (a log line names no council).

Rotation copies `<service>.log` to `<service>.log.<UTC time>` and empties it in
place; the services write in append mode (the supervisor opens them so), so they
carry on at the start of the emptied file.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

ROTATE_EVERY = 24 * 3600.0
PRIVATE = 0o600


@dataclass(frozen=True)
class LogPurge:
    """What a log purge rotated and deleted (or would, in a dry run)."""

    rotated: int
    deleted: int


def _marker(log: Path) -> Path:
    return log.with_name(f".{log.name}.rotated")


def _due(log: Path, now: float) -> bool:
    """True when the log has content and was last rotated a day ago or more."""
    marker = _marker(log)
    if not marker.exists():
        return False
    return log.stat().st_size > 0 and now - marker.stat().st_mtime >= ROTATE_EVERY


def rotate(log: Path, now: float) -> Path:
    """Copy the log aside (keeping its last-written time) and empty it in place."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    rotated = log.with_name(f"{log.name}.{stamp}")
    shutil.copy2(log, rotated)
    os.chmod(rotated, PRIVATE)
    with log.open("r+b") as live:
        live.truncate(0)
    return rotated


def purge_logs(log_dir: Path, retention_days: float, now: float, dry_run: bool) -> LogPurge:
    """Rotate the logs due for it and delete rotated logs last written before the cutoff."""
    if not log_dir.is_dir():
        return LogPurge(0, 0)
    cutoff = now - retention_days * 86400
    rotated = deleted = 0
    for log in sorted(log_dir.glob("*.log")):
        marker = _marker(log)
        if _due(log, now):
            rotated += 1
            if not dry_run:
                rotate(log, now)
                os.utime(marker, (now, now))
        elif not marker.exists() and not dry_run:
            marker.touch(mode=PRIVATE)
            os.utime(marker, (now, now))
    for old in sorted(log_dir.glob("*.log.*")):
        if old.stat().st_mtime < cutoff:
            deleted += 1
            if not dry_run:
                old.unlink()
    return LogPurge(rotated, deleted)
