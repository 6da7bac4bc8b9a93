"""Data units that carry nothing or only a time, and the two lossless fall-backs."""

from __future__ import annotations

from datetime import datetime

from .model import Body, Edition, Hex
from .registry import expect
from .wire import decode_time, encode_time, need


class Empty(Body, frozen=True, tag="empty"):
    """Heartbeat (0x07) and time-calibration request (0x08), and the heartbeat reply (§7.5)."""


class TimeOnly(Body, frozen=True, tag="time_only"):
    """A reply carrying only a time (§6.2): the request's time echoed, or the platform clock in
    the 0x08 reply. ``at_raw`` keeps an impossible date exactly as sent."""

    at: datetime | None
    at_raw: Hex | None = None


class Opaque(Body, frozen=True, tag="opaque"):
    """A data unit of a command this codec does not model (reserved / platform-exchange ids)."""

    data: Hex


class Encrypted(Body, frozen=True, tag="encrypted"):
    """A data unit left as ciphertext because no key is configured for it (§5)."""

    ciphertext: Hex


def decode_empty(data: bytes, edition: Edition) -> Body:
    if data:
        return Opaque(data=Hex(data))
    return Empty()


def encode_empty(body: Body, edition: Edition) -> bytes:
    return b""


def decode_time_only(data: bytes, edition: Edition) -> Body:
    need(data, 0, 6, "reply time")
    if len(data) != 6:
        return Opaque(data=Hex(data))
    at, raw = decode_time(data)
    return TimeOnly(at=at, at_raw=raw)


def encode_time_only(body: Body, edition: Edition) -> bytes:
    reply = expect(body, TimeOnly)
    return encode_time(reply.at, reply.at_raw)


def encode_opaque(body: Body, edition: Edition) -> bytes:
    return bytes(expect(body, Opaque).data)
