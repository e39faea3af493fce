"""Deleting what is past each council's retention (`privacy.retention_days`).

A conversation is kept whole while it is in use: its earlier sessions go once they
have ended before the cutoff, and all of it once its last event is older. A
conversation with no council yet keeps the default retention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from assistant.councils import CouncilRegistry
from assistant.councils.schema import Privacy
from assistant.privacy.logs import purge_logs
from assistant.privacy.stores import DataStores
from assistant.privacy.trackers import Conversation

DEFAULT_RETENTION_DAYS = Privacy().retention_days


@dataclass
class PurgeReport:
    """How much a purge deleted (or would delete, in a dry run)."""

    conversations: int = 0  # deleted whole
    events: int = 0  # tracker events, in whole or partly deleted conversations
    sms_choices: int = 0
    sms_webhooks: int = 0
    logs_rotated: int = 0
    logs_deleted: int = 0

    def lines(self) -> list[str]:
        return [f"{name.replace('_', ' ')}: {value}" for name, value in vars(self).items()]


def retention_days(registry: CouncilRegistry, council_id: str | None) -> int:
    """The retention of the conversation's council (the default when none or unknown)."""
    council = registry.get(council_id)
    return council.privacy.retention_days if council is not None else DEFAULT_RETENTION_DAYS


def shortest_retention(registry: CouncilRegistry) -> int:
    """The shortest retention of any council, for records that name no council."""
    return min([DEFAULT_RETENTION_DAYS, *(c.privacy.retention_days for c in registry)])


def purge(
    stores: DataStores, registry: CouncilRegistry, now: datetime, dry_run: bool = False
) -> PurgeReport:
    """Delete (or, in a dry run, count) everything older than its retention."""
    report = PurgeReport()
    conversations = {c.sender_id: c for c in stores.trackers.conversations()}
    choices = stores.sms.choice_conversations()
    for sender in sorted(conversations.keys() | choices.keys()):
        # The council is read before anything of the conversation goes.
        council = stores.trackers.council_of(sender) if sender in conversations else None
        cutoff = now - timedelta(days=retention_days(registry, council))
        if sender in conversations:
            _purge_tracker(stores, conversations[sender], cutoff.timestamp(), dry_run, report)
        if sender in choices and choices[sender] < cutoff:
            report.sms_choices += 1
            if not dry_run:
                stores.sms.delete_choices(sender)
    oldest = now - timedelta(days=shortest_retention(registry))
    report.sms_webhooks = stores.sms.count_inbound_before(oldest)
    if not dry_run:
        stores.sms.delete_inbound_before(oldest)
    if stores.log_dir is not None:
        logs = purge_logs(stores.log_dir, shortest_retention(registry), now.timestamp(), dry_run)
        report.logs_rotated, report.logs_deleted = logs.rotated, logs.deleted
    return report


def _purge_tracker(
    stores: DataStores,
    conversation: Conversation,
    cutoff: float,
    dry_run: bool,
    report: PurgeReport,
) -> None:
    """A conversation's sessions ended before `cutoff`, or all of it once it has."""
    trackers, sender = stores.trackers, conversation.sender_id
    if conversation.first >= cutoff:
        return
    before: int | None = None
    if conversation.last >= cutoff:
        before = trackers.sessions_before(sender, cutoff)
        if before is None:
            return  # one session, still in use
    else:
        report.conversations += 1
    report.events += trackers.count_before(sender, before)
    if not dry_run:
        trackers.delete(sender, before)
