"""Primitive field codecs shared by every data unit: times, fixed-width text, scaled quantities.

Kept free of per-byte Python loops: the decoder sits on the ingest hot path.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta, timezone
from operator import itemgetter
from typing import Final

from .errors import FieldTooLong, TruncatedDataUnit, ValueOutOfRange
from .model import Hex, Sentinel

# §6.1: every time on the wire is Beijing wall-clock time; we never use the server's local zone.
BEIJING: Final = timezone(timedelta(hours=8), "UTC+08:00")

_TIME = struct.Struct(">6B")
_SENTINEL_BASE = {1: 0xFE, 2: 0xFFFE, 4: 0xFFFFFFFE}
_MAX_RAW = {1: 0xFF, 2: 0xFFFF, 4: 0xFFFFFFFF}


def need(data: bytes, pos: int, size: int, what: str) -> None:
    """Raise a typed error when ``size`` bytes are not available at ``pos``."""
    if pos + size > len(data):
        raise TruncatedDataUnit(
            f"{what}: need {size} bytes at offset {pos}, have {len(data) - pos}", offset=pos)


# ---- time (§6.1: six binary bytes, year-2000 .. second, UTC+8) -------------------------------

def decode_time(data: bytes, pos: int = 0) -> tuple[datetime | None, Hex | None]:
    """Return (aware time, None), or (None, raw bytes) when the device sent an impossible date."""
    need(data, pos, 6, "time")
    year, month, day, hour, minute, second = _TIME.unpack_from(data, pos)
    try:
        return datetime(2000 + year, month, day, hour, minute, second, tzinfo=BEIJING), None
    except ValueError:
        return None, Hex(data[pos:pos + 6])


def encode_time(at: datetime | None, raw: bytes | None = None) -> bytes:
    """Encode an aware time as Beijing wall-clock bytes; ``raw`` re-emits an invalid original."""
    if at is None:
        if raw is None or len(raw) != 6:
            raise ValueOutOfRange("time: need an aware datetime or the 6 original bytes")
        return bytes(raw)
    if at.tzinfo is None:
        raise ValueOutOfRange("time: naive datetime; GB/T 32960 times are UTC+8 wall-clock")
    local = at.astimezone(BEIJING)
    if not 2000 <= local.year <= 2255:
        raise ValueOutOfRange(f"time: year {local.year} outside 2000-2255")
    return _TIME.pack(local.year - 2000, local.month, local.day, local.hour, local.minute,
                      local.second)


def utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


# ---- fixed-width text (§1: STRING, NUL or space padded, GB 18030 where Chinese is allowed) -----

def decode_text(raw: bytes) -> tuple[str, Hex | None]:
    """Strip NUL/space padding. The exact bytes come back as well when re-padding with NULs
    would not reproduce them, so nothing the peer sent is lost."""
    printable = raw.rstrip(b"\x00")
    if printable.isascii() and not printable.endswith(b" "):
        # The common case (VINs, ICCIDs): ASCII padded with NULs re-encodes exactly as it came.
        return printable.decode("ascii"), None
    text = raw.rstrip(b"\x00 ").decode("gb18030", errors="replace")
    try:
        canonical = text.encode("gb18030").ljust(len(raw), b"\x00")
    except UnicodeEncodeError:
        return text, Hex(raw)
    return text, (None if canonical == raw else Hex(raw))


def encode_text(text: str, width: int, raw: bytes | None = None, what: str = "text") -> bytes:
    if raw is not None:
        if len(raw) != width:
            raise FieldTooLong(f"{what}: original bytes are {len(raw)} long, field is {width}")
        return bytes(raw)
    encoded = text.encode("gb18030")
    if len(encoded) > width:
        raise FieldTooLong(f"{what}: {len(encoded)} bytes do not fit in {width}")
    return encoded.ljust(width, b"\x00")


# ---- measured quantities (§8.0: sentinels before scaling; offsets instead of two's complement) --

class Quantity:
    """One measured field: ``physical = (raw - raw_offset) / divisor`` with sentinel states.

    ``divisor`` is 1 for integer quantities (decoded as int) and 10/100/1000... for scaled ones
    (decoded as float, divided rather than multiplied so 0.3 prints as 0.3).
    """

    __slots__ = ("divisor", "name", "raw_offset", "sentinels", "width")

    def __init__(self, name: str, width: int, divisor: int = 1, raw_offset: int = 0,
                 sentinels: bool = True) -> None:
        self.name = name
        self.width = width
        self.divisor = divisor
        self.raw_offset = raw_offset
        self.sentinels = sentinels

    def decode(self, raw: int) -> int | float | Sentinel:
        if self.sentinels and raw >= _SENTINEL_BASE[self.width]:
            return Sentinel.ABNORMAL if raw == _SENTINEL_BASE[self.width] else Sentinel.INVALID
        if self.divisor == 1:
            return raw - self.raw_offset
        return (raw - self.raw_offset) / self.divisor

    def encode(self, value: int | float | Sentinel) -> int:
        if isinstance(value, Sentinel):
            base = _SENTINEL_BASE[self.width]
            return base if value is Sentinel.ABNORMAL else base + 1
        raw = round(value * self.divisor) + self.raw_offset
        # A number whose raw value is a sentinel would read back as that state, not as itself.
        limit = _SENTINEL_BASE[self.width] if self.sentinels else _MAX_RAW[self.width] + 1
        if not 0 <= raw < limit:
            raise ValueOutOfRange(f"{self.name}: {value} does not fit ({raw} raw)")
        return raw


def state_value(raw: int, width: int = 1) -> int | Sentinel:
    """An enumerated state byte: the raw code, or a sentinel state (§8.0)."""
    if raw >= _SENTINEL_BASE[width]:
        return Sentinel.ABNORMAL if raw == _SENTINEL_BASE[width] else Sentinel.INVALID
    return raw


def state_raw(value: int | Sentinel, width: int = 1) -> int:
    if isinstance(value, Sentinel):
        base = _SENTINEL_BASE[width]
        return base if value is Sentinel.ABNORMAL else base + 1
    if not 0 <= value <= _MAX_RAW[width]:
        raise ValueOutOfRange(f"state {value} does not fit in {width} byte(s)")
    return value


# ---- hot-path lookups (§8.0): one index or dict operation per field instead of a call --------

BYTE_STATE: Final[tuple[int | Sentinel, ...]] = (*range(0xFE), Sentinel.ABNORMAL, Sentinel.INVALID)
"""``BYTE_STATE[raw]``: a BYTE state or count as its raw code, or its sentinel state."""

BYTE_TEMPERATURE_C: Final[tuple[int | Sentinel, ...]] = (
    *range(-40, 0xFE - 40), Sentinel.ABNORMAL, Sentinel.INVALID)
"""``BYTE_TEMPERATURE_C[raw]``: a one-byte temperature (raw - 40 °C) or its sentinel state."""


def byte_temperatures(raw: bytes) -> tuple[int | Sentinel, ...]:
    """A run of one-byte temperatures. ``itemgetter(*raw)`` picks every lookup entry in one C
    call (about 3x faster than ``map``); it returns a bare item for a single index."""
    if len(raw) > 1:
        picked: tuple[int | Sentinel, ...] = itemgetter(*raw)(BYTE_TEMPERATURE_C)
        return picked
    return (BYTE_TEMPERATURE_C[raw[0]],) if raw else ()

SENTINEL_BY_RAW: Final[dict[int, Sentinel]] = {
    raw + offset: state for raw in _SENTINEL_BASE.values()
    for offset, state in enumerate((Sentinel.ABNORMAL, Sentinel.INVALID))}
"""Sentinel state of a WORD/DWORD raw value already known to be >= 0xFFFE / 0xFFFFFFFE."""
