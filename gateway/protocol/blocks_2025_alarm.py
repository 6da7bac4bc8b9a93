"""2025 alarm block, type 0x06 (it was 0x07 in 2016; §8.7, §14.4).

``max level | flags DWORD | N1..N4 fault-code lists | N5 × (flag bit index, level)``. The
trailing per-alarm level list is new in 2025. Levels, flags and lists are independent: nothing
is derived from anything else, and every list count that is a sentinel is kept raw.
"""

from __future__ import annotations

import struct

from .alarm_bits import active_bits
from .blocks_2025_values import BYTE, DWORD, array, count_or_raw, encode_count, plain, to_raw
from .model import Block, Model, Sentinel
from .registry import expect
from .wire import BYTE_STATE, need

_HEAD = struct.Struct(">BI")


class AlarmBitLevel(Model, frozen=True):
    """One N5 entry: the level of the general alarm whose flag bit is ``bit``."""

    bit: int
    level: int | Sentinel


class Alarm2025(Block, frozen=True, tag="alarm_2025"):
    max_level: int | Sentinel
    general_flags: int
    """The raw flag DWORD, reserved bits included (bit 0 = least significant, §8.7); names in
    ``backend.core.alarms.names.ALARM_BITS_2025``."""
    battery_fault_codes: tuple[int, ...]
    motor_fault_codes: tuple[int, ...]
    engine_fault_codes: tuple[int, ...]
    other_fault_codes: tuple[int, ...]
    alarm_levels: tuple[AlarmBitLevel, ...]
    battery_fault_count_raw: int | None = None
    motor_fault_count_raw: int | None = None
    engine_fault_count_raw: int | None = None
    other_fault_count_raw: int | None = None
    alarm_level_count_raw: int | None = None
    """Each ``*_count_raw`` is set only when that count byte was a sentinel (no list, §8.0)."""

    @property
    def active_flag_bits(self) -> tuple[int, ...]:
        """Indices of the set general flag bits (bit 0 = least significant)."""
        return active_bits(self.general_flags)


def _codes(data: bytes, pos: int, what: str) -> tuple[tuple[int, ...], int | None, int]:
    need(data, pos, 1, what)
    count, count_raw = count_or_raw(data[pos], BYTE)
    pos += 1
    need(data, pos, 4 * count, what)
    return array("I", count).unpack_from(data, pos), count_raw, pos + 4 * count


def _level(bit: int, level: int) -> AlarmBitLevel:
    return AlarmBitLevel(bit=bit, level=BYTE_STATE[level])


def decode_alarm(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, _HEAD.size, "2025 alarm: level and flags")
    max_level, flags = _HEAD.unpack_from(data, pos)
    battery, battery_raw, pos = _codes(data, pos + _HEAD.size, "2025 alarm: battery faults")
    motor, motor_raw, pos = _codes(data, pos, "2025 alarm: motor faults")
    engine, engine_raw, pos = _codes(data, pos, "2025 alarm: engine faults")
    other, other_raw, pos = _codes(data, pos, "2025 alarm: other faults")
    need(data, pos, 1, "2025 alarm: level count")
    count, levels_raw = count_or_raw(data[pos], BYTE)
    pos += 1
    need(data, pos, 2 * count, "2025 alarm: levels")
    pairs = data[pos:pos + 2 * count]
    return Alarm2025(
        max_level=BYTE_STATE[max_level], general_flags=flags, battery_fault_codes=battery,
        motor_fault_codes=motor, engine_fault_codes=engine, other_fault_codes=other,
        alarm_levels=tuple(map(_level, pairs[::2], pairs[1::2])),
        battery_fault_count_raw=battery_raw, motor_fault_count_raw=motor_raw,
        engine_fault_count_raw=engine_raw, other_fault_count_raw=other_raw,
        alarm_level_count_raw=levels_raw), pos + 2 * count


def _encode_codes(codes: tuple[int, ...], count_raw: int | None, what: str) -> bytes:
    count = encode_count(len(codes), count_raw, BYTE, what)
    return bytes((count,)) + array("I", len(codes)).pack(*(plain(c, DWORD, what) for c in codes))


def encode_alarm(block: Block) -> bytes:
    alarm = expect(block, Alarm2025)
    out = bytearray(_HEAD.pack(to_raw(alarm.max_level, BYTE, "max_level"),
                               plain(alarm.general_flags, DWORD, "general_flags")))
    out += _encode_codes(alarm.battery_fault_codes, alarm.battery_fault_count_raw,
                         "battery_fault_codes")
    out += _encode_codes(alarm.motor_fault_codes, alarm.motor_fault_count_raw,
                         "motor_fault_codes")
    out += _encode_codes(alarm.engine_fault_codes, alarm.engine_fault_count_raw,
                         "engine_fault_codes")
    out += _encode_codes(alarm.other_fault_codes, alarm.other_fault_count_raw,
                         "other_fault_codes")
    out.append(encode_count(len(alarm.alarm_levels), alarm.alarm_level_count_raw, BYTE,
                            "alarm_levels"))
    for entry in alarm.alarm_levels:
        out.append(plain(entry.bit, BYTE, "alarm bit index"))
        out.append(to_raw(entry.level, BYTE, "alarm level"))
    return bytes(out)
