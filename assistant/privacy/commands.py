"""`python -m assistant privacy purge | erase | export`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path

from assistant.councils import CouncilRegistry
from assistant.privacy.erase import erase
from assistant.privacy.export import export_json
from assistant.privacy.retention import purge
from assistant.privacy.sms_records import conversations_of_phone
from assistant.privacy.stores import DataStores
from assistant.settings import Secret, Settings

# Where `make run` keeps its demo key for the hash that stands in for phone numbers
# (when ASSISTANT_SMS_SENDER_KEY is not set), so that numbers can be found again.
DEMO_SENDER_KEY_FILE = "sms_sender.key"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="privacy_action", required=True, metavar="<action>")
    purge_parser = actions.add_parser("purge", help="delete what is past retention")
    purge_parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    purge_parser.add_argument("--log-dir", type=Path, help="default: <var dir>/log")
    for name, text in (("erase", "delete"), ("export", "print as JSON")):
        action = actions.add_parser(name, help=f"{text} one resident's data")
        whose = action.add_mutually_exclusive_group(required=True)
        whose.add_argument("--conversation", help="a conversation (sender) id")
        whose.add_argument("--phone", help="a phone number that texted any council")


def sender_key(settings: Settings) -> Secret | None:
    """The SMS sender-hash key: the settings', else the one `make run` kept."""
    if settings.sms_sender_key is not None:
        return settings.sms_sender_key
    kept = settings.var_dir / DEMO_SENDER_KEY_FILE
    if kept.exists():
        return Secret(kept.read_text(encoding="utf-8").strip())
    return None


def conversations(args: argparse.Namespace, settings: Settings) -> list[str]:
    """The conversation ids named by --conversation or --phone."""
    if args.conversation:
        return [args.conversation]
    key = sender_key(settings)
    if key is None:
        raise ValueError("ASSISTANT_SMS_SENDER_KEY is needed to find a phone's conversations")
    return conversations_of_phone(key, CouncilRegistry.load(settings.councils_dir), args.phone)


def run(args: argparse.Namespace, settings: Settings) -> int:
    now = datetime.now(timezone.utc)
    stores = DataStores.from_settings(settings, getattr(args, "log_dir", None))
    if args.privacy_action == "purge":
        registry = CouncilRegistry.load(settings.councils_dir)
        purged = purge(stores, registry, now, dry_run=args.dry_run)
        heading = "would delete (dry run)" if args.dry_run else "deleted"
        print(f"privacy purge {heading}:")
        print("\n".join(f"  {line}" for line in purged.lines()))
        return 0
    wanted = conversations(args, settings)
    if args.privacy_action == "export":
        print(export_json(stores, wanted, now))
        return 0
    report = erase(stores, wanted)
    if not report.found:
        print("nothing kept for that resident (already erased or never seen)", file=sys.stderr)
    for line in report.lines():
        print(line)
    return 0
