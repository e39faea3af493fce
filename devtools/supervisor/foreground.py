"""`python -m assistant run`: train if needed, start every service, wait for Ctrl-C.

Under `make run` a service that dies is restarted with back-off, the privacy purge
runs at start and then every `ASSISTANT_PURGE_EVERY_SECONDS` (default hourly), and
every file the stack makes is private to the user (umask 077).
"""

from __future__ import annotations

import os
import secrets
import signal
from collections.abc import Mapping
from dataclasses import replace
from types import FrameType

from assistant.councils import CouncilRegistry
from assistant.privacy.commands import DEMO_SENDER_KEY_FILE
from assistant.rasa_plugins.channels.sms_config import SENDER_KEY_ENV
from assistant.settings import Environment, Secret, Settings
from assistant.staff.totp import grouped
from devtools.supervisor.files import PRIVATE, PRIVATE_UMASK
from devtools.supervisor.restarts import RestartPolicy
from devtools.supervisor.schedule import Job
from devtools.supervisor.services import (
    DEMO_REST_TOKEN_ENV,
    assistant_services,
    channel_credentials,
    write_endpoints,
)
from devtools.supervisor.stack import Stack, python_module
from devtools.training import train

INDENT = " " * 19


def run(settings: Settings) -> int:
    """Train if needed, start the whole stack and wait until it stops or is stopped."""
    os.umask(PRIVATE_UMASK)  # databases, logs, endpoints.yml: 0600
    registry = CouncilRegistry.load(settings.councils_dir)  # refuse a broken configuration
    train(settings)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    settings = with_kept_sender_key(settings)
    from assistant.staff.commands import demo_accounts

    staff_passwords = demo_accounts(settings, registry)
    # The endpoints for these settings' ports (endpoints.yml holds the default ones).
    endpoints = write_endpoints(
        settings, settings.var_dir / "endpoints.yml", settings.var_dir / "trackers.db"
    )
    stack = Stack(
        assistant_services(settings, endpoints),
        settings=settings,
        restart=RestartPolicy(),
        jobs=[purge_job(settings)],
    )

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


def purge_job(settings: Settings) -> Job:
    """`python -m assistant privacy purge`, at start and then every so often."""
    command = python_module("assistant", "privacy", "purge")
    return Job("privacy-purge", command, every=settings.purge_every_seconds)


def with_kept_sender_key(settings: Settings) -> Settings:
    """`settings` with a sender-hash key for SMS: the environment's, else a demo key
    kept in `<var dir>/sms_sender.key` (0600) so that `privacy erase --phone` finds a
    number's conversations after a restart."""
    if settings.sms_sender_key is not None:
        return settings
    path = settings.var_dir / DEMO_SENDER_KEY_FILE
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
    path.chmod(PRIVATE)
    key = path.read_text(encoding="utf-8").strip()
    environ = Environment({**settings.environ, SENDER_KEY_ENV: key})
    return replace(settings, sms_sender_key=Secret(key), environ=environ)


def service_addresses(settings: Settings) -> str:
    """Where the REST channel (with the demo integration's token), the action router
    and the demo back-office listen."""
    token = channel_credentials()[DEMO_REST_TOKEN_ENV]
    return (
        "\nThe council assistant is running. Ctrl-C stops everything.\n"
        f"  REST channel:  POST {settings.rasa_url}/webhooks/rest/webhook  (integrations)\n"
        f"                 Authorization: Bearer {token}\n"
        f"                 (demo integration; set {DEMO_REST_TOKEN_ENV} to keep one)\n"
        '                 {"sender": "me", "message": "hello", '
        '"metadata": {"council": "brackenbury"}}\n'
        f"  Action router: {settings.actions_url}/webhook (one action server per council)\n"
        f"  Demo back-office: {settings.backoffice_url}/\n"
    )


def staff_sign_ins(settings: Settings, passwords: Mapping[str, tuple[str, str]]) -> str:
    """The staff site's address and this run's demo sign-ins: password and the key
    to enter in an authenticator app (TOTP), both new every start."""
    return (
        f"  Staff site:    {settings.staff_url}/  (change each council's answers)\n"
        "                 demo sign-ins (administrators), new password and authenticator\n"
        "                 app key (TOTP) every start, shown once:\n"
        + "".join(
            f"{INDENT}{user:<18} {pw}  app key {grouped(secret)}\n"
            for user, (pw, secret) in passwords.items()
        )
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
