"""Transport shared by every vendor client: one session, timeouts, auth, typed errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError

from assistant.backoffice.errors import (
    BackOfficeError,
    BackOfficeMalformed,
    BackOfficeNoAnswer,
    BackOfficeRejected,
    BackOfficeUnavailable,
    NotFound,
)

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 3.0
# Kept-alive connections per back-office host: as many as back-office worker threads
# by default (assistant/backoffice/deadline.py), so none is dropped after each call.
MAX_CONNECTIONS = 32


class BaseClient:
    """A vendor API at `base_url`, authenticated with `api_key` on every request.

    Subclasses say how the key is sent (`auth_headers` / `auth_params`) and add one
    short method per endpoint. Clients never read the environment: the caller
    passes the URL, key and timeout in.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        timeout: float = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.timeout = timeout
        self.session = session or pooled_session()

    def __repr__(self) -> str:  # never print the key
        return f"{type(self).__name__}({self.base_url!r})"

    def auth_headers(self, api_key: str) -> dict[str, str]:
        """Headers that authenticate a request; by default a bearer token."""
        return {"Authorization": f"Bearer {api_key}"}

    def auth_params(self, api_key: str) -> dict[str, str]:
        """Query or form parameters that authenticate a request; none by default."""
        return {}

    def get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """GET `path` and return its decoded JSON body."""
        return self.request("GET", path, params=dict(params or {}))

    def post_json(
        self, path: str, body: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> Any:
        """POST a JSON body to `path` (with any extra `headers`); the decoded JSON answer."""
        return self.request("POST", path, json=dict(body), headers=dict(headers or {}))

    def post_form(self, path: str, form: Mapping[str, str]) -> Any:
        """POST a form-encoded body (auth parameters included) to `path`."""
        return self.request("POST", path, data={**form, **self.auth_params(self._api_key)})

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send one authenticated request; typed errors for every way it can fail."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        extra = kwargs.pop("headers", None) or {}
        headers = {"Accept": "application/json", **extra, **self.auth_headers(self._api_key)}
        if method == "GET":
            kwargs["params"] = {**kwargs.get("params", {}), **self.auth_params(self._api_key)}
        started = time.perf_counter()
        try:
            response = self.session.request(
                method, url, headers=headers, timeout=self.timeout, **kwargs
            )
        except requests.Timeout as error:
            failure = unanswered(error)
            raise failure(f"{method} {url} timed out after {self.timeout}s") from error
        except requests.RequestException as error:
            failure = unanswered(error)
            raise failure(f"{method} {url} failed: {type(error).__name__}") from error
        finally:
            log.debug("%s %s took %.1f ms", method, url, (time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            raise self.failure(f"{method} {url}", response)
        try:
            return response.json()
        except ValueError as error:
            raise BackOfficeMalformed(f"{method} {url}: response is not JSON") from error

    def failure(self, what: str, response: requests.Response) -> BackOfficeError:
        """The error for an HTTP error answer; vendors with error bodies say more."""
        if response.status_code == 404:
            return NotFound(f"{what}: not found")
        if response.status_code >= 500:
            return BackOfficeUnavailable(f"{what}: HTTP {response.status_code}")
        return BackOfficeRejected(f"{what}: HTTP {response.status_code}")


def pooled_session() -> requests.Session:
    """A session keeping up to MAX_CONNECTIONS connections per host."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=MAX_CONNECTIONS)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def unanswered(error: requests.RequestException) -> type[BackOfficeUnavailable]:
    """BackOfficeUnavailable when the request never left (no connection made), else
    BackOfficeNoAnswer: it may have been received and acted on."""
    if isinstance(error, requests.ConnectTimeout):
        return BackOfficeUnavailable
    reason = getattr(error.args[0], "reason", None) if error.args else None
    if isinstance(reason, NewConnectionError):
        return BackOfficeUnavailable
    return BackOfficeNoAnswer


def field(data: Any, *keys: str | int) -> Any:
    """`data[k1][k2]...`, or BackOfficeMalformed naming the missing path."""
    current = data
    for key in keys:
        try:
            current = current[key]
        except (KeyError, IndexError, TypeError) as error:
            path = ".".join(str(k) for k in keys)
            raise BackOfficeMalformed(f"response has no {path}") from error
    return current


def text_field(data: Any, *keys: str | int) -> str:
    """A field that must be non-empty text (numbers are accepted and converted)."""
    value = field(data, *keys)
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value) == "":
        raise BackOfficeMalformed(f"response field {'.'.join(map(str, keys))} is not text")
    return str(value)


def int_field(data: Any, *keys: str | int) -> int:
    """A field that must be a whole number."""
    value = field(data, *keys)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BackOfficeMalformed(f"response field {'.'.join(map(str, keys))} is not a number")
    return value
