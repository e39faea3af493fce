"""assistant.staff.app helpers: answers shown as HTML are escaped before links are made."""

from __future__ import annotations

from assistant.staff.app import linkify
from assistant.staff.site import scope_slug


def test_linkify_escapes_then_links_only_web_addresses() -> None:
    html = str(linkify('<img src=x onerror="alert(1)"> see https://example.gov.uk/a?b=1&c=2.'))
    assert "<img" not in html and "&lt;img" in html
    assert 'href="https://example.gov.uk/a?b=1&amp;c=2"' in html  # the full stop is not in it
    assert "<a" not in str(linkify("javascript:alert(1)"))


def test_link_cannot_break_out_of_its_attribute() -> None:
    html = str(linkify('https://example.gov.uk/"onmouseover="alert(1)'))
    assert 'href="https://example.gov.uk/"' in html  # the link ends at the quote
    assert 'onmouseover="' not in html and "&#34;onmouseover=&#34;" in html


def test_scope_slug() -> None:
    assert scope_slug("_shared") == "shared"
    assert scope_slug("millbrook") == "millbrook"
