"""Time-based one-time passwords (RFC 6238 over the HOTP of RFC 4226), as authenticator apps
implement them: SHA-1, 30-second steps, 6 digits.

A code is accepted for the current step and one step either side (RFC 6238 §5.2 recommends at
most one step of network delay; the clock drift of a phone is usually smaller). A step, once
used, is spent: the caller stores the matched step and passes it back, so a code seen over a
shoulder or in a log cannot be replayed, not even within its own 90-second window.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import ClassVar, Final, Literal
from urllib.parse import quote, urlencode

STEP_SECONDS: Final = 30
DIGITS: Final = 6
WINDOW: Final = 1
# RFC 4226 §4 requires at least 128 bits and recommends 160, the SHA-1 output size.
SECRET_BYTES: Final = 20

Digest = Literal["sha1", "sha256", "sha512"]


class TotpError(ValueError):
    code: ClassVar[str] = "totp.error"

    def __init__(self, detail: str) -> None:
        super().__init__(f"{self.code}: {detail}")
        self.detail = detail


class TotpMalformed(TotpError):
    """Not six ASCII digits; never compared, so it does not spend a step."""

    code = "totp.malformed"


class TotpInvalid(TotpError):
    code = "totp.invalid"


class TotpReplayed(TotpError):
    """The code is right but its step (or a later one) was already used."""

    code = "totp.replayed"


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: Digest = "sha1") -> str:
    """RFC 4226 §5.3: HMAC of the 8-byte counter, dynamic truncation, decimal digits."""
    mac = hmac.new(key, counter.to_bytes(8, "big"), getattr(hashlib, digest)).digest()
    offset = mac[-1] & 0x0F
    binary = int.from_bytes(mac[offset:offset + 4], "big") & 0x7FFF_FFFF
    return str(binary % 10**digits).zfill(digits)


def time_step(at: datetime | float) -> int:
    """RFC 6238 §4.2: steps of 30 seconds since the Unix epoch (T0 = 0)."""
    seconds = at.timestamp() if isinstance(at, datetime) else at
    return int(seconds // STEP_SECONDS)


def totp(key: bytes, at: datetime | float) -> str:
    return hotp(key, time_step(at))


def verify_totp(key: bytes, code: str, at: datetime | float, *,
                last_used_step: int | None) -> int:
    """The step ``code`` belongs to, within one step of ``at``; store it as the new
    ``last_used_step``. Raises TotpMalformed, TotpInvalid or TotpReplayed."""
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        raise TotpMalformed(f"expected {DIGITS} digits")
    current = time_step(at)
    matched: int | None = None
    # Compare against every candidate, not stopping at the first hit, so the time taken does
    # not say which step matched.
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(hotp(key, step).encode(), code.encode()) and matched is None:
            matched = step
    if matched is None:
        raise TotpInvalid("wrong code")
    if last_used_step is not None and matched <= last_used_step:
        raise TotpReplayed("code already used")
    return matched


def encode_secret(key: bytes) -> str:
    """Base32 without padding, the form authenticator apps take (RFC 4648 §6)."""
    return base64.b32encode(key).decode("ascii").rstrip("=")


def decode_secret(text: str) -> bytes:
    cleaned = text.replace(" ", "").upper()
    try:
        return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError:
        raise TotpMalformed("secret is not base32") from None


def provisioning_uri(key: bytes, *, account: str, issuer: str) -> str:
    """The ``otpauth://totp/`` URI shown as a QR code at enrolment (Google Authenticator's
    Key Uri Format: label ``issuer:account``, issuer repeated as a parameter)."""
    if ":" in issuer or ":" in account:
        raise TotpMalformed("issuer and account must not contain ':'")
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode({
        "secret": encode_secret(key),
        "issuer": issuer,
        "algorithm": "SHA1",
        "digits": DIGITS,
        "period": STEP_SECONDS,
    }, quote_via=quote)
    return f"otpauth://totp/{label}?{query}"
