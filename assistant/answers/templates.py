"""Answer templates: `{name}` placeholders, as domain.yml already uses.

Only bare names are allowed (no `{0}`, `{a.b}`, `{a[0]}`, conversions or format
specs), so a template can never reach into Python objects. Templates are checked
when saved (`edit_problems.check_template`); rendering (`render`) never fails: a value missing
at chat time becomes an empty string and is logged.
"""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

PLACEHOLDER_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FORMATTER = string.Formatter()


class TemplateError(ValueError):
    """A template that must not be saved; the message is written for council staff."""


@dataclass(frozen=True)
class Part:
    """A piece of a parsed template: literal text, or a placeholder name."""

    literal: str
    placeholder: str | None = None


def parse(template: str) -> list[Part]:
    """Split a template into literal text and placeholders; TemplateError if malformed."""
    try:
        pieces = list(_FORMATTER.parse(template))
    except ValueError as error:
        raise TemplateError(_syntax_message(template, error)) from None
    parts: list[Part] = []
    for literal, field, spec, conversion in pieces:
        if literal:
            parts.append(Part(literal))
        if field is None:
            continue
        if not field:
            raise TemplateError(
                "Empty braces {} are not allowed: put a placeholder name inside them, "
                "like {council_name}, or remove them."
            )
        if not PLACEHOLDER_NAME.match(field) or conversion or spec:
            shown = "{" + field + ("!" + conversion if conversion else "")
            shown += (":" + spec if spec else "") + "}"
            raise TemplateError(
                f"{shown} is not a placeholder this system understands: use only a name in "
                "braces, like {council_name}."
            )
        parts.append(Part("", field))
    return parts


def placeholders(template: str) -> list[str]:
    """The placeholder names a template uses, in order, without repeats."""
    seen: dict[str, None] = {}
    for part in parse(template):
        if part.placeholder is not None:
            seen.setdefault(part.placeholder)
    return list(seen)


def used_names(template: str) -> list[str]:
    """The well-formed placeholder names in `template`, in order, without repeats,
    even when other parts of it are malformed."""
    seen: dict[str, None] = {}
    try:
        for _literal, name, spec, conversion in _FORMATTER.parse(template):
            if name and PLACEHOLDER_NAME.match(name) and not spec and not conversion:
                seen.setdefault(name)
    except ValueError:
        pass
    return list(seen)


def render(template: str, values: Mapping[str, object]) -> str:
    """Fill placeholders from `values`; never raises. A missing value renders empty
    (and is logged); a template that does not parse is returned as it is."""
    try:
        parts = parse(template)
    except TemplateError:
        log.warning("answer template does not parse; sent unrendered: %.80r", template)
        return template
    out: list[str] = []
    for part in parts:
        out.append(part.literal)
        if part.placeholder is None:
            continue
        value = values.get(part.placeholder)
        if value is None:
            log.warning("no value for {%s} at chat time; rendered empty", part.placeholder)
            continue
        out.append(str(value))
    return "".join(out)


def _syntax_message(template: str, error: ValueError) -> str:
    opened = template.count("{")
    closed = template.count("}")
    if opened > closed:
        return "there is a { without a matching }. Close it, or remove it."
    if closed > opened:
        return "there is a } without a matching {. Open it, or remove it."
    return f"the braces are not well formed ({error}). Use placeholders like {{council_name}}."
