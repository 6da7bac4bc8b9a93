"""Field helpers shared by the 2025 realtime blocks (§8.0, §14.4).

Decoding turns one raw integer into a number or a ``Sentinel`` state with one comparison; arrays
are unpacked in one ``struct`` call and only walked in Python when ``max()`` says a sentinel is
present. Encoding is the exact inverse: ``raw = round(value * divisor) + raw_offset`` recovers
every raw integer the decoder produced, so decoded blocks re-encode byte for byte.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from typing import Final

from .errors import ValueOutOfRange
from .model import Sentinel
from .wire import BYTE_TEMPERATURE_C, need

# First sentinel value ("abnormal") per field width; "invalid" is the next one (§8.0).
BYTE: Final = 0xFE
WORD: Final = 0xFFFE
DWORD: Final = 0xFFFFFFFE
_TOP: Final = {BYTE: 0xFF, WORD: 0xFFFF, DWORD: 0xFFFFFFFF}

PACK_CURRENT_RAW_OFFSET: Final = 30_000
"""§14.4: 2025 pack and super-capacitor currents are raw × 0.1 − 3000 A (2016: −1000 A)."""

TEMPERATURE_RAW_OFFSET: Final = 40
"""One-byte temperatures are raw - 40 °C throughout the standard (§8.2, §8.9)."""


def number(raw: int, base: int, raw_offset: int = 0) -> int | Sentinel:
    """An integer quantity (unit step 1) or its sentinel state."""
    if raw >= base:
        return Sentinel.ABNORMAL if raw == base else Sentinel.INVALID
    return raw - raw_offset


def scaled(raw: int, base: int, divisor: int, raw_offset: int = 0) -> float | Sentinel:
    """A scaled quantity, ``(raw - raw_offset) / divisor``, always a float, or a sentinel."""
    if raw >= base:
        return Sentinel.ABNORMAL if raw == base else Sentinel.INVALID
    return (raw - raw_offset) / divisor


def to_raw(value: int | float | Sentinel, base: int, what: str, divisor: int = 1,
           raw_offset: int = 0, *, sentinels: bool = True) -> int:
    """Inverse of ``number``/``scaled``. Numbers must land below the sentinel range (when the
    field has sentinels): the decoder never produces such a number, so one is our bug."""
    if isinstance(value, Sentinel):
        return base if value is Sentinel.ABNORMAL else base + 1
    raw = round(value * divisor) + raw_offset
    limit = base if sentinels else _TOP[base] + 1
    if not 0 <= raw < limit:
        raise ValueOutOfRange(f"{what}: {value!r} gives raw {raw}, outside 0..{limit - 1}")
    return raw


def plain(value: int, base: int, what: str) -> int:
    """A raw code or bit field without sentinels (gear byte, status bits, alarm flags)."""
    if not 0 <= value <= _TOP[base]:
        raise ValueOutOfRange(f"{what}: {value!r} does not fit")
    return value


@lru_cache(maxsize=512)
def array(code: str, count: int) -> struct.Struct:
    """A big-endian array of ``count`` items, compiled once per (item code, count)."""
    return struct.Struct(f">{count}{code}")


def count_or_raw(raw: int, base: int) -> tuple[int, int | None]:
    """A list length: (count, None), or (0, raw) when the count is a sentinel and no list
    follows (§8.0)."""
    return (0, raw) if raw >= base else (raw, None)


def encode_count(length: int, raw: int | None, base: int, what: str) -> int:
    """The count to write: the kept sentinel, or the list length (which must stay below the
    sentinel range, or the decoder would read it as "no list follows")."""
    if raw is not None:
        if length or not base <= raw <= _TOP[base]:
            raise ValueOutOfRange(f"{what}: sentinel count {raw:#x} with {length} items")
        return raw
    if length >= base:
        raise ValueOutOfRange(f"{what}: {length} items do not fit below {base:#x}")
    return length


def decode_words(data: bytes, pos: int, count: int, what: str
                 ) -> tuple[tuple[int | Sentinel, ...], int]:
    """``count`` WORDs in integer units (e.g. millivolts) with sentinels: one unpack, one max()."""
    size = 2 * count
    need(data, pos, size, what)
    raw = array("H", count).unpack_from(data, pos)
    if count and max(raw) >= WORD:
        return tuple(number(value, WORD) for value in raw), pos + size
    return raw, pos + size


def encode_words(values: tuple[int | Sentinel, ...], what: str) -> bytes:
    return array("H", len(values)).pack(*(to_raw(value, WORD, what) for value in values))


def decode_temperatures(data: bytes, pos: int, count: int, what: str
                        ) -> tuple[tuple[int | Sentinel, ...], int]:
    """``count`` one-byte temperatures (raw - 40 °C), mapped in C through a lookup table."""
    need(data, pos, count, what)
    return tuple(map(BYTE_TEMPERATURE_C.__getitem__, data[pos:pos + count])), pos + count


def encode_temperatures(values: tuple[int | Sentinel, ...], what: str) -> bytes:
    return bytes(to_raw(value, BYTE, what, raw_offset=TEMPERATURE_RAW_OFFSET) for value in values)
