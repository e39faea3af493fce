"""Typed errors raised by back-office clients and integrations."""

from __future__ import annotations


class BackOfficeError(Exception):
    """A back-office call did not give a usable answer."""


class BackOfficeUnavailable(BackOfficeError):
    """The back-office could not be reached, timed out or answered with a server error."""


class BackOfficeNoAnswer(BackOfficeUnavailable):
    """The request may have reached the back-office, but no answer came (a read timeout,
    a connection dropped after sending): a write may or may not have been made."""


class BackOfficeRejected(BackOfficeError):
    """The back-office refused the request (4xx other than 404), e.g. a bad key."""


class BackOfficeMalformed(BackOfficeError):
    """The back-office answered, but not in the shape its API promises."""


class NotFound(BackOfficeError):
    """The back-office has no record with that identifier."""


class BackOfficeConfigError(ValueError):
    """A council's back-office configuration or secret is missing or invalid."""
