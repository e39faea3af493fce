"""The demo council pages: rendering from council.yml, escaping, colours, and serving."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import ThreadingHTTPServer

import pytest
import requests

from assistant.councils import CouncilRegistry
from assistant.councils.schema import Web
from assistant.web.server import (
    VENDOR_FILES,
    brand_colour,
    make_handler,
    render_council_page,
    widget_config,
)
from tests.support.council_checks import contrast

RASA = "http://127.0.0.1:5999"


@pytest.fixture(scope="module")
def registry() -> CouncilRegistry:
    return CouncilRegistry.load()


@pytest.fixture(scope="module")
def web(registry: CouncilRegistry) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(registry, RASA))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_contrast_helper_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_widget_is_bound_to_the_council(registry):
    config = widget_config(registry.get("millbrook"), RASA)
    assert config["customData"] == {"council": "millbrook"}
    assert config["socketUrl"] == RASA
    assert config["params"] == {"storage": "session"}  # a reload keeps the conversation


def test_page_escapes_council_text(registry):
    council = registry.get("brackenbury")
    hostile = replace(
        council,
        name="<script>alert(1)</script> Council",
        web=Web(welcome="</script><b>hi</b>"),
    )
    page = render_council_page(hostile, RASA)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Council" in page
    config = re.search(r'<script id="chat-config" type="application/json">(.*?)</script>', page)
    assert config is not None
    assert json.loads(config.group(1))["customData"] == {"council": "brackenbury"}


def test_a_bad_brand_colour_is_refused(registry):
    with pytest.raises(ValueError, match="brand_colour"):
        Web(brand_colour="red; x: y")  # council.yml's schema refuses it
    council = registry.get("brackenbury")
    broken = replace(council, web=Web.construct(brand_colour="red; x: y"))
    with pytest.raises(ValueError, match="brand_colour"):
        brand_colour(broken)  # and the page never renders one that slipped past


def test_pages_and_assets_are_served(web):
    index = requests.get(f"{web}/", timeout=5)
    assert index.status_code == 200
    assert 'href="/brackenbury/"' in index.text and 'href="/millbrook/"' in index.text
    page = requests.get(f"{web}/millbrook/", timeout=5)
    assert page.status_code == 200
    assert '<html lang="en-GB">' in page.text
    assert "Millbrook District Council" in page.text
    assert "--brand: #00594f" in page.text
    assert requests.get(f"{web}/millbrook", timeout=5, allow_redirects=False).status_code == 301
    assert requests.get(f"{web}/atlantis/", timeout=5).status_code == 404
    assert requests.get(f"{web}/static/../server.py", timeout=5).status_code == 404
    css = requests.get(f"{web}/static/council-chat.css", timeout=5)
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")


@pytest.mark.skipif(
    not VENDOR_FILES["rasa-webchat.js"].exists(), reason="needs `npm ci` (make setup runs it)"
)
def test_widget_bundle_is_served_without_third_party_fonts(web):
    bundle = requests.get(f"{web}/vendor/rasa-webchat.js", timeout=10)
    assert bundle.status_code == 200
    assert "WebChat" in bundle.text
    assert "fonts.googleapis.com" not in bundle.text
    assert b"fonts.googleapis.com" in VENDOR_FILES["rasa-webchat.js"].read_bytes()
