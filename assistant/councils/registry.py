"""The council registry: loads every `councils/<id>/council.yml` through the schema.

A council is data. Shared code asks the registry for a council by id or by
postcode and never branches on which council it is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.councils.crisis import crisis_lines
from assistant.councils.rules import check_across_councils
from assistant.councils.schema import (
    ActionServer,
    Backoffice,
    CouncilFile,
    Crisis,
    Privacy,
    Sms,
    Verification,
    Web,
    Welsh,
)
from assistant.postcodes.place import Place
from assistant.settings import PROJECT_ROOT, Settings

DEFAULT_COUNCILS_DIR = PROJECT_ROOT / "councils"


class CouncilConfigError(ValueError):
    """A council's configuration is missing or invalid; the message says where and why."""


@dataclass(frozen=True)
class Council:
    """One council's configuration, validated."""

    id: str
    name: str
    short_name: str
    website: str
    contact: Mapping[str, str]
    gss_code: str
    tier: str
    services: tuple[str, ...]
    reference_formats: Mapping[str, re.Pattern[str]]
    links: Mapping[str, str]
    reference_examples: dict[str, str] = field(default_factory=dict)
    web: Web = field(default_factory=Web)
    sms: Sms | None = None
    action_server: ActionServer | None = None
    backoffice: Backoffice | None = None
    verification: Verification = field(default_factory=Verification)
    privacy: Privacy = field(default_factory=Privacy)
    crisis: Crisis = field(default_factory=Crisis)
    county_gss_code: str | None = None
    languages: tuple[str, ...] = ("en",)  # the first greets a new conversation
    welsh: Welsh = field(default_factory=Welsh)

    @property
    def config_path(self) -> str:
        """Where this council's configuration lives, for error messages."""
        return f"councils/{self.id}/council.yml"

    def covers(self, place: Place) -> bool:
        """True when the place lies in this council's area (as district or county)."""
        return self.gss_code in place.codes

    def provides(self, service: str | None) -> bool:
        """True when this council provides `service` (None: no particular service)."""
        return service is None or service in self.services

    def reference_matches(self, kind: str, value: str) -> bool:
        """True when `value` has this council's format for a reference of `kind`."""
        pattern = self.reference_formats.get(kind)
        if pattern is None:
            return False
        compact = re.sub(r"\s+", "", value).upper()
        return pattern.fullmatch(compact) is not None

    def template_vars(self) -> dict[str, str]:
        """Values that answer templates may use: `{council_name}`, `{link_bins}`..."""
        values = {
            "council_id": self.id,
            "council_name": self.name,
            "council_short_name": self.short_name,
            "council_website": self.website,
        }
        values.update({f"council_{key}": value for key, value in self.contact.items()})
        values.update({f"link_{key}": value for key, value in self.links.items()})
        values.update(crisis_lines(self))
        return values

    def template_vars_in(self, language: str) -> dict[str, str]:
        """`template_vars()` with the council's own Welsh details for `language` "cy"."""
        values = self.template_vars()
        if language == "cy":
            welsh = self.welsh
            for key, value in (
                ("council_name", welsh.name),
                ("council_short_name", welsh.short_name or welsh.name),
                ("council_opening_hours", welsh.opening_hours),
                ("council_address", welsh.address),
            ):
                if value:
                    values[key] = value
        return values

    @classmethod
    def from_file(cls, config: CouncilFile) -> Council:
        """The council a validated council.yml describes."""
        return cls(
            id=config.id,
            name=config.name,
            short_name=config.short_name or config.name,
            website=config.website,
            contact=config.contact.dict(exclude_none=True),
            gss_code=config.gss_code,
            tier=config.tier,
            services=tuple(config.services),
            county_gss_code=config.county_gss_code,
            reference_formats={
                kind: pattern
                for kind, pattern in dict(config.reference_formats).items()
                if pattern is not None
            },
            links=config.links.dict(exclude_none=True),
            reference_examples=config.reference_examples.dict(exclude_none=True),
            web=config.web,
            sms=config.sms,
            action_server=config.action_server,
            backoffice=config.backoffice,
            verification=config.verification,
            privacy=config.privacy,
            crisis=config.crisis,
            languages=tuple(config.languages),
            welsh=config.welsh,
        )


class CouncilRegistry:
    """Every configured council, keyed by id, with postcode resolution."""

    def __init__(self, councils: Mapping[str, Council]) -> None:
        self._councils = dict(councils)

    def __iter__(self) -> Iterator[Council]:
        return iter(self._councils.values())

    def __len__(self) -> int:
        return len(self._councils)

    def ids(self) -> list[str]:
        """Council ids in a stable order."""
        return sorted(self._councils)

    def get(self, council_id: object) -> Council | None:
        """The council with this id, or None for anything unknown (including non-strings)."""
        if not isinstance(council_id, str):
            return None
        return self._councils.get(council_id.strip().lower())

    def by_gss(self, code: str | None) -> Council | None:
        """The council with this ONS GSS code, or None."""
        for council in self._councils.values():
            if code is not None and council.gss_code == code:
                return council
        return None

    def for_place(self, place: Place) -> Council | None:
        """The resident's own council at a place: the lower tier (district or unitary)
        when configured, else the county; None when no configured council covers it."""
        for code in place.codes:
            council = self.by_gss(code)
            if council is not None:
                return council
        return None

    def serving(self, home: Council, service: str | None) -> Council | None:
        """The council that provides `service` to residents of `home`: `home` itself, or
        a district's county when configured and providing it; else None."""
        if home.provides(service):
            return home
        county = self.by_gss(home.county_gss_code)
        if county is not None and county.provides(service):
            return county
        return None

    def handler_of(self, home: Council, service: str | None) -> Council:
        """The council whose action server answers for `service` in `home`'s area: the
        one serving it, else `home` (which then says who does)."""
        return self.serving(home, service) or home

    @classmethod
    def load(cls, directory: Path | str | None = None) -> CouncilRegistry:
        """Load every `<directory>/<id>/council.yml`; raise CouncilConfigError on any problem,
        including rules across councils (GSS codes, ports, secrets, SMS numbers)."""
        root = Path(directory) if directory is not None else councils_dir()
        if not root.is_dir():
            raise CouncilConfigError(f"councils directory not found: {root}")
        files = {path: read_council_file(path) for path in sorted(root.glob("*/council.yml"))}
        if not files:
            raise CouncilConfigError(f"no councils configured under {root}")
        problem = check_across_councils(files)
        if problem:
            raise CouncilConfigError(problem)
        return cls({config.id: Council.from_file(config) for config in files.values()})


def councils_dir(settings: Settings | None = None) -> Path:
    """Where councils live: $ASSISTANT_COUNCILS_DIR, else the project's `councils/`."""
    return (settings or Settings.from_env()).councils_dir


@functools.lru_cache(maxsize=1)
def default_registry() -> CouncilRegistry:
    """The registry for this process, loaded on first use (never at import time)."""
    return CouncilRegistry.load()


def read_council_file(path: Path) -> CouncilFile:
    """Read and validate one council.yml; errors name the file and every bad key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CouncilConfigError(f"{path}: cannot read council configuration: {error}") from error
    if not isinstance(raw, dict):
        raise CouncilConfigError(f"{path}: expected a mapping at the top level")
    try:
        config = CouncilFile.parse_obj(raw)
    except ValidationError as error:
        raise CouncilConfigError(describe(path, error)) from None
    if config.id != path.parent.name:
        raise CouncilConfigError(
            f"{path}: id: {config.id!r} must match its folder name {path.parent.name!r}"
        )
    return config


def parse_council(path: Path) -> Council:
    """Read and validate one council.yml (rules across councils are the registry's)."""
    return Council.from_file(read_council_file(path))


def describe(path: Path, error: ValidationError) -> str:
    """One line per problem: `<file>: <key.path>: <what is wrong>`."""
    lines = []
    for problem in error.errors():
        key = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in problem["loc"]
        ).lstrip(".")
        message = problem["msg"]
        if problem["type"] == "value_error.extra":
            message = "unknown key (see councils/README.md and councils/council.schema.json)"
        elif problem["type"] == "value_error.missing":
            message = "is required"
        elif problem["type"] == "type_error.dict":
            message = "must be a mapping"
        lines.append(f"{path}: {key}: {message}")
    return "\n".join(lines)
