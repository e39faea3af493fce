"""The supervisor's tests' fixtures: a real fork server (`socket_path`)."""

from tests.support.fork_server import socket_path

__all__ = ["socket_path"]
