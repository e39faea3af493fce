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
    content_security_policy,
    make_handler,
    render_council_page,
    security_headers,
    widget_config,
)
from tests.support.council_checks import contrast

RASA = "http://127.0.0.1:5999"
HTML_SINKS = re.compile(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|\beval\(")


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
    assert config["initPayload"] == "/greet"


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
    assert 'href="/millbrook/theme.css"' in page.text
    theme = requests.get(f"{web}/millbrook/theme.css", timeout=5)
    assert theme.headers["Content-Type"].startswith("text/css")
    assert "--brand: #00594f" in theme.text
    assert requests.get(f"{web}/millbrook/other.css", timeout=5).status_code == 404
    assert requests.get(f"{web}/millbrook", timeout=5, allow_redirects=False).status_code == 301
    assert requests.get(f"{web}/atlantis/", timeout=5).status_code == 404
    assert requests.get(f"{web}/static/../server.py", timeout=5).status_code == 404
    css = requests.get(f"{web}/static/council-chat.css", timeout=5)
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")


def test_pages_send_a_strict_content_security_policy(web):
    for path in ("/", "/millbrook/", "/static/council-chat.css", "/atlantis/"):
        response = requests.get(f"{web}{path}", timeout=5)
        csp = response.headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"  # no inline script, no other host
        assert directives["style-src"] == "'self'"
        assert directives["img-src"] == "'self' data:"
        assert directives["connect-src"] == f"'self' {RASA} ws://127.0.0.1:5999"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    page = requests.get(f"{web}/millbrook/", timeout=5).text
    # The only scripts are this server's module and a JSON data block (never run).
    scripts = re.findall(r"<script([^>]*)>", page)
    assert sorted(scripts) == [
        ' id="chat-config" type="application/json"',
        ' type="module" src="/static/chat/chat.mjs"',
    ]
    assert "<style" not in page and "style=" not in page


def test_frame_ancestors_come_from_council_yml(registry):
    council = replace(
        registry.get("millbrook"),
        web=Web(frame_ancestors=["https://www.millbrook.example.gov.uk"]),
    )
    headers = security_headers(RASA, council.web.frame_ancestors)
    assert headers["Content-Security-Policy"].endswith(
        "frame-ancestors https://www.millbrook.example.gov.uk"
    )
    with pytest.raises(ValueError, match="origin"):
        Web(frame_ancestors=["https://x.example; script-src *"])
    assert "wss://rasa.example.gov.uk" in content_security_policy("https://rasa.example.gov.uk", [])
    with pytest.raises(ValueError):
        content_security_policy("javascript:alert(1)", [])


@pytest.mark.skipif(
    not VENDOR_FILES["socket.io.esm.min.js"].exists(), reason="needs `npm ci` (make setup runs it)"
)
def test_chat_scripts_are_served_as_javascript_modules(web):
    client = requests.get(f"{web}/vendor/socket.io.esm.min.js", timeout=10)
    assert client.status_code == 200
    assert client.headers["Content-Type"].startswith("text/javascript")
    assert "export" in client.text
    for name in ("chat.mjs", "render.mjs", "strings.mjs"):
        script = requests.get(f"{web}/static/chat/{name}", timeout=5)
        assert script.status_code == 200, name
        assert script.headers["Content-Type"].startswith("text/javascript"), name
        assert not HTML_SINKS.search(script.text), name
