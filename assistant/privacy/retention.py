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
    councils = {
        conversation.sender_id: stores.trackers.council_of(conversation.sender_id)
        for conversation in stores.trackers.conversations()
    }
    _purge_trackers(stores, registry, councils, now, dry_run, report)
    _purge_sms(stores, registry, councils, now, dry_run, report)
    if stores.log_dir is not None:
        logs = purge_logs(stores.log_dir, shortest_retention(registry), now.timestamp(), dry_run)
        report.logs_rotated, report.logs_deleted = logs.rotated, logs.deleted
    return report


def _cutoff(registry: CouncilRegistry, council_id: str | None, now: datetime) -> datetime:
    return now - timedelta(days=retention_days(registry, council_id))


def _purge_trackers(
    stores: DataStores,
    registry: CouncilRegistry,
    councils: dict[str, str | None],
    now: datetime,
    dry_run: bool,
    report: PurgeReport,
) -> None:
    trackers = stores.trackers
    for conversation in list(trackers.conversations()):
        sender = conversation.sender_id
        cutoff = _cutoff(registry, councils.get(sender), now).timestamp()
        if conversation.first >= cutoff:
            continue
        before: int | None = None
        if conversation.last >= cutoff:
            before = trackers.sessions_before(sender, cutoff)
            if before is None:
                continue  # one session, still in use
        else:
            report.conversations += 1
        report.events += trackers.count_before(sender, before)
        if not dry_run:
            trackers.delete(sender, before)


def _purge_sms(
    stores: DataStores,
    registry: CouncilRegistry,
    councils: dict[str, str | None],
    now: datetime,
    dry_run: bool,
    report: PurgeReport,
) -> None:
    sms = stores.sms
    for conversation, offered_at in sms.choice_conversations().items():
        if offered_at < _cutoff(registry, councils.get(conversation), now):
            report.sms_choices += 1
            if not dry_run:
                sms.delete_choices(conversation)
    oldest = now - timedelta(days=shortest_retention(registry))
    report.sms_webhooks = sms.count_inbound_before(oldest)
    if not dry_run:
        sms.delete_inbound_before(oldest)
