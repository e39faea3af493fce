"""Every table the migrations manage, gathered on the one `MetaData`."""

from __future__ import annotations

from sqlalchemy import MetaData

from assistant.database import metadata


def model_metadata() -> MetaData:
    """The project's `MetaData` with every model module imported (so every table is on it)."""
    import assistant.answers.store
    import assistant.attempts
    import assistant.backoffice.payment_links
    import assistant.backoffice.pending
    import assistant.insight.summary
    import assistant.rasa_plugins.channels.sms_store
    import assistant.staff.accounts  # noqa: F401

    return metadata
