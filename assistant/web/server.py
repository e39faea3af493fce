"""A small static web server for the demo council pages (`make run`, the browser tests).

`/` lists the councils, `/<council id>/` is that council's page with the chat widget,
`/<council id>/theme.css` its brand colour, `/static/...` this package's CSS and the
widget (static/chat/), and `/vendor/socket.io.esm.min.js` the socket.io client from npm
(`npm ci`). A council's page takes its name, contact details and `web:` settings (brand
colour, welcome line, frame_ancestors) from its council.yml. Every response carries a
strict Content-Security-Policy: no inline script, no third-party hosts.
"""

from __future__ import annotations

import functools
import html
import json
import mimetypes
import re
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlparse

import yaml

from assistant.councils import Council, CouncilRegistry
from assistant.serving import serve_until_interrupted
from assistant.settings import PROJECT_ROOT, Settings
from assistant.web.pay_flow import PayFlow
from assistant.web.pay_pages import PayAnswer
from assistant.web.pay_setup import TOKEN, pay_flow

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
SOCKET_IO_DIST = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist"
GOVUK_DIST = PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
VENDOR_FILES = {
    "socket.io.esm.min.js": SOCKET_IO_DIST / "socket.io.esm.min.js",
    "govuk-frontend.min.css": GOVUK_DIST / "govuk-frontend.min.css",  # the payment pages
}
DEFAULT_BRAND_COLOUR = "#1d4f91"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_MESSAGE_CHARS = 2000  # the message box's maxlength (the channel allows more)
PAGE_LANGUAGE_TAGS = {"en": "en-GB", "cy": "cy"}  # the html lang of a page in each language


@functools.lru_cache(maxsize=1)
def page_text() -> dict[str, dict[str, str]]:
    """The page's own text by language (page_text.yml)."""
    raw = yaml.safe_load((HERE / "page_text.yml").read_text(encoding="utf-8"))
    return {str(code): {str(k): str(v) for k, v in text.items()} for code, text in raw.items()}


def brand_colour(council: Council) -> str:
    """The council's `web.brand_colour` (a #rrggbb colour), else a default."""
    colour = council.web.brand_colour or DEFAULT_BRAND_COLOUR
    if not HEX_COLOUR.match(colour):
        raise ValueError(f"council {council.id}: web.brand_colour must look like #1d4f91")
    return colour


def widget_config(council: Council, rasa_url: str) -> dict[str, Any]:
    """What the page passes to the web chat (static/chat/chat.mjs)."""
    return {
        "socketUrl": rasa_url,
        "socketPath": "/socket.io/",
        "customData": {"council": council.id},
        "initPayload": "/greet",
        "maxLength": MAX_MESSAGE_CHARS,
        "lang": council.languages[0],
        "languages": list(council.languages),
    }


def socket_origins(rasa_url: str) -> str:
    """The CSP sources for Rasa's socket.io: its origin over http(s) and ws(s)."""
    parsed = urlparse(rasa_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"the Rasa address must be http(s)://host[:port], not {rasa_url!r}")
    socket_scheme = "wss" if parsed.scheme == "https" else "ws"
    return f"{parsed.scheme}://{parsed.netloc} {socket_scheme}://{parsed.netloc}"


def content_security_policy(
    rasa_url: str, frame_ancestors: Sequence[str], form_targets: Sequence[str] = ()
) -> str:
    """The page's CSP: scripts, styles and images from this server only (images also
    as data: URLs), connections to here and Rasa, framing only by `frame_ancestors`,
    forms to here (and `form_targets`: Pay's card pages, after the pay page's 303)."""
    ancestors = " ".join(frame_ancestors) or "'none'"
    forms = " ".join(("'self'", *form_targets))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"font-src 'self'; connect-src 'self' {socket_origins(rasa_url)}; object-src 'none'; "
        f"base-uri 'none'; form-action {forms}; frame-ancestors {ancestors}"
    )


def security_headers(
    rasa_url: str, frame_ancestors: Sequence[str], form_targets: Sequence[str] = ()
) -> dict[str, str]:
    """Headers every response carries."""
    return {
        "Content-Security-Policy": content_security_policy(rasa_url, frame_ancestors, form_targets),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }


def theme_css(council: Council) -> str:
    """The council's brand colour as a stylesheet (the CSP allows no inline style)."""
    return f":root {{ --brand: {brand_colour(council)}; }}\n"


def render_council_page(council: Council, rasa_url: str) -> str:
    """The demo page for `council` in its first language, every value escaped; a
    council with more than one language offers each (the active offer)."""
    config = json.dumps(widget_config(council, rasa_url)).replace("</", "<\\/")
    language = council.languages[0]
    details = council.template_vars_in(language)
    text = page_text()[language]
    welcome = council.welsh.welcome if language == "cy" else None
    values = {
        "name": details["council_name"],
        "short_name": details["council_short_name"],
        "welcome": welcome or council.web.welcome or text["welcome"],
        "phone": council.contact["phone"],
        "opening_hours": details["council_opening_hours"],
        "website": council.website,
    }
    page = {f"t_{key}": value.format(**values) for key, value in text.items()}
    escaped = {key: html.escape(value) for key, value in {**values, **page}.items()}
    template = Template((HERE / "council.html").read_text(encoding="utf-8"))
    return template.substitute(
        escaped,
        council_id=html.escape(council.id),
        lang=PAGE_LANGUAGE_TAGS.get(language, language),
        config=config,
        offer=active_offer(council),
    )


def active_offer(council: Council) -> str:
    """Paragraphs offering each of the council's languages, each marked with its lang."""
    if len(council.languages) < 2:
        return ""
    return "\n".join(
        f'    <p class="offer" lang="{PAGE_LANGUAGE_TAGS.get(code, code)}">'
        f"{html.escape(page_text()[code]['offer'])}</p>"
        for code in council.languages
    )


def render_index(registry: CouncilRegistry) -> str:
    """A list of the demo pages."""
    items = "\n".join(
        f'      <li><a href="/{html.escape(c.id)}/">{html.escape(c.name)}</a></li>'
        for c in registry
    )
    template = Template((HERE / "index.html").read_text(encoding="utf-8"))
    return template.substitute(items=items)


class CouncilPages(BaseHTTPRequestHandler):
    """Serves the council pages; `make_handler` binds a registry and Rasa address."""

    server_version = "CouncilWeb/1"
    registry: CouncilRegistry
    rasa_url: str
    pay: PayFlow | None = None  # the payment pages (issue 12, item 2)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        """As GET without a body: a link preview's HEAD never starts anything."""
        self._head_only = True
        self.do_GET()

    def do_POST(self) -> None:
        path = urlparse(self.path).path
        token = path.removeprefix("/pay/")
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 4096))
        if self.pay is None or not path.startswith("/pay/") or not TOKEN.match(token):
            self._not_found("Not found.")
        else:
            self._pay_answer(self.pay.start(token))

    def do_GET(self) -> None:
        path = urlparse(self.path).path
        if path.startswith("/pay/") and self.pay is not None:
            self._pay_page(path.removeprefix("/pay/"))
        elif path == "/health":
            self._send(HTTPStatus.OK, b'{"status": "ok"}', "application/json")
        elif path == "/":
            self._send(HTTPStatus.OK, render_index(self.registry).encode(), "text/html")
        elif path.startswith("/static/"):
            self._file(STATIC_DIR, path.removeprefix("/static/"))
        elif path.startswith("/assets/"):  # GOV.UK Frontend's fonts and images
            self._file(GOVUK_DIST / "assets", path.removeprefix("/assets/"))
        elif path.startswith("/vendor/"):
            target = VENDOR_FILES.get(path.removeprefix("/vendor/"))
            if target is None or not target.is_file():
                self._not_found("Not found (run `npm ci` for the chat's socket.io client).")
            else:
                kind = "text/css" if target.suffix == ".css" else "text/javascript"
                self._send(HTTPStatus.OK, target.read_bytes(), kind)
        elif path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        else:
            self._council(path)

    def _council(self, path: str) -> None:
        council_id, _, rest = path.strip("/").partition("/")
        council = self.registry.get(council_id)
        if council is None or rest not in ("", "theme.css"):
            self._not_found("There is no council page here.")
        elif rest == "theme.css":
            self._send(HTTPStatus.OK, theme_css(council).encode(), "text/css")
        elif not path.endswith("/"):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", path + "/")
            self.end_headers()
        else:
            page = render_council_page(council, self.rasa_url).encode()
            self._send(HTTPStatus.OK, page, "text/html", tuple(council.web.frame_ancestors))

    def _pay_page(self, rest: str) -> None:
        assert self.pay is not None
        key = rest.removeprefix("return/")
        if not TOKEN.match(key):
            self._not_found("Not found.")
        elif rest.startswith("return/"):
            self._pay_answer(self.pay.outcome(key))
        else:
            self._pay_answer(self.pay.confirm(key))

    def _pay_answer(self, answer: PayAnswer) -> None:
        if answer.location is not None:
            self.send_response(answer.status)
            self.send_header("Location", answer.location)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(
            answer.status, answer.body.encode(), "text/html", form_targets=answer.form_targets
        )

    def _file(self, root: Path, name: str) -> None:
        root = root.resolve()
        target = (root / name).resolve()
        if root not in target.parents or not target.is_file():
            self._not_found("Not found.")
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(HTTPStatus.OK, target.read_bytes(), kind)

    def _not_found(self, message: str) -> None:
        self._send(HTTPStatus.NOT_FOUND, message.encode(), "text/plain")

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        kind: str,
        frame_ancestors: tuple[str, ...] = (),
        form_targets: tuple[str, ...] = (),
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        headers = security_headers(self.rasa_url, frame_ancestors, form_targets)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not getattr(self, "_head_only", False):
            self.wfile.write(body)


def make_handler(
    registry: CouncilRegistry, rasa_url: str, pay: PayFlow | None = None
) -> type[BaseHTTPRequestHandler]:
    """A request handler class serving `registry`'s pages, whose chat talks to `rasa_url`,
    and the payment pages of `pay`."""
    socket_origins(rasa_url)  # refuse a malformed Rasa address before serving
    values = {"registry": registry, "rasa_url": rasa_url, "pay": pay}
    return type("Handler", (CouncilPages,), values)


def serve(host: str, port: int, rasa_url: str) -> int:
    """Serve the demo pages, whose widget talks to `rasa_url`, until interrupted."""
    registry = CouncilRegistry.load()
    for council in registry:
        brand_colour(council)  # refuse to start on a bad colour
    pay = pay_flow(registry, Settings.from_env())
    server = ThreadingHTTPServer((host, port), make_handler(registry, rasa_url, pay))
    serve_until_interrupted(server)
    return 0
