"""`python -m assistant run`: train if needed, start every service, wait for Ctrl-C."""

from __future__ import annotations

import signal
from collections.abc import Mapping
from types import FrameType

from assistant.councils import CouncilRegistry
from assistant.settings import Settings
from devtools.supervisor.services import assistant_services, write_endpoints
from devtools.supervisor.stack import Stack
from devtools.training import train

INDENT = " " * 19


def run(settings: Settings) -> int:
    """Train if needed, start the whole stack and wait until it stops or is stopped."""
    registry = CouncilRegistry.load(settings.councils_dir)  # refuse a broken configuration
    train(settings)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    from assistant.staff.commands import demo_accounts

    staff_passwords = demo_accounts(settings, registry)
    # The endpoints for these settings' ports (endpoints.yml holds the default ones).
    endpoints = write_endpoints(
        settings, settings.var_dir / "endpoints.yml", settings.var_dir / "trackers.db"
    )
    stack = Stack(assistant_services(settings, endpoints), settings=settings)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)  # Ctrl-C, even where the shell ignored SIGINT
    try:
        stack.start()
        print(service_addresses(settings), flush=True)
        print(staff_sign_ins(settings, staff_passwords), flush=True)
        print(channel_addresses(settings, registry), flush=True)
        return stack.wait()
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    finally:
        stack.stop()


def service_addresses(settings: Settings) -> str:
    """Where the REST channel, the action router and the demo back-office listen."""
    return (
        "\nThe council assistant is running. Ctrl-C stops everything.\n"
        f"  REST channel:  POST {settings.rasa_url}/webhooks/rest/webhook\n"
        '                 {"sender": "me", "message": "hello", '
        '"metadata": {"council": "brackenbury"}}\n'
        f"  Action router: {settings.actions_url}/webhook (one action server per council)\n"
        f"  Demo back-office: {settings.backoffice_url}/\n"
    )


def staff_sign_ins(settings: Settings, passwords: Mapping[str, str]) -> str:
    """The staff site's address and this run's demo sign-ins."""
    return (
        f"  Staff site:    {settings.staff_url}/  (change each council's answers)\n"
        "                 demo sign-ins, new passwords every start (shown once):\n"
        + "".join(f"{INDENT}{user:<18} {pw}\n" for user, pw in passwords.items())
    )


def channel_addresses(settings: Settings, registry: CouncilRegistry) -> str:
    """Where residents reach the assistant: each council's web page and SMS webhooks."""
    from assistant.rasa_plugins.channels.sms_config import SmsDirectory

    pages = "".join(
        f"{INDENT}{council.name}: {settings.web_url}/{council.id}/\n" for council in registry
    )
    numbers = "".join(
        f"{INDENT}{gateway:<7} {number}  {account.council.name}\n"
        for (gateway, number), account in sorted(
            SmsDirectory.from_registry(registry).accounts.items()
        )
    )
    return (
        "  Web chat (council pages with the web chat widget):\n"
        + pages
        + f"  SMS webhooks:  POST {settings.rasa_url}/webhooks/sms_twilio/webhook (Twilio)\n"
        + f"                 POST {settings.rasa_url}/webhooks/sms_notify/webhook (GOV.UK Notify)\n"
        + "                 numbers (council.yml):\n"
        + numbers
        + f"  Fake SMS gateway: {settings.sms_gateway_url}/_fake/  (a pretend phone: text the\n"
        + "                 assistant; replies go to the fake, never to a real phone)\n"
    )
