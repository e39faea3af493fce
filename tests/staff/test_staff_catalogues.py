"""Issue 13: the staff site's interface catalogues. Every English key has its Welsh,
with the same placeholders; every key a page asks for exists; Welsh dates."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from assistant.staff import interface
from assistant.staff.interface import Interface, catalogue, safe_return

TEMPLATES = Path(interface.__file__).with_name("templates")
PYTHON = Path(interface.__file__).parent
# t("key") in templates; .text("key") and HTTPProblem(status, "key") in the views.
_TEMPLATE_KEY = re.compile(r"""\bt\(\s*["']([a-z_.]+)["']\s*[,)]""")
_TEXT_KEY = re.compile(r"""\.text\(\s*["']([a-z_.]+)["']""")
_PROBLEM_KEY = re.compile(r"""HTTPProblem\(\s*\d+,\s*["']([a-z_]+)["']""")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_english_key_has_its_welsh_with_the_same_placeholders() -> None:
    english, welsh = catalogue("en"), catalogue("cy")
    assert sorted(set(english) - set(welsh)) == []
    assert sorted(set(welsh) - set(english)) == []
    for key, text in english.items():
        assert welsh[key].strip(), key
        assert set(_PLACEHOLDER.findall(text)) == set(_PLACEHOLDER.findall(welsh[key])), key


def test_every_key_the_pages_and_views_ask_for_exists() -> None:
    wanted: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        wanted |= set(_TEMPLATE_KEY.findall(template.read_text(encoding="utf-8")))
    for module in PYTHON.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        wanted |= set(_TEXT_KEY.findall(source))
        for key in _PROBLEM_KEY.findall(source):
            wanted |= {f"problem.{key}.title", f"problem.{key}.message"}
    assert len(wanted) > 200  # the scan found the pages' keys
    assert sorted(wanted - set(catalogue("en"))) == []


def test_no_page_has_english_left_outside_the_catalogue() -> None:
    """Text between tags in a template must come from t(); what is left is markup."""
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        source = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", source, flags=re.S)
        words = re.findall(r">([^<]*[A-Za-z]{3,}[^<]*)<", source)
        assert [word.strip() for word in words if word.strip()] == [], template.name


@pytest.mark.parametrize(
    ("language", "style", "expected"),
    [
        ("cy", "day", "1 Rhagfyr 2026"),
        ("cy", "weekday", "dydd Mawrth 1 Rhagfyr 2026"),
        ("cy", "minute", "1 Rhagfyr 2026 09:05"),
        ("en", "day", "1 December 2026"),
        ("en", "weekday", "Tuesday 1 December 2026"),
    ],
)
def test_dates_are_in_the_pages_language(language: str, style: str, expected: str) -> None:
    assert Interface(language).date(dt.datetime(2026, 12, 1, 9, 5), style) == expected


def test_placeholders_are_filled_and_the_switch_offers_the_other_language() -> None:
    welsh = Interface("cy")
    assert welsh.text("answers.matching", shown=3, total=9) == "3 o 9 ateb yn cyfateb."
    assert welsh.switch == ("en", "English") and Interface("en").switch == ("cy", "Cymraeg")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/answers/abercoed?q=bin", "/answers/abercoed?q=bin"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/\t/evil.example", "/"),
        ("/\n/evil.example", "/"),
        (None, "/"),
    ],
)
def test_the_switch_goes_back_to_this_site_only(path: str | None, expected: str) -> None:
    assert safe_return(path) == expected
