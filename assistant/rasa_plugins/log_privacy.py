"""No resident text in the Rasa server's logs (issue 10, finding 11).

Rasa writes what residents type into its log in a few places: a message starting
with "/" is parsed as an intent name and warned about verbatim ("Failed to parse
arguments in line '/...'. Expected the intent to be one of [...] but found ...",
"Parsed an intent '...'"), and its structured debug events carry the text, entities
and slots. `install()` redacts them in this process:

- a structlog processor that masks the keys Rasa itself lists as personal
  (`rasa.utils.log_utils._anonymizer`) before any renderer sees them;
- a log record factory that masks quoted resident text in stdlib log messages and
  those keys in the JSON lines structlog hands to stdlib logging;
- `warnings.showwarning`, through which Rasa's warnings reach standard error.

Installed when Rasa loads this project's channels and NLG client (like `speedups`).
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from typing import Any, TextIO

REDACTED = "<redacted>"
# Rasa's `_anonymizer` keys (rasa/utils/log_utils.py), and our own channels' words.
TEXT_KEYS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
        "metadata",
        "body",
    }
)
# Messages that quote what a resident typed: the quoted part goes.
_WORD = r"(?<![\w'\"])((?:user message|[Tt]ext|utterance|[Mm]essage)(?!['\"])\s*[:=]?\s*)"
QUOTED_TEXT = (
    re.compile(r"(Parsed an (?:intent|entity) )'.*?'(?= which)", re.DOTALL),
    # Rasa's warnings about a message starting with "/" (yaml_story_reader.py).
    re.compile(
        r"(Failed to parse arguments in line )'.*'(?=\. (?:Expected|Failed to interpret))",
        re.DOTALL,
    ),
    re.compile(r"(but found )(?:(?!\.Continuing).)*", re.DOTALL),
    re.compile(r"(Continuing without ).*?(?=\. *$)", re.DOTALL),
    re.compile(r"(['\"]text['\"]\s*:\s*)(['\"])(?:(?!\2)[^\\]|\\.)*\2"),
    re.compile(_WORD + r"'(?:[^'\\]|\\.)*'"),
    re.compile(_WORD + r'"(?:[^"\\]|\\.)*"'),
)
_STATE = {"installed": False}


def redact(message: str) -> str:
    """`message` with resident text masked (a JSON object line: its text keys)."""
    stripped = message.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
        if isinstance(data, dict):
            return json.dumps(redact_event(None, "", data))
    for pattern in QUOTED_TEXT:
        message = pattern.sub(lambda m: f"{m.group(1)}'{REDACTED}'", message)
    return message


def redact_event(logger: Any, method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """A structlog processor: mask the keys that may hold resident text."""
    for key in TEXT_KEYS.intersection(event_dict):
        event_dict[key] = REDACTED
    event = event_dict.get("event")
    if isinstance(event, str):
        event_dict["event"] = redact(event) if "'" in event or '"' in event else event
    return event_dict


def _redacting_factory(original: Any) -> Any:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = original(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is left for logging to report
            return record
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return record

    return factory


def _redacting_showwarning(original: Any) -> Any:
    def showwarning(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        original(redact(str(message)), category, filename, lineno, file, line)

    return showwarning


def _install_structlog() -> None:
    try:
        import structlog
    except ImportError:  # pragma: no cover - Rasa 3.6 depends on it
        return
    processors = structlog.get_config()["processors"]
    if redact_event not in processors:
        processors.insert(0, redact_event)  # in place: loggers made already share it


def install() -> None:
    """Redact resident text from this process's logs and warnings (idempotent)."""
    if _STATE["installed"]:
        return
    logging.setLogRecordFactory(_redacting_factory(logging.getLogRecordFactory()))
    warnings.showwarning = _redacting_showwarning(warnings.showwarning)
    _install_structlog()
    _STATE["installed"] = True
