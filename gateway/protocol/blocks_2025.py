"""GB/T 32960.3-2025 realtime information blocks (§14.4) and the 2025 block table.

Type ids were renumbered against 2016 (a 2025 0x06 is the alarm, a 2016 0x06 the extreme
values), so the realtime container picks this table by the frame's start marker, never by the
type byte alone. This module holds the vehicle, motor, engine and position blocks; the alarm,
the battery and super-capacitor blocks and the hydrogen blocks live in sibling modules.
The 0xFF signature block is handled by ``realtime.py`` / ``signature.py``.
"""

from __future__ import annotations

import struct
from typing import Final

from .blocks_2025_alarm import Alarm2025, decode_alarm, encode_alarm
from .blocks_2025_energy import (
    CellVoltages2025,
    Supercapacitor,
    SupercapacitorExtremes,
    decode_cell_voltages,
    decode_supercapacitor,
    decode_supercapacitor_extremes,
    encode_cell_voltages,
    encode_supercapacitor,
    encode_supercapacitor_extremes,
)
from .blocks_2025_hydrogen import (
    FuelCell2025,
    FuelCellStacks,
    decode_fuel_cell,
    decode_fuel_cell_stacks,
    encode_fuel_cell,
    encode_fuel_cell_stacks,
)
from .blocks_2025_values import (
    BYTE,
    DWORD,
    PACK_CURRENT_RAW_OFFSET,
    TEMPERATURE_RAW_OFFSET,
    WORD,
    count_or_raw,
    encode_count,
    number,
    plain,
    scaled,
    to_raw,
)
from .blocks_common import ProbeTemperatures, decode_probe_temperatures, encode_probe_temperatures
from .errors import ValueOutOfRange
from .model import Block, Model, Sentinel
from .registry import BlockCodec, expect
from .wire import BYTE_STATE, BYTE_TEMPERATURE_C, need

INSULATION_HAS_SENTINELS: Final = True
"""§14.4 [unconfirmed]: 2025 gives insulation resistance the WORD sentinels 0xFFFE/0xFFFF.
Set to False to read those raw values as 65534/65535 kΩ instead."""

MOTOR_SPEED_RAW_OFFSET: Final = 32_000   # §14.4: rpm = raw − 32 000
MOTOR_TORQUE_RAW_OFFSET: Final = 200_000  # §14.4: N·m = raw × 0.1 − 20 000
COORDINATE_DIVISOR: Final = 1_000_000    # §8.5: degrees × 10^6

# State codes are unchanged from 2016 (names in blocks_2016: VEHICLE_STATE_NAMES, ...).
COORDINATE_SYSTEM_NAMES: Final = {1: ("WGS-84", "WGS-84"), 2: ("GCJ-02", "GCJ-02"),
                                  3: ("其他", "other")}

_GEAR_INVALID: Final = 0x80   # §14.4: new in 2025
_DRIVING_FORCE: Final = 0x20
_BRAKING_FORCE: Final = 0x10
_GEAR_POSITION: Final = 0x0F
_FIX_INVALID: Final = 0x01    # §8.5 status bit 0
_SOUTH: Final = 0x02          # §8.5 status bit 1
_WEST: Final = 0x04           # §8.5 status bit 2

_VEHICLE = struct.Struct(">3BHI2H3BH")
_MOTOR = struct.Struct(">3BHIB")
_WORD = struct.Struct(">H")
_POSITION = struct.Struct(">2B2I")


class Vehicle2025(Block, frozen=True, tag="vehicle_2025"):
    """0x01, 18 bytes: the 2016 block without pedal bytes, current offset −3000 A (§14.4)."""

    vehicle_state: int | Sentinel
    charging_state: int | Sentinel
    running_mode: int | Sentinel
    speed_kmh: float | Sentinel
    odometer_km: float | Sentinel
    total_voltage_v: float | Sentinel
    total_current_a: float | Sentinel
    soc_pct: int | Sentinel
    dcdc_state: int | Sentinel
    gear: int
    """The raw gear byte, every bit kept; read it through the properties below."""
    insulation_kohm: int | Sentinel

    @property
    def gear_valid(self) -> bool:
        """False when bit 7 (new in 2025) marks the gear position invalid."""
        return not self.gear & _GEAR_INVALID

    @property
    def gear_position(self) -> int:
        """0 neutral, 1-12 gears, 13 reverse, 14 drive, 15 park (as in 2016, §8.1)."""
        return self.gear & _GEAR_POSITION

    @property
    def driving_force(self) -> bool:
        return bool(self.gear & _DRIVING_FORCE)

    @property
    def braking_force(self) -> bool:
        return bool(self.gear & _BRAKING_FORCE)


def _insulation(raw: int) -> int | Sentinel:
    return number(raw, WORD) if INSULATION_HAS_SENTINELS else raw


def decode_vehicle(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, _VEHICLE.size, "2025 vehicle block")
    (state, charging, mode, speed, odometer, voltage, current, soc, dcdc, gear,
     insulation) = _VEHICLE.unpack_from(data, pos)
    return Vehicle2025(
        vehicle_state=BYTE_STATE[state], charging_state=BYTE_STATE[charging],
        running_mode=BYTE_STATE[mode], speed_kmh=scaled(speed, WORD, 10),
        odometer_km=scaled(odometer, DWORD, 10), total_voltage_v=scaled(voltage, WORD, 10),
        total_current_a=scaled(current, WORD, 10, PACK_CURRENT_RAW_OFFSET),
        soc_pct=BYTE_STATE[soc], dcdc_state=BYTE_STATE[dcdc], gear=gear,
        insulation_kohm=_insulation(insulation)), pos + _VEHICLE.size


def encode_vehicle(block: Block) -> bytes:
    v = expect(block, Vehicle2025)
    return _VEHICLE.pack(
        to_raw(v.vehicle_state, BYTE, "vehicle_state"),
        to_raw(v.charging_state, BYTE, "charging_state"),
        to_raw(v.running_mode, BYTE, "running_mode"),
        to_raw(v.speed_kmh, WORD, "speed_kmh", 10),
        to_raw(v.odometer_km, DWORD, "odometer_km", 10),
        to_raw(v.total_voltage_v, WORD, "total_voltage_v", 10),
        to_raw(v.total_current_a, WORD, "total_current_a", 10, PACK_CURRENT_RAW_OFFSET),
        to_raw(v.soc_pct, BYTE, "soc_pct"),
        to_raw(v.dcdc_state, BYTE, "dcdc_state"),
        plain(v.gear, BYTE, "gear"),
        to_raw(v.insulation_kohm, WORD, "insulation_kohm", sentinels=INSULATION_HAS_SENTINELS))


class DriveMotor2025(Model, frozen=True):
    """One 10-byte motor record; controller voltage/current were dropped in 2025 (§14.4)."""

    motor_no: int | Sentinel
    state: int | Sentinel
    controller_temperature_c: int | Sentinel
    speed_rpm: int | Sentinel
    torque_nm: float | Sentinel
    temperature_c: int | Sentinel


class DriveMotors2025(Block, frozen=True, tag="drive_motors_2025"):
    motors: tuple[DriveMotor2025, ...]
    motor_count_raw: int | None = None
    """Set only when the count byte was a sentinel (then no records follow, §8.0)."""


def _motor(record: tuple[int, ...]) -> DriveMotor2025:
    motor_no, state, controller_temp, speed, torque, temp = record
    return DriveMotor2025(
        motor_no=BYTE_STATE[motor_no], state=BYTE_STATE[state],
        controller_temperature_c=BYTE_TEMPERATURE_C[controller_temp],
        speed_rpm=number(speed, WORD, MOTOR_SPEED_RAW_OFFSET),
        torque_nm=scaled(torque, DWORD, 10, MOTOR_TORQUE_RAW_OFFSET),
        temperature_c=BYTE_TEMPERATURE_C[temp])


def decode_drive_motors(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 1, "2025 drive motors: count")
    count, count_raw = count_or_raw(data[pos], BYTE)
    pos += 1
    size = count * _MOTOR.size
    need(data, pos, size, "2025 drive motors: records")
    motors = tuple(map(_motor, _MOTOR.iter_unpack(data[pos:pos + size])))
    return DriveMotors2025(motors=motors, motor_count_raw=count_raw), pos + size


def encode_drive_motors(block: Block) -> bytes:
    motors = expect(block, DriveMotors2025)
    out = bytearray((encode_count(len(motors.motors), motors.motor_count_raw, BYTE, "motors"),))
    for m in motors.motors:
        out += _MOTOR.pack(
            to_raw(m.motor_no, BYTE, "motor_no"), to_raw(m.state, BYTE, "motor state"),
            to_raw(m.controller_temperature_c, BYTE, "controller_temperature_c", 1,
                   TEMPERATURE_RAW_OFFSET),
            to_raw(m.speed_rpm, WORD, "speed_rpm", 1, MOTOR_SPEED_RAW_OFFSET),
            to_raw(m.torque_nm, DWORD, "torque_nm", 10, MOTOR_TORQUE_RAW_OFFSET),
            to_raw(m.temperature_c, BYTE, "temperature_c", 1, TEMPERATURE_RAW_OFFSET))
    return bytes(out)


class Engine2025(Block, frozen=True, tag="engine_2025"):
    """0x04: only the crankshaft speed is left in 2025 (§14.4)."""

    crankshaft_speed_rpm: int | Sentinel


def decode_engine(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 2, "2025 engine block")
    (speed,) = _WORD.unpack_from(data, pos)
    return Engine2025(crankshaft_speed_rpm=number(speed, WORD)), pos + 2


def encode_engine(block: Block) -> bytes:
    engine = expect(block, Engine2025)
    return _WORD.pack(to_raw(engine.crankshaft_speed_rpm, WORD, "crankshaft_speed_rpm"))


class Position2025(Block, frozen=True, tag="position_2025"):
    """0x05, 10 bytes: status, coordinate system, longitude, latitude (§8.5, §14.4)."""

    status: int
    """The raw status byte, reserved bits included; the sign bits agree with the values
    (south / west coordinates are negative)."""
    coordinate_system: int | Sentinel
    longitude_deg: float | Sentinel
    latitude_deg: float | Sentinel

    @property
    def fix_valid(self) -> bool:
        return not self.status & _FIX_INVALID


def _signed(raw: int, negative: int) -> float | Sentinel:
    # Negate the integer, not the float, so a zero never becomes -0.0.
    if raw >= DWORD:
        return number(raw, DWORD)
    return (-raw if negative else raw) / COORDINATE_DIVISOR


def decode_position(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, _POSITION.size, "2025 position block")
    status, system, longitude, latitude = _POSITION.unpack_from(data, pos)
    return Position2025(status=status, coordinate_system=BYTE_STATE[system],
                        longitude_deg=_signed(longitude, status & _WEST),
                        latitude_deg=_signed(latitude, status & _SOUTH)), pos + _POSITION.size


def _unsigned(value: float | Sentinel, negative: int, what: str) -> int:
    if isinstance(value, Sentinel):
        return to_raw(value, DWORD, what)
    if value != 0 and (value < 0) != bool(negative):
        raise ValueOutOfRange(f"{what}: sign of {value} disagrees with the status byte")
    return to_raw(abs(value), DWORD, what, COORDINATE_DIVISOR)


def encode_position(block: Block) -> bytes:
    p = expect(block, Position2025)
    status = plain(p.status, BYTE, "status")
    return _POSITION.pack(status, to_raw(p.coordinate_system, BYTE, "coordinate_system"),
                          _unsigned(p.longitude_deg, status & _WEST, "longitude_deg"),
                          _unsigned(p.latitude_deg, status & _SOUTH, "latitude_deg"))


BLOCKS_2025: tuple[BlockCodec, ...] = (
    BlockCodec(0x01, Vehicle2025, decode_vehicle, encode_vehicle),
    BlockCodec(0x02, DriveMotors2025, decode_drive_motors, encode_drive_motors),
    BlockCodec(0x03, FuelCell2025, decode_fuel_cell, encode_fuel_cell),
    BlockCodec(0x04, Engine2025, decode_engine, encode_engine),
    BlockCodec(0x05, Position2025, decode_position, encode_position),
    BlockCodec(0x06, Alarm2025, decode_alarm, encode_alarm),
    BlockCodec(0x07, CellVoltages2025, decode_cell_voltages, encode_cell_voltages),
    BlockCodec(0x08, ProbeTemperatures, decode_probe_temperatures, encode_probe_temperatures),
    BlockCodec(0x30, FuelCellStacks, decode_fuel_cell_stacks, encode_fuel_cell_stacks),
    BlockCodec(0x31, Supercapacitor, decode_supercapacitor, encode_supercapacitor),
    BlockCodec(0x32, SupercapacitorExtremes, decode_supercapacitor_extremes,
               encode_supercapacitor_extremes),
)
"""§14.4 type id → codec; 0x09-0x2F and 0x33-0x7F stay unknown, 0x80-0xFE are user blocks."""
