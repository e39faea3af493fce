"""Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226): what an
authenticator app shows. SHA-1, 6 digits, 30-second steps: the defaults every app
reads from an `otpauth://` address.

`verify` accepts the current step and one either side (clock drift) and returns the
step it matched, so the caller can refuse that step, and any before it, next time
(a code seen once is never accepted again).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends


def new_secret() -> str:
    """A random shared secret in base32 (no padding), for the app to be given."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(secret: str, counter: int, digits: int = DIGITS) -> str:
    """The HOTP value of `counter` (RFC 4226, section 5.3)."""
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def step_at(when: float) -> int:
    """The 30-second step that `when` (seconds since the epoch) falls in."""
    return int(when // STEP_SECONDS)


def code_at(secret: str, when: float | None = None) -> str:
    """The code an app shows at `when` (now by default)."""
    return hotp(secret, step_at(time.time() if when is None else when))


def verify(secret: str, code: str, after_step: int | None, when: float | None = None) -> int | None:
    """The step `code` belongs to, if it is right now (give or take one step) and
    later than `after_step` (the last step used); else None."""
    typed = "".join(code.split())
    if len(typed) != DIGITS or not typed.isdigit():
        return None
    now = step_at(time.time() if when is None else when)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(hotp(secret, step), typed):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The `otpauth://totp/...` address an authenticator app reads (as a QR code or text)."""
    label = quote(f"{issuer}:{account}")
    return f"otpauth://totp/{label}?" + urlencode({"secret": secret, "issuer": issuer})


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
