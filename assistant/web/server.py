"""A small static web server for the demo council pages (`make run`, the browser tests).

`/` lists the councils, `/<council id>/` is that council's page with the chat widget,
`/static/...` is this package's CSS and JavaScript, and `/vendor/rasa-webchat.js` is
the widget from the npm package (`npm ci`). A council's page takes its name, contact
details and `web:` settings (brand colour, welcome line) from its council.yml.
"""

from __future__ import annotations

import html
import json
import mimetypes
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlparse

from assistant.councils import Council, CouncilRegistry
from assistant.serving import serve_until_interrupted
from assistant.settings import PROJECT_ROOT

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
VENDOR_FILES = {
    "rasa-webchat.js": PROJECT_ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.js",
}
DEFAULT_BRAND_COLOUR = "#1d4f91"
THIRD_PARTY_FONT = re.compile(rb"@import url\(https://fonts\.googleapis\.com/[^)]*\);")
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def vendor_script(path: Path) -> bytes:
    """A vendor bundle as served: the widget's CSS imports a font from Google Fonts,
    a third-party request a council page must not make without consent, so that
    import is left out (the page's own font stack applies)."""
    return THIRD_PARTY_FONT.sub(b"", path.read_bytes())


def brand_colour(council: Council) -> str:
    """The council's `web.brand_colour` (a #rrggbb colour), else a default."""
    colour = council.web.brand_colour or DEFAULT_BRAND_COLOUR
    if not HEX_COLOUR.match(colour):
        raise ValueError(f"council {council.id}: web.brand_colour must look like #1d4f91")
    return colour


def widget_config(council: Council, rasa_url: str) -> dict[str, Any]:
    """What the page's script passes to the rasa-webchat widget."""
    return {
        "socketUrl": rasa_url,
        "socketPath": "/socket.io/",
        "customData": {"council": council.id},
        "initPayload": "/greet",
        "title": f"{council.short_name} assistant",
        "subtitle": "Answers about council services",
        "inputTextFieldHint": "Type your question",
        "embedded": True,
        "hideWhenNotConnected": False,
        "showCloseButton": False,
        "showMessageDate": False,
        "params": {"storage": "session"},
    }


def render_council_page(council: Council, rasa_url: str) -> str:
    """The demo page for `council`, every value escaped."""
    config = json.dumps(widget_config(council, rasa_url)).replace("</", "<\\/")
    values = {
        "name": council.name,
        "short_name": council.short_name,
        "welcome": council.web.welcome or "Ask about your council's services.",
        "phone": council.contact["phone"],
        "opening_hours": council.contact["opening_hours"],
        "website": council.website,
    }
    escaped = {key: html.escape(value) for key, value in values.items()}
    template = Template((HERE / "council.html").read_text(encoding="utf-8"))
    return template.substitute(escaped, brand_colour=brand_colour(council), config=config)


def render_index(registry: CouncilRegistry) -> str:
    """A list of the demo pages."""
    items = "\n".join(
        f'      <li><a href="/{html.escape(c.id)}/">{html.escape(c.name)}</a></li>'
        for c in registry
    )
    template = Template((HERE / "index.html").read_text(encoding="utf-8"))
    return template.substitute(items=items)


def make_handler(registry: CouncilRegistry, rasa_url: str) -> type[BaseHTTPRequestHandler]:
    """A request handler class serving `registry`'s pages."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "CouncilWeb/1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            path = urlparse(self.path).path
            if path == "/health":
                self._send(HTTPStatus.OK, b'{"status": "ok"}', "application/json")
            elif path == "/":
                self._send(HTTPStatus.OK, render_index(registry).encode(), "text/html")
            elif path.startswith("/static/"):
                self._file(STATIC_DIR, path.removeprefix("/static/"))
            elif path.startswith("/vendor/"):
                target = VENDOR_FILES.get(path.removeprefix("/vendor/"))
                if target is None or not target.is_file():
                    self._not_found("Not found (run `npm ci` for the chat widget).")
                else:
                    self._send(HTTPStatus.OK, vendor_script(target), "text/javascript")
            elif path == "/favicon.ico":
                self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
            else:
                council = registry.get(path.strip("/")) if path.endswith("/") else None
                if council is None:
                    if registry.get(path.strip("/")) is not None:
                        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                        self.send_header("Location", path + "/")
                        self.end_headers()
                        return
                    self._not_found("There is no council page here.")
                    return
                page = render_council_page(council, rasa_url)
                self._send(HTTPStatus.OK, page.encode(), "text/html")

        def _file(self, root: Path, name: str) -> None:
            target = (root / name).resolve()
            if root not in target.parents or not target.is_file():
                self._not_found("Not found.")
                return
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            self._send(HTTPStatus.OK, target.read_bytes(), kind)

        def _not_found(self, message: str) -> None:
            self._send(HTTPStatus.NOT_FOUND, message.encode(), "text/plain")

        def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(host: str, port: int, rasa_url: str) -> int:
    """Serve the demo pages, whose widget talks to `rasa_url`, until interrupted."""
    registry = CouncilRegistry.load()
    for council in registry:
        brand_colour(council)  # refuse to start on a bad colour
    server = ThreadingHTTPServer((host, port), make_handler(registry, rasa_url))
    serve_until_interrupted(server)
    return 0
