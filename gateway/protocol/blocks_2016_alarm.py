"""GB/T 32960.3-2016 alarm block (§8.7): level, flag DWORD and four counted fault-code lists.

Decoded like the other 2016 blocks: one unpack for the fixed head and one precompiled struct per
code list, so the common "no codes" alarm costs a handful of C calls.
"""

from __future__ import annotations

import struct
from typing import Final

from .alarm_bits import active_bits
from .blocks_2016_battery import MAX_LIST_LENGTH, list_count
from .errors import ValueOutOfRange
from .model import Block, Sentinel
from .registry import expect
from .wire import BYTE_STATE, need, state_raw


class Alarm(Block, frozen=True, tag="alarm"):
    """Level, flags and code lists are independent: never derive one from another (§8.7)."""

    max_level: int | Sentinel
    general_flags: int
    """The raw flag DWORD, reserved bits included; named in ``backend.core.alarms.names``."""
    battery_fault_codes: tuple[int, ...]
    motor_fault_codes: tuple[int, ...]
    engine_fault_codes: tuple[int, ...]
    other_fault_codes: tuple[int, ...]
    battery_fault_count_raw: int | None = None
    """Each ``*_count_raw`` is set only when that count byte was a sentinel (no codes follow)."""
    motor_fault_count_raw: int | None = None
    engine_fault_count_raw: int | None = None
    other_fault_count_raw: int | None = None

    @property
    def active_flag_bits(self) -> tuple[int, ...]:
        """Indices of the set general flag bits (bit 0 = least significant)."""
        return active_bits(self.general_flags)


_ALARM_HEAD: Final = struct.Struct(">BI")
# Head plus the next four bytes: when all four are zero they are the four empty list counts.
_ALARM_FIXED: Final = struct.Struct(">BI4B")
_DWORD_LISTS: Final = tuple(struct.Struct(f">{n}I") for n in range(MAX_LIST_LENGTH + 1))
_NO_CODES: Final[tuple[int, ...]] = ()


def _fault_codes(data: bytes, pos: int, what: str) -> tuple[tuple[int, ...], int | None, int]:
    """One counted list: (codes, raw count if it was a sentinel, position after it)."""
    need(data, pos, 1, what)
    count = data[pos]
    if count >= 0xFE:
        return _NO_CODES, count, pos + 1
    need(data, pos + 1, 4 * count, what)
    return _DWORD_LISTS[count].unpack_from(data, pos + 1), None, pos + 1 + 4 * count


def decode_alarm(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 9, "alarm block")
    level, flags, battery_count, next_1, next_2, next_3 = _ALARM_FIXED.unpack_from(data, pos)
    if not (battery_count or next_1 or next_2 or next_3):
        # The usual alarm block: four empty code lists, nothing more to read.
        return Alarm(max_level=BYTE_STATE[level], general_flags=flags,
                     battery_fault_codes=_NO_CODES, motor_fault_codes=_NO_CODES,
                     engine_fault_codes=_NO_CODES, other_fault_codes=_NO_CODES), pos + 9
    battery, battery_raw, pos = _fault_codes(data, pos + 5, "alarm: battery fault codes")
    motor, motor_raw, pos = _fault_codes(data, pos, "alarm: motor fault codes")
    engine, engine_raw, pos = _fault_codes(data, pos, "alarm: engine fault codes")
    other, other_raw, pos = _fault_codes(data, pos, "alarm: other fault codes")
    return Alarm(
        max_level=BYTE_STATE[level], general_flags=flags,
        battery_fault_codes=battery, motor_fault_codes=motor, engine_fault_codes=engine,
        other_fault_codes=other, battery_fault_count_raw=battery_raw,
        motor_fault_count_raw=motor_raw, engine_fault_count_raw=engine_raw,
        other_fault_count_raw=other_raw,
    ), pos


def _fault_code_bytes(codes: tuple[int, ...], count_raw: int | None, what: str) -> bytes:
    count = list_count(len(codes), count_raw, what)
    try:
        return bytes((count,)) + _DWORD_LISTS[len(codes)].pack(*codes)
    except struct.error as exc:
        raise ValueOutOfRange(f"{what}: a code does not fit in a DWORD") from exc


def encode_alarm(block: Block) -> bytes:
    alarm = expect(block, Alarm)
    if not 0 <= alarm.general_flags <= 0xFFFFFFFF:
        raise ValueOutOfRange(f"alarm flags {alarm.general_flags} do not fit in a DWORD")
    return b"".join((
        _ALARM_HEAD.pack(state_raw(alarm.max_level), alarm.general_flags),
        _fault_code_bytes(alarm.battery_fault_codes, alarm.battery_fault_count_raw, "battery"),
        _fault_code_bytes(alarm.motor_fault_codes, alarm.motor_fault_count_raw, "motor"),
        _fault_code_bytes(alarm.engine_fault_codes, alarm.engine_fault_count_raw, "engine"),
        _fault_code_bytes(alarm.other_fault_codes, alarm.other_fault_count_raw, "other"),
    ))
