"""Files the supervisor and its services create are private to the user running
them (issue 10, finding 11): logs, SQLite databases, endpoints with secrets."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

PRIVATE_UMASK = 0o077  # new files 0600, new folders 0700
PRIVATE = 0o600


def open_log(path: Path, truncate: bool) -> BinaryIO:
    """A log opened for appending (so that it can be rotated in place), 0600;
    emptied first when `truncate`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if truncate else 0)
    descriptor = os.open(path, flags, PRIVATE)
    os.chmod(path, PRIVATE)  # a log made before this change was 0644
    return os.fdopen(descriptor, "ab")
