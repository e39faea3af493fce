"""The pretend phone page (`GET /_fake/`): text any council number from council.yml."""

from __future__ import annotations

import html
from pathlib import Path
from string import Template

from assistant.rasa_plugins.channels.sms_config import SmsDirectory

PHONE_PAGE = Path(__file__).with_name("phone.html")


def phone_page(directory: SmsDirectory | None) -> str:
    """The pretend phone, offering every council number from council.yml."""
    accounts = sorted((directory.accounts if directory else {}).items())
    options = "\n".join(
        f'      <option value="{gateway} {number}">'
        f"{html.escape(account.council.short_name)} ({gateway}) {number}</option>"
        for (gateway, number), account in accounts
    )
    return Template(PHONE_PAGE.read_text(encoding="utf-8")).substitute(options=options)
