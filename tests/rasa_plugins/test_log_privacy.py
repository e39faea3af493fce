"""Issue 10, finding 11: resident text starting with "/" was written verbatim to
Rasa's log. The Rasa process, once it has loaded our channels, logs none of it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from assistant.rasa_plugins.log_privacy import REDACTED, redact, redact_event
from assistant.settings import PROJECT_ROOT

MARKER = "zq-resident-marker-4412"

# What `rasa run` does before serving (rasa/__main__.py), then Rasa's own ways of
# writing a resident's text: the "/" warning, a structlog debug event, stdlib debug.
RASA_PROCESS = textwrap.dedent(
    f"""
    import logging, sys
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.io import configure_colored_logging
    from rasa.utils.log_utils import configure_structlog
    configure_logging_and_warnings(logging.DEBUG, None, warn_only_once=True,
                                   filter_repeated_logs=True)
    configure_colored_logging(logging.DEBUG)
    configure_structlog(logging.DEBUG)
    if sys.argv[1] == "with-plugins":
        import assistant.rasa_plugins.channels.rest  # what credentials.yml loads
    import rasa.shared.utils.io, structlog
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.nlu.training_data.message import Message
    # What Rasa's RegexMessageHandler does with a message starting with "/".
    YAMLStoryReader.unpack_regex_message(
        Message(data={{"text": "/{MARKER}"}}), Domain.from_dict({{"intents": ["greet"]}})
    )
    YAMLStoryReader.unpack_regex_message(
        Message(data={{"text": "/greet{{bad {MARKER}"}}), Domain.from_dict({{"intents": ["greet"]}})
    )
    rasa.shared.utils.io.raise_warning(
        "Parsed an intent '/{MARKER}' which is not defined in the domain. "
        "Please make sure all intents are listed in the domain."
    )
    structlog.get_logger().debug("processor.message.parse", parse_data_text="/{MARKER}",
                                 parse_data_entities=[])
    logging.getLogger("rasa.core.processor").warning("Received user message '/{MARKER}'")
    print("done", flush=True)
    """
)


def rasa_like_output(mode: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", RASA_PROCESS, mode],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"},
    )
    assert "done" in done.stdout, done.stderr[-2000:]
    return done.stdout + done.stderr


@pytest.mark.parametrize("mode", ["with-plugins"])
def test_rasa_process_logs_no_resident_text(mode: str) -> None:
    output = rasa_like_output(mode)
    assert MARKER not in output
    assert f"Failed to parse arguments in line '{REDACTED}'" in output  # logged, masked
    assert "Parsed an intent" in output and REDACTED in output


def test_without_our_plugins_rasa_logs_the_text() -> None:
    """The control: the same process without our channels shows the marker, so the
    test above fails if the redaction stops working."""
    assert MARKER in rasa_like_output("bare")


def test_redact_masks_quoted_text_and_json_keys() -> None:
    rasa_warning = (
        f"Failed to parse arguments in line '/{MARKER}'. Expected the intent to be one "
        f"of [['greet']] but found {MARKER}.Continuing with given line as user text."
    )
    assert MARKER not in redact(rasa_warning)
    assert redact(rasa_warning).startswith("Failed to parse arguments in line '<redacted>'")
    assert MARKER not in redact(f"Continuing without {MARKER} it's. ")
    assert MARKER not in redact(f"Parsed an intent '/{MARKER}' which is not defined")
    line = json.dumps({"event": "processor.message.parse", "parse_data_text": MARKER})
    masked = json.loads(redact(line))
    assert masked == {"event": "processor.message.parse", "parse_data_text": REDACTED}
    assert MARKER not in redact(f"{{'text': '{MARKER}', 'intent': 'greet'}}")
    plain = "sms_twilio webhook rejected (403): Missing X-Twilio-Signature."
    assert redact(plain) == plain


def test_structlog_processor_masks_text_keys() -> None:
    event = redact_event(None, "debug", {"event": "x", "text": MARKER, "sender_id": "s1"})
    assert event == {"event": "x", "text": REDACTED, "sender_id": "s1"}
