"""GB/T 32960.3-2016 realtime information blocks (§8) and the 2016 block table.

Every block decodes with one precompiled ``struct`` unpack and one struct construction: this runs
for every realtime frame of every vehicle. Sentinels (§8.0) are tested inline before scaling
(``raw / 10 if raw < 0xFFFE else SENTINEL_BY_RAW[raw]``) and byte states go through a lookup
tuple, so no field costs a function call. Encoders are not on the hot path and use ``Quantity``.

The energy-storage and fuel-cell blocks live in ``blocks_2016_battery``, the alarm block in
``blocks_2016_alarm``.
"""

from __future__ import annotations

import struct
from typing import Final

from .blocks_2016_alarm import Alarm, decode_alarm, encode_alarm
from .blocks_2016_battery import (
    CURRENT_A,
    TEMPERATURE_C,
    VOLTAGE_V,
    CellVoltages,
    Extremes,
    FuelCell,
    decode_cell_voltages,
    decode_extremes,
    decode_fuel_cell,
    encode_cell_voltages,
    encode_extremes,
    encode_fuel_cell,
    list_count,
)
from .blocks_common import (
    ProbeTemperatures,
    decode_probe_temperatures,
    encode_probe_temperatures,
)
from .errors import ValueOutOfRange
from .model import Block, Model, Sentinel
from .registry import BlockCodec, expect
from .wire import (
    BYTE_STATE,
    BYTE_TEMPERATURE_C,
    SENTINEL_BY_RAW,
    Quantity,
    need,
    state_raw,
)

# Display names of enumerated state bytes: code -> (zh-CN, English).
VEHICLE_STATE_NAMES: Final = {1: ("车辆启动状态", "started"), 2: ("熄火", "off"),
                              3: ("其他状态", "other")}
CHARGING_STATE_NAMES: Final = {1: ("停车充电", "parked charging"),
                               2: ("行驶充电", "charging while driving"),
                               3: ("未充电状态", "not charging"),
                               4: ("充电完成", "charging complete")}
RUNNING_MODE_NAMES: Final = {1: ("纯电", "pure electric"), 2: ("混动", "hybrid"),
                             3: ("燃油", "fuel")}
DCDC_STATE_NAMES: Final = {1: ("工作", "working"), 2: ("断开", "disconnected")}
GEAR_POSITION_NAMES: Final = {0: ("空挡", "neutral"),
                              **{n: (f"{n}挡", f"gear {n}") for n in range(1, 13)},
                              13: ("倒挡", "reverse"), 14: ("自动D挡", "drive"),
                              15: ("停车P挡", "park")}
MOTOR_STATE_NAMES: Final = {1: ("耗电", "consuming power"), 2: ("发电", "generating"),
                            3: ("关闭状态", "off"), 4: ("准备状态", "ready")}
ENGINE_STATE_NAMES: Final = {1: ("启动状态", "running"), 2: ("关闭状态", "stopped")}

BRAKE_ON_TRAVEL_UNKNOWN: Final = 101
"""§8.1: brake pedal byte meaning "brake applied, travel not measured"."""

_GEAR_DRIVING_FORCE: Final = 0x20
_GEAR_BRAKING_FORCE: Final = 0x10
_GEAR_POSITION: Final = 0x0F


# ---- 0x01 whole vehicle (§8.1, 20 bytes) -------------------------------------------------------

class Vehicle(Block, frozen=True, tag="vehicle"):
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
    """The raw gear byte, reserved bits 7-6 included; see the ``gear_*`` properties."""
    insulation_kohm: int
    """2016 defines no sentinels here (§8.0): 0xFFFE/0xFFFF stay numbers."""
    accelerator_pedal_pct: int | Sentinel
    brake_pedal: int | Sentinel
    """0 brake off, 1-100 travel %, ``BRAKE_ON_TRAVEL_UNKNOWN`` (101) brake on."""

    @property
    def gear_position(self) -> int:
        """0 neutral, 1-12 gears, 13 reverse, 14 drive, 15 park (``GEAR_POSITION_NAMES``)."""
        return self.gear & _GEAR_POSITION

    @property
    def driving_force(self) -> bool:
        return bool(self.gear & _GEAR_DRIVING_FORCE)

    @property
    def braking_force(self) -> bool:
        return bool(self.gear & _GEAR_BRAKING_FORCE)

    @property
    def brake_pressed(self) -> bool | None:
        """None when the brake byte is a sentinel or outside 0-101."""
        if isinstance(self.brake_pedal, Sentinel) or self.brake_pedal > BRAKE_ON_TRAVEL_UNKNOWN:
            return None
        return self.brake_pedal != 0


_VEHICLE: Final = struct.Struct(">3BHIHH3BH2B")
_SPEED_KMH: Final = Quantity("speed_kmh", 2, divisor=10)
_ODOMETER_KM: Final = Quantity("odometer_km", 4, divisor=10)
_INSULATION_KOHM: Final = Quantity("insulation_kohm", 2, sentinels=False)


def decode_vehicle(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 20, "vehicle block")
    (vehicle, charging, mode, speed, odometer, voltage, current, soc, dcdc, gear, insulation,
     accelerator, brake) = _VEHICLE.unpack_from(data, pos)
    return Vehicle(
        vehicle_state=BYTE_STATE[vehicle], charging_state=BYTE_STATE[charging],
        running_mode=BYTE_STATE[mode],
        speed_kmh=speed / 10 if speed < 0xFFFE else SENTINEL_BY_RAW[speed],
        odometer_km=odometer / 10 if odometer < 0xFFFFFFFE else SENTINEL_BY_RAW[odometer],
        total_voltage_v=voltage / 10 if voltage < 0xFFFE else SENTINEL_BY_RAW[voltage],
        total_current_a=(current - 10000) / 10 if current < 0xFFFE else SENTINEL_BY_RAW[current],
        soc_pct=BYTE_STATE[soc], dcdc_state=BYTE_STATE[dcdc], gear=gear,
        insulation_kohm=insulation, accelerator_pedal_pct=BYTE_STATE[accelerator],
        brake_pedal=BYTE_STATE[brake],
    ), pos + 20


def encode_vehicle(block: Block) -> bytes:
    v = expect(block, Vehicle)
    return _VEHICLE.pack(
        state_raw(v.vehicle_state), state_raw(v.charging_state), state_raw(v.running_mode),
        _SPEED_KMH.encode(v.speed_kmh), _ODOMETER_KM.encode(v.odometer_km),
        VOLTAGE_V.encode(v.total_voltage_v), CURRENT_A.encode(v.total_current_a),
        state_raw(v.soc_pct), state_raw(v.dcdc_state), state_raw(v.gear),
        _INSULATION_KOHM.encode(v.insulation_kohm), state_raw(v.accelerator_pedal_pct),
        state_raw(v.brake_pedal))


# ---- 0x02 drive motors (§8.2: count BYTE + 12 bytes per motor) -----------------------------------

class DriveMotor(Model, frozen=True):
    motor_no: int | Sentinel
    state: int | Sentinel
    """Raw code (``MOTOR_STATE_NAMES``); out-of-range codes such as 0x00 are kept."""
    controller_temperature_c: int | Sentinel
    speed_rpm: int | Sentinel
    torque_nm: float | Sentinel
    temperature_c: int | Sentinel
    controller_voltage_v: float | Sentinel
    controller_current_a: float | Sentinel


class DriveMotors(Block, frozen=True, tag="drive_motors"):
    motors: tuple[DriveMotor, ...]
    """In the order sent, which need not be motor-number order."""
    motor_count_raw: int | None = None
    """Set only when the count byte was a sentinel (then no records follow, §8.0)."""


_MOTOR: Final = struct.Struct(">3BHHBHH")
_MOTOR_SPEED_RPM: Final = Quantity("speed_rpm", 2, raw_offset=20000)
_TORQUE_NM: Final = Quantity("torque_nm", 2, divisor=10, raw_offset=20000)


def decode_drive_motors(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 1, "drive motors: count")
    count = data[pos]
    pos += 1
    if count >= 0xFE:
        return DriveMotors(motors=(), motor_count_raw=count), pos
    end = pos + _MOTOR.size * count
    need(data, pos, end - pos, "drive motors: records")
    motors = tuple(
        DriveMotor(
            motor_no=BYTE_STATE[no], state=BYTE_STATE[state],
            controller_temperature_c=BYTE_TEMPERATURE_C[controller_temp],
            speed_rpm=speed - 20000 if speed < 0xFFFE else SENTINEL_BY_RAW[speed],
            torque_nm=(torque - 20000) / 10 if torque < 0xFFFE else SENTINEL_BY_RAW[torque],
            temperature_c=BYTE_TEMPERATURE_C[motor_temp],
            controller_voltage_v=voltage / 10 if voltage < 0xFFFE else SENTINEL_BY_RAW[voltage],
            controller_current_a=((current - 10000) / 10 if current < 0xFFFE
                                  else SENTINEL_BY_RAW[current]))
        for no, state, controller_temp, speed, torque, motor_temp, voltage, current
        in _MOTOR.iter_unpack(data[pos:end]))
    return DriveMotors(motors=motors), end


def encode_drive_motors(block: Block) -> bytes:
    motors = expect(block, DriveMotors)
    out = bytearray((list_count(len(motors.motors), motors.motor_count_raw, "drive motors"),))
    for m in motors.motors:
        out += _MOTOR.pack(
            state_raw(m.motor_no), state_raw(m.state),
            TEMPERATURE_C.encode(m.controller_temperature_c), _MOTOR_SPEED_RPM.encode(m.speed_rpm),
            _TORQUE_NM.encode(m.torque_nm), TEMPERATURE_C.encode(m.temperature_c),
            VOLTAGE_V.encode(m.controller_voltage_v), CURRENT_A.encode(m.controller_current_a))
    return bytes(out)


# ---- 0x04 engine (§8.4, 5 bytes) -----------------------------------------------------------------

class Engine(Block, frozen=True, tag="engine"):
    state: int | Sentinel
    crankshaft_speed_rpm: int | Sentinel
    fuel_consumption_l_per_100km: float | Sentinel


_ENGINE: Final = struct.Struct(">BHH")
_CRANKSHAFT_RPM: Final = Quantity("crankshaft_speed_rpm", 2)
_ENGINE_CONSUMPTION: Final = Quantity("fuel_consumption_l_per_100km", 2, divisor=100)


def decode_engine(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 5, "engine block")
    state, speed, consumption = _ENGINE.unpack_from(data, pos)
    return Engine(
        state=BYTE_STATE[state],
        crankshaft_speed_rpm=speed if speed < 0xFFFE else SENTINEL_BY_RAW[speed],
        fuel_consumption_l_per_100km=(consumption / 100 if consumption < 0xFFFE
                                      else SENTINEL_BY_RAW[consumption]),
    ), pos + 5


def encode_engine(block: Block) -> bytes:
    engine = expect(block, Engine)
    return _ENGINE.pack(state_raw(engine.state),
                        _CRANKSHAFT_RPM.encode(engine.crankshaft_speed_rpm),
                        _ENGINE_CONSUMPTION.encode(engine.fuel_consumption_l_per_100km))


# ---- 0x05 vehicle position (§8.5, 9 bytes) -------------------------------------------------------

_FIX_INVALID: Final = 0x01
_SOUTH: Final = 0x02
_WEST: Final = 0x04


class Position(Block, frozen=True, tag="position"):
    status: int
    """The raw status byte, reserved bits 7-3 included; the sign bits agree with the values."""
    longitude_deg: float | Sentinel
    latitude_deg: float | Sentinel

    @property
    def fix_valid(self) -> bool:
        return not self.status & _FIX_INVALID

    @property
    def reserved_bits(self) -> int:
        return self.status & ~(_FIX_INVALID | _SOUTH | _WEST)

    @classmethod
    def at(cls, longitude_deg: float, latitude_deg: float, fix_valid: bool = True) -> Position:
        """A position whose status byte is derived from the signs (reserved bits clear)."""
        status = ((0 if fix_valid else _FIX_INVALID) | (_SOUTH if latitude_deg < 0 else 0)
                  | (_WEST if longitude_deg < 0 else 0))
        return cls(status=status, longitude_deg=round(longitude_deg, 6),
                   latitude_deg=round(latitude_deg, 6))


_POSITION: Final = struct.Struct(">BII")


def decode_position(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 9, "position block")
    status, longitude, latitude = _POSITION.unpack_from(data, pos)
    # Degrees x 10^6, unsigned; the sign comes from the status bits. Negating the int first
    # keeps 0 from becoming -0.0.
    if longitude >= 0xFFFFFFFE:
        lon: float | Sentinel = SENTINEL_BY_RAW[longitude]
    else:
        lon = (-longitude if status & _WEST else longitude) / 1_000_000
    if latitude >= 0xFFFFFFFE:
        lat: float | Sentinel = SENTINEL_BY_RAW[latitude]
    else:
        lat = (-latitude if status & _SOUTH else latitude) / 1_000_000
    return Position(status=status, longitude_deg=lon, latitude_deg=lat), pos + 9


_DEGREES: Final = Quantity("degrees", 4, divisor=1_000_000)


def _unsigned_degrees(value: float | Sentinel, negative_bit: bool, what: str) -> int:
    if not isinstance(value, Sentinel) and (value < 0) != negative_bit and value != 0:
        raise ValueOutOfRange(f"position: {what} sign disagrees with the status byte")
    return _DEGREES.encode(value if isinstance(value, Sentinel) else abs(value))


def encode_position(block: Block) -> bytes:
    p = expect(block, Position)
    return _POSITION.pack(
        state_raw(p.status),
        _unsigned_degrees(p.longitude_deg, bool(p.status & _WEST), "longitude"),
        _unsigned_degrees(p.latitude_deg, bool(p.status & _SOUTH), "latitude"))


BLOCKS_2016: tuple[BlockCodec, ...] = (
    BlockCodec(0x01, Vehicle, decode_vehicle, encode_vehicle),
    BlockCodec(0x02, DriveMotors, decode_drive_motors, encode_drive_motors),
    BlockCodec(0x03, FuelCell, decode_fuel_cell, encode_fuel_cell),
    BlockCodec(0x04, Engine, decode_engine, encode_engine),
    BlockCodec(0x05, Position, decode_position, encode_position),
    BlockCodec(0x06, Extremes, decode_extremes, encode_extremes),
    BlockCodec(0x07, Alarm, decode_alarm, encode_alarm),
    BlockCodec(0x08, CellVoltages, decode_cell_voltages, encode_cell_voltages),
    BlockCodec(0x09, ProbeTemperatures, decode_probe_temperatures, encode_probe_temperatures),
)
