"""Run a standard-library HTTP server in the foreground until Ctrl-C."""

from __future__ import annotations

from http.server import HTTPServer


def serve_until_interrupted(server: HTTPServer) -> None:
    """Serve requests until interrupted, then close the listening socket."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
