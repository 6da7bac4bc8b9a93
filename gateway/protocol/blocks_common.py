"""Realtime blocks whose layout both editions share.

Probe temperatures: 2016 type 0x09, 2025 type 0x08, same bytes (§8.9, §14.4).
User-defined blocks 0x80-0xFE: ``type | length WORD | body`` in both (§8.10).
"""

from __future__ import annotations

import struct

from .model import Block, Hex, Model, Sentinel
from .registry import expect
from .wire import byte_temperatures, need, state_raw, state_value

_SUBSYSTEM_HEAD = struct.Struct(">BH")
_WORD = struct.Struct(">H")


class ProbeSubsystem(Model, frozen=True):
    subsystem_no: int | Sentinel
    temperatures_c: tuple[int | Sentinel, ...]
    probe_count_raw: int | None = None
    """Set only when the probe-count WORD was a sentinel (then no list follows, §8.0)."""


class ProbeTemperatures(Block, frozen=True, tag="probe_temperatures"):
    subsystems: tuple[ProbeSubsystem, ...]
    subsystem_count_raw: int | None = None


def _temperatures(raw: bytes) -> tuple[int | Sentinel, ...]:
    # raw - 40 °C; 0xFE / 0xFF stay states (§8.0), all through a lookup table in C.
    return byte_temperatures(raw)


def _temperature_bytes(values: tuple[int | Sentinel, ...]) -> bytes:
    return bytes(0xFE if v is Sentinel.ABNORMAL else 0xFF if v is Sentinel.INVALID
                 else int(v) + 40 for v in values)


def decode_probe_temperatures(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 1, "probe temperatures: subsystem count")
    count = data[pos]
    pos += 1
    if count >= 0xFE:
        return ProbeTemperatures(subsystems=(), subsystem_count_raw=count), pos
    subsystems = []
    for _ in range(count):
        need(data, pos, 3, "probe temperatures: subsystem header")
        number, probes = _SUBSYSTEM_HEAD.unpack_from(data, pos)
        pos += 3
        if probes >= 0xFFFE:
            subsystems.append(ProbeSubsystem(subsystem_no=state_value(number), temperatures_c=(),
                                             probe_count_raw=probes))
            continue
        need(data, pos, probes, "probe temperatures: values")
        subsystems.append(ProbeSubsystem(subsystem_no=state_value(number),
                                         temperatures_c=_temperatures(data[pos:pos + probes])))
        pos += probes
    return ProbeTemperatures(subsystems=tuple(subsystems)), pos


def encode_probe_temperatures(block: Block) -> bytes:
    temps = expect(block, ProbeTemperatures)
    if temps.subsystem_count_raw is not None:
        return bytes((temps.subsystem_count_raw,))
    out = bytearray((len(temps.subsystems),))
    for sub in temps.subsystems:
        count = sub.probe_count_raw if sub.probe_count_raw is not None else len(sub.temperatures_c)
        out += _SUBSYSTEM_HEAD.pack(state_raw(sub.subsystem_no), count)
        out += _temperature_bytes(sub.temperatures_c)
    return bytes(out)


class UserDefinedBlock(Block, frozen=True, tag="user_defined"):
    """An OEM block kept opaque so nothing is lost (§8.10)."""

    block_type: int
    data: Hex


def decode_user_defined(data: bytes, pos: int, block_type: int) -> tuple[Block, int]:
    """``pos`` points just after the type byte. Raises TruncatedDataUnit when the declared
    length runs past the data: the caller then keeps the remainder raw and flags the frame."""
    need(data, pos, 2, "user-defined block length")
    (length,) = _WORD.unpack_from(data, pos)
    need(data, pos + 2, length, "user-defined block body")
    return UserDefinedBlock(block_type=block_type, data=Hex(data[pos + 2:pos + 2 + length])), \
        pos + 2 + length


def encode_user_defined(block: Block) -> bytes:
    user = expect(block, UserDefinedBlock)
    return _WORD.pack(len(user.data)) + bytes(user.data)
