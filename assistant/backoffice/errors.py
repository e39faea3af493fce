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


class BackOfficeBadInput(BackOfficeRejected):
    """The back-office said the request itself was wrong (HTTP 400)."""


class BackOfficeBadKey(BackOfficeRejected):
    """The back-office refused our key (HTTP 401/403): a configuration problem."""


class NotSent(BackOfficeError):
    """Refused before any call: the back-office requires something we cannot give.
    `reason` is a short machine word ("location", "details") the caller answers by."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class ReferenceToFollow(BackOfficeError):
    """The back-office received the write (it answered with a token) but has given no
    reference yet: made, not failed; the reference is looked up later by `token`."""

    def __init__(self, token: str, message: str = "the reference is not ready yet") -> None:
        super().__init__(message)
        self.token = token
