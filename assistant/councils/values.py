"""The checked text values of council.yml (addresses, origins, codes, colours, phone
numbers): each a `str` that validates itself and says what is wrong in plain words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from assistant.identifiers import normalise_number


class _Checked(str):
    """A str whose values pass `check`; subclasses set the rule and its JSON Schema."""

    pattern = r"\S"  # searched for, as JSON Schema does: anchor it to match the whole
    message = "must not be empty"

    @classmethod
    def __get_validators__(cls) -> Iterator[Callable[[Any], str]]:
        yield cls.validate

    @classmethod
    def __modify_schema__(cls, schema: dict[str, Any]) -> None:
        schema.update(type="string", pattern=cls.pattern)

    @classmethod
    def validate(cls, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(f"must be text, not {type(value).__name__}")
        text = str(value).strip()
        if not re.search(cls.pattern, text):
            raise ValueError(cls.message)
        return cls.convert(text)

    @classmethod
    def convert(cls, text: str) -> str:
        return text


class Text(_Checked):
    """Non-empty text."""

    pattern = r"\S"


class Url(_Checked):
    """An absolute http(s) address."""

    pattern = r"^https?://[^\s/]+\S*$"
    message = "must be an http:// or https:// address"


class Origin(_Checked):
    """A web origin: scheme, host and optional port, nothing after (no path, no `/`)."""

    pattern = r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$"
    message = "must be an origin like https://www.example.gov.uk (no path, no final '/')"

    @classmethod
    def convert(cls, text: str) -> str:
        return text.lower()


class EnvName(_Checked):
    """The NAME of an environment variable that holds a secret."""

    pattern = r"^[A-Z][A-Z0-9_]*$"
    message = "must name an environment variable (upper case), never hold the secret itself"


class CouncilId(_Checked):
    """A council id: also its folder name."""

    pattern = r"^[a-z][a-z0-9_-]{1,39}$"
    message = "must be 2-40 lower-case letters, digits, '-' or '_', starting with a letter"


class GssCode(_Checked):
    """An ONS GSS code such as E07000111: a letter and eight digits."""

    pattern = r"^[ENSWLMensw]\d{8}$"
    message = "is not an ONS GSS code like 'E07000111'"

    @classmethod
    def convert(cls, text: str) -> str:
        return text.upper()


class Colour(_Checked):
    """A #rrggbb colour."""

    pattern = r"^#[0-9a-fA-F]{6}$"
    message = "must look like #1d4f91"


class PhoneNumber(_Checked):
    """A phone number, kept in E.164 form."""

    pattern = r"^\+?[\d\s().-]{8,20}$"
    message = "is not a phone number"

    @classmethod
    def convert(cls, text: str) -> str:
        number = normalise_number(text)
        if number is None:
            raise ValueError(cls.message)
        return number
