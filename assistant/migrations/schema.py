"""Every table the migrations manage, gathered on the one `MetaData`."""

from __future__ import annotations

from sqlalchemy import MetaData

from assistant.database import metadata


def model_metadata() -> MetaData:
    """The project's `MetaData` with every model module imported (so every table is on it)."""
    import assistant.answers.details_store
    import assistant.answers.notices
    import assistant.answers.store
    import assistant.attempts
    import assistant.backoffice.payment_links
    import assistant.backoffice.pending
    import assistant.insight.summary
    import assistant.rasa_plugins.channels.sms_store
    import assistant.review.audit
    import assistant.review.suggestions
    import assistant.staff.accounts
    import assistant.staff.links  # noqa: F401

    return metadata
