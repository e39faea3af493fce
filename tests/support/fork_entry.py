"""What the fork server's tests have a child run instead of `python -m assistant`."""

from __future__ import annotations

import http.server
import os
import sys
import time


def main(argv: list[str]) -> int:
    """`env NAME`: print NAME's value (or <absent>); `exit N`; `sleep`; `serve PORT`
    (GET /env/NAME: NAME's value or <absent>; GET /cwd; anything else: ok)."""
    what, *rest = argv
    if what == "env":
        print(os.environ.get(rest[0], "<absent>"), flush=True)
    elif what == "exit":
        return int(rest[0])
    elif what == "sleep":
        print("sleeping", flush=True)
        time.sleep(600)
    elif what == "serve":
        server = http.server.HTTPServer(("127.0.0.1", int(rest[0])), Health)
        server.serve_forever()
    else:
        print(f"unknown: {what}", file=sys.stderr)
        return 2
    return 0


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = "ok"
        if self.path.startswith("/env/"):
            body = os.environ.get(self.path[len("/env/") :], "<absent>")
        elif self.path == "/cwd":
            body = os.getcwd()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        pass  # no access log on the test's output
