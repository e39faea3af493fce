"""Checks on the source tree that ruff does not make (`make lint`)."""
