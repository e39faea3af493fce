"""Issue 10, finding 11: transcripts were kept forever. The purge deletes what is past
each council's own retention and nothing else."""

from __future__ import annotations

from assistant.privacy.retention import purge
from tests.privacy.conftest import NOW, Data, days_ago, session


def fill(data: Data) -> None:
    """Brackenbury keeps 30 days, Millbrook 7."""
    data.conversation("b-old", session("brackenbury", "b old", days_ago(40)))
    data.conversation("b-recent", session("brackenbury", "b recent", days_ago(10)))
    data.conversation("m-old", session("millbrook", "m old", days_ago(10)))
    data.conversation("m-recent", session("millbrook", "m recent", days_ago(2)))
    data.conversation(
        "m-long",
        session("millbrook", "m long first", days_ago(20)),
        session("millbrook", "m long second", days_ago(1)),
    )
    data.conversation("nobody-old", session(None, "no council", days_ago(31)))
    data.offer("m-old", "12 Mill Street", days=10)
    data.offer("b-recent", "3 Brack Road", days=10)
    data.webhook("SM-old", days=8)
    data.webhook("SM-new", days=1)


def test_purge_deletes_per_council_retention_and_keeps_the_rest(data: Data) -> None:
    fill(data)
    report = purge(data.stores, data.registry, NOW)

    assert data.texts("b-old") == [] and data.texts("m-old") == []
    assert data.texts("nobody-old") == []  # no council: the default 30 days
    # 10 days is within Brackenbury's 30 though past Millbrook's 7.
    assert data.texts("b-recent") == ["b recent"]
    assert data.texts("m-recent") == ["m recent"]
    # A conversation in use loses only its sessions that ended before the cutoff.
    assert data.texts("m-long") == ["m long second"]
    assert data.sms.offered_choices("m-old") == []
    assert [c.title for c in data.sms.offered_choices("b-recent")] == ["3 Brack Road"]
    assert data.sms.pending_reply("twilio", "SM-old") is None
    assert not data.sms.claim("twilio", "SM-new")  # still known: a retry is recognised
    assert data.sms.claim("twilio", "SM-old")  # forgotten
    assert (report.conversations, report.sms_choices, report.sms_webhooks) == (3, 1, 1)
    assert report.events > 0


def test_dry_run_counts_the_same_and_deletes_nothing(data: Data) -> None:
    fill(data)
    dry = purge(data.stores, data.registry, NOW, dry_run=True)
    assert data.texts("b-old") == ["b old"]
    assert data.texts("m-long") == ["m long first", "m long second"]
    assert data.sms.offered_choices("m-old") != []
    assert purge(data.stores, data.registry, NOW) == dry


def test_purge_is_idempotent(data: Data) -> None:
    fill(data)
    purge(data.stores, data.registry, NOW)
    again = purge(data.stores, data.registry, NOW)
    assert (again.conversations, again.events, again.sms_choices, again.sms_webhooks) == (
        0,
        0,
        0,
        0,
    )
    assert data.texts("m-long") == ["m long second"]


def test_purge_with_no_tracker_store_yet(data: Data) -> None:
    report = purge(data.stores, data.registry, NOW)
    assert report.conversations == report.events == 0


def test_choices_of_a_conversation_with_no_transcript_keep_the_default(data: Data) -> None:
    # The one loop goes over SMS choices of conversations the tracker store lacks too.
    data.offer("sms-only-old", "1 Old Road", days=31)
    data.offer("sms-only-new", "2 New Road", days=10)
    report = purge(data.stores, data.registry, NOW)
    assert data.sms.offered_choices("sms-only-old") == []
    assert [c.title for c in data.sms.offered_choices("sms-only-new")] == ["2 New Road"]
    assert (report.conversations, report.sms_choices) == (0, 1)
