"""Signed action calls: HMAC-SHA256 over a timestamp and the body.

The action router signs every call it forwards with the secret of the council
whose action server it goes to; that server refuses calls that are unsigned,
wrongly signed or older than `MAX_AGE_SECONDS`. Header:
`X-Assistant-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>`.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Assistant-Signature"
MAX_AGE_SECONDS = 300
# The smallest secret accepted: 16 bytes of randomness, as text.
MIN_SECRET_LENGTH = 16


def _mac(secret: str, stamp: int, body: bytes) -> str:
    message = f"{stamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, now: float | None = None) -> str:
    """The signature header's value for `body`, sent now."""
    stamp = int(time.time() if now is None else now)
    return f"t={stamp},v1={_mac(secret, stamp, body)}"


def signature_problem(
    secret: str, header: str | None, body: bytes, now: float | None = None
) -> str | None:
    """Why the call must be refused (unsigned, malformed, stale, wrong), or None."""
    if not header:
        return "unsigned"
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    stamp_text, given = fields.get("t", ""), fields.get("v1", "")
    if not stamp_text.isdigit() or not given:
        return "malformed signature"
    stamp = int(stamp_text)
    current = time.time() if now is None else now
    if abs(current - stamp) > MAX_AGE_SECONDS:
        return "stale signature"
    if not hmac.compare_digest(_mac(secret, stamp, body), given):
        return "wrong signature"
    return None
