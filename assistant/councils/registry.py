"""The council registry: loads and validates every `councils/<id>/council.yml`.

A council is data. Shared code asks the registry for a council by id or by
postcode and never branches on which council it is.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.councils.crisis import crisis_lines
from assistant.identifiers import normalise_postcode, outward_code

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_COUNCILS_DIR = PROJECT_ROOT / "councils"
COUNCIL_ID = re.compile(r"^[a-z][a-z0-9_-]{1,39}$")
REQUIRED_CONTACT = ("phone", "email", "out_of_hours_phone", "opening_hours")
REFERENCE_KINDS = ("council_tax", "planning", "pcn")


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
    postcode_areas: tuple[str, ...]
    reference_formats: Mapping[str, re.Pattern[str]]
    links: Mapping[str, str]
    extra: Mapping[str, Any] = field(default_factory=dict)

    def serves(self, postcode: str) -> bool:
        """True when the (normalised or raw) postcode lies in this council's areas."""
        canonical = normalise_postcode(postcode)
        return canonical is not None and outward_code(canonical) in self.postcode_areas

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

    def for_postcode(self, postcode: str) -> Council | None:
        """The council serving this postcode, or None when no configured council does."""
        for council in self._councils.values():
            if council.serves(postcode):
                return council
        return None

    @classmethod
    def load(cls, directory: Path | str | None = None) -> CouncilRegistry:
        """Load every `<directory>/<id>/council.yml`; raise CouncilConfigError on any problem."""
        root = Path(directory) if directory is not None else councils_dir()
        if not root.is_dir():
            raise CouncilConfigError(f"councils directory not found: {root}")
        councils: dict[str, Council] = {}
        area_owner: dict[str, str] = {}
        for path in sorted(root.glob("*/council.yml")):
            council = parse_council(path)
            for area in council.postcode_areas:
                if area in area_owner:
                    raise CouncilConfigError(
                        f"{path}: postcode area {area} is already served by {area_owner[area]}"
                    )
                area_owner[area] = council.id
            councils[council.id] = council
        if not councils:
            raise CouncilConfigError(f"no councils configured under {root}")
        return cls(councils)


def councils_dir() -> Path:
    """Where councils live: $ASSISTANT_COUNCILS_DIR, else the project's `councils/`."""
    return Path(os.environ.get("ASSISTANT_COUNCILS_DIR", DEFAULT_COUNCILS_DIR))


@functools.lru_cache(maxsize=1)
def default_registry() -> CouncilRegistry:
    """The registry for this process, loaded on first use (never at import time)."""
    return CouncilRegistry.load()


def parse_council(path: Path) -> Council:
    """Read and validate one council.yml."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CouncilConfigError(f"{path}: cannot read council configuration: {error}") from error
    if not isinstance(raw, dict):
        raise CouncilConfigError(f"{path}: expected a mapping at the top level")
    data = dict(raw)
    council_id = _required_str(data, "id", path)
    if not COUNCIL_ID.match(council_id):
        raise CouncilConfigError(f"{path}: id {council_id!r} must be lower-case letters/digits")
    if council_id != path.parent.name:
        raise CouncilConfigError(
            f"{path}: id {council_id!r} must match its folder name {path.parent.name!r}"
        )
    contact = _mapping(data, "contact", path)
    for key in REQUIRED_CONTACT:
        if not isinstance(contact.get(key), str) or not contact[key].strip():
            raise CouncilConfigError(f"{path}: contact.{key} is required")
    areas = data.get("postcode_areas")
    if not isinstance(areas, list) or not areas:
        raise CouncilConfigError(f"{path}: postcode_areas must be a non-empty list")
    normalised_areas = tuple(_postcode_area(area, path) for area in areas)
    formats = _mapping(data, "reference_formats", path)
    compiled: dict[str, re.Pattern[str]] = {}
    for kind in REFERENCE_KINDS:
        pattern = formats.get(kind)
        if not isinstance(pattern, str):
            raise CouncilConfigError(f"{path}: reference_formats.{kind} is required")
        try:
            compiled[kind] = re.compile(pattern)
        except re.error as error:
            raise CouncilConfigError(
                f"{path}: reference_formats.{kind} is not a valid regular expression: {error}"
            ) from error
    links = {str(key): str(value) for key, value in _mapping(data, "links", path).items()}
    known = {"id", "name", "short_name", "website", "contact", "postcode_areas"}
    known |= {"reference_formats", "links"}
    council = Council(
        id=council_id,
        name=_required_str(data, "name", path),
        short_name=str(data.get("short_name") or data["name"]),
        website=_required_str(data, "website", path),
        contact={str(key): str(value) for key, value in contact.items()},
        postcode_areas=normalised_areas,
        reference_formats=compiled,
        links=links,
        extra={key: value for key, value in data.items() if key not in known},
    )
    try:
        crisis_lines(council)
    except ValueError as error:
        raise CouncilConfigError(f"{path}: {error}") from error
    return council


def _required_str(data: Mapping[str, Any], key: str, path: Path) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CouncilConfigError(f"{path}: {key} is required and must be text")
    return value.strip()


def _mapping(data: Mapping[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise CouncilConfigError(f"{path}: {key} must be a mapping")
    return value


def _postcode_area(area: object, path: Path) -> str:
    text = str(area).strip().upper()
    if not re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?", text):
        raise CouncilConfigError(f"{path}: {area!r} is not a postcode outward code like 'BK1'")
    return text
