"""What every council's configuration must satisfy, as plain checks the tests run for
each council found in a councils folder (so a new council is checked like the demo ones).

A check raises AssertionError (or the configuration error the runtime would raise)
with a message that names the council and what to fix.
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

from assistant.answers.seed import open_book, read_council_answers
from assistant.answers.templates import placeholders
from assistant.backoffice.registry import (
    action_server_url,
    build_backoffice,
    report_codes,
    service_configs,
)
from assistant.councils import Council, CouncilRegistry
from assistant.councils.services import links_not_needed
from assistant.rasa_plugins.channels.sms_config import SmsDirectory, gateway_accounts
from assistant.routing.credentials import action_secret_env
from assistant.routing.router import ActionRouter
from assistant.settings import PROJECT_ROOT, Settings
from assistant.web.server import brand_colour

DOMAIN = PROJECT_ROOT / "domain.yml"
# Kind of report -> the service whose councils must have an Open311 code for it.
REPORT_KINDS = {"pothole": "highways", "missed_bin": "waste"}


def contrast(hex_a: str, hex_b: str) -> float:
    """WCAG 2.x contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(hex_a), luminance(hex_b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@functools.lru_cache(maxsize=1)
def council_details_in_shared_answers() -> frozenset[str]:
    """The `{council_*}` and `{link_*}` placeholders that domain.yml's answers use."""
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    used: set[str] = set()
    for variants in responses.values():
        for variant in variants:
            used.update(placeholders(variant.get("text") or ""))
    return frozenset(name for name in used if name.startswith(("council_", "link_")))


# --- one council ---------------------------------------------------------------------


def check_brand_colour(council: Council) -> None:
    # The brand colour is the background of the header, quick replies and the resident's
    # messages, all with white text: WCAG 2.2 AA needs 4.5:1.
    ratio = contrast(brand_colour(council), "#ffffff")
    assert ratio >= 4.5, f"{council.id}: web.brand_colour contrast with white is {ratio:.2f}:1"


def check_shared_answers_have_their_details(council: Council) -> None:
    # Links of services the council does not provide are never used for it.
    unused = {f"link_{name}" for name in links_not_needed(council.services)}
    missing = sorted(council_details_in_shared_answers() - set(council.template_vars()) - unused)
    assert missing == [], f"{council.id}: shared answers use {missing}; add them to council.yml"


def check_reference_examples_match_formats(council: Council) -> None:
    examples = council.reference_examples or {}
    for kind, example in examples.items():
        shown = re.split(r"\s+like\s+", str(example))[-1]
        assert council.reference_matches(kind, shown), (
            f"{council.id}: reference_examples.{kind} {shown!r} does not match its format"
        )


def check_action_server_and_backoffice(council: Council) -> None:
    assert action_server_url(council, {}).startswith(("http://", "https://"))
    keys = {config.key_env: "demo-key" for config in service_configs(council, {}).values()}
    backoffice = build_backoffice(council, keys)
    assert backoffice.council_id == council.id
    kinds = {kind for kind, service in REPORT_KINDS.items() if council.provides(service)}
    missing = sorted(kinds - set(report_codes(council)))
    assert missing == [], f"{council.id}: no Open311 service code for {missing}"


def check_sms_accounts(council: Council) -> None:
    for account in gateway_accounts(council):
        assert account.secret_env, f"{council.id}: sms.{account.gateway} names no secret variable"


PER_COUNCIL: tuple[Callable[[Council], None], ...] = (
    check_brand_colour,
    check_shared_answers_have_their_details,
    check_reference_examples_match_formats,
    check_action_server_and_backoffice,
    check_sms_accounts,
)


# --- the councils together -----------------------------------------------------------


def check_router_reaches_every_council(registry: CouncilRegistry, root: Path) -> None:
    secrets = {action_secret_env(council): "s" * 32 for council in registry}
    env = {"ASSISTANT_ROUTER_TOKEN": "t" * 32, **secrets}
    upstreams = ActionRouter.from_config(registry, Settings.from_env(env)).upstreams
    assert sorted(upstreams) == registry.ids()
    ports = Counter(url.rsplit(":", 1)[-1] for url in upstreams.values())
    shared = sorted(port for port, count in ports.items() if count > 1)
    assert shared == [], f"two councils' action servers on one port: {shared}"


def check_secrets_are_never_shared(registry: CouncilRegistry, root: Path) -> None:
    owners: dict[str, str] = {}
    for council in registry:
        names = {config.key_env for config in service_configs(council, {}).values()}
        names |= {
            str(value)
            for account in gateway_accounts(council)
            for value in account.secret_env.values()
        }
        for name in names:
            assert owners.setdefault(name, council.id) == council.id, (
                f"{council.id} and {owners[name]} both use the variable {name}"
            )


def check_sms_numbers_are_unique(registry: CouncilRegistry, root: Path) -> None:
    SmsDirectory.from_registry(registry)


def check_answers_files(registry: CouncilRegistry, root: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        book = open_book(f"sqlite:///{scratch}/answers.db", DOMAIN, registry)
        read_council_answers(book, root)
        book.store.engine.dispose()


ACROSS_COUNCILS: tuple[Callable[[CouncilRegistry, Path], None], ...] = (
    check_router_reaches_every_council,
    check_secrets_are_never_shared,
    check_sms_numbers_are_unique,
    check_answers_files,
)


def check_every_council(registry: CouncilRegistry, root: Path) -> None:
    """Run every check on every council in `registry` (loaded from `root`)."""
    for council in registry:
        for check in PER_COUNCIL:
            check(council)
    for together in ACROSS_COUNCILS:
        together(registry, root)
