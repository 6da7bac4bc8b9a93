"""Hypothesis strategies for GB/T 32960-2016 realtime blocks and data units (§8).

Two families, neither calling the codec under test:

* models (``blocks_2016()``, ``realtime_2016()``) built from raw wire integers with the standard's
  formulas (sentinels first, then offset and scale), so each is exactly what the decoder makes of
  those integers and always encodes;
* wire bytes (``block_bytes_2016()``, ``data_unit_bytes_2016()``): well-formed block bodies
  whose counts match their lists and whose values are arbitrary, sentinels included.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from hypothesis import strategies as st

from gateway.protocol.blocks_2016 import DriveMotor, DriveMotors, Engine, Position, Vehicle
from gateway.protocol.blocks_2016_alarm import Alarm
from gateway.protocol.blocks_2016_battery import (
    CellVoltages,
    CellVoltageSubsystem,
    Extremes,
    FuelCell,
)
from gateway.protocol.blocks_common import ProbeSubsystem, ProbeTemperatures, UserDefinedBlock
from gateway.protocol.model import Block, Hex, Sentinel
from gateway.protocol.realtime import UNKNOWN_BLOCK_TYPE, RealtimeData
from gateway.protocol.wire import BEIJING

T = TypeVar("T")
_ABNORMAL = {1: 0xFE, 2: 0xFFFE, 4: 0xFFFFFFFE}
_TOP = {1: 0xFF, 2: 0xFFFF, 4: 0xFFFFFFFF}


# ---- raw integers -> physical values, written from §8.0 and the field tables --------------------

def _raw(width: int) -> st.SearchStrategy[int]:
    """Any raw value, with zero, the sentinels and the last number drawn often."""
    top = _TOP[width]
    return st.one_of(st.integers(0, top), st.sampled_from((0, top - 2, top - 1, top)))


def _sentinel(raw: int, width: int) -> Sentinel | None:
    return {_ABNORMAL[width]: Sentinel.ABNORMAL, _TOP[width]: Sentinel.INVALID}.get(raw)


def integer(width: int, raw_offset: int = 0) -> st.SearchStrategy[int | Sentinel]:
    return _raw(width).map(lambda raw: _sentinel(raw, width) or raw - raw_offset)


def real(width: int, divisor: int, raw_offset: int = 0) -> st.SearchStrategy[float | Sentinel]:
    return _raw(width).map(lambda raw: _sentinel(raw, width) or (raw - raw_offset) / divisor)


byte = integer(1)
word = integer(2)
temperature = integer(1, 40)          # raw - 40 °C
current_a = real(2, 10, 10_000)       # raw x 0.1 - 1000 A (§8.1, §8.2, §8.8)


def _counted(width: int, items: st.SearchStrategy[T], max_size: int
             ) -> st.SearchStrategy[tuple[tuple[T, ...], int | None]]:
    """(list, None) with a normal count, or ((), raw) when the count is a sentinel (§8.0)."""
    listed = st.lists(items, max_size=max_size).map(lambda values: (tuple(values), None))
    no_list = st.sampled_from((_ABNORMAL[width], _TOP[width])).map(lambda raw: ((), raw))
    return st.one_of(listed, no_list)


# ---- models --------------------------------------------------------------------------------------

vehicle = st.builds(
    Vehicle, vehicle_state=byte, charging_state=byte, running_mode=byte,
    speed_kmh=real(2, 10), odometer_km=real(4, 10), total_voltage_v=real(2, 10),
    total_current_a=current_a, soc_pct=byte, dcdc_state=byte, gear=st.integers(0, 0xFF),
    insulation_kohm=st.integers(0, 0xFFFF), accelerator_pedal_pct=byte, brake_pedal=byte)

motor = st.builds(
    DriveMotor, motor_no=byte, state=byte, controller_temperature_c=temperature,
    speed_rpm=integer(2, 20_000), torque_nm=real(2, 10, 20_000), temperature_c=temperature,
    controller_voltage_v=real(2, 10), controller_current_a=current_a)


@st.composite
def drive_motors(draw: st.DrawFn) -> DriveMotors:
    motors, raw = draw(_counted(1, motor, 4))
    return DriveMotors(motors=motors, motor_count_raw=raw)


@st.composite
def fuel_cell(draw: st.DrawFn) -> FuelCell:
    temperatures, raw = draw(_counted(2, temperature, 8))
    return FuelCell(
        voltage_v=draw(real(2, 10)), current_a=draw(real(2, 10)),
        fuel_consumption_kg_per_100km=draw(real(2, 100)), probe_temperatures_c=temperatures,
        hydrogen_max_temperature_c=draw(real(2, 10, 400)),
        hydrogen_max_temperature_probe_no=draw(byte),
        hydrogen_max_concentration_mg_per_kg=draw(word),
        hydrogen_max_concentration_sensor_no=draw(byte),
        hydrogen_max_pressure_mpa=draw(real(2, 10)), hydrogen_max_pressure_sensor_no=draw(byte),
        dcdc_state=draw(byte), probe_count_raw=raw)


engine = st.builds(Engine, state=byte, crankshaft_speed_rpm=word,
                   fuel_consumption_l_per_100km=real(2, 100))


@st.composite
def position(draw: st.DrawFn) -> Position:
    status = draw(st.integers(0, 0xFF))  # reserved bits 3-7 included

    def degrees(raw: int, negative: int) -> float | Sentinel:
        return _sentinel(raw, 4) or (-raw if negative else raw) / 1_000_000

    return Position(status=status, longitude_deg=degrees(draw(_raw(4)), status & 0x04),
                    latitude_deg=degrees(draw(_raw(4)), status & 0x02))


extremes = st.builds(
    Extremes,
    max_voltage_subsystem_no=byte, max_voltage_cell_no=byte, max_cell_voltage_mv=word,
    min_voltage_subsystem_no=byte, min_voltage_cell_no=byte, min_cell_voltage_mv=word,
    max_temperature_subsystem_no=byte, max_temperature_probe_no=byte, max_temperature_c=temperature,
    min_temperature_subsystem_no=byte, min_temperature_probe_no=byte, min_temperature_c=temperature)

_fault_codes = _counted(1, st.integers(0, 0xFFFFFFFF), 3)


@st.composite
def alarm(draw: st.DrawFn) -> Alarm:
    (battery, battery_raw), (motor_, motor_raw), (engine_, engine_raw), (other, other_raw) = (
        draw(_fault_codes) for _ in range(4))
    return Alarm(
        max_level=draw(byte), general_flags=draw(st.integers(0, 0xFFFFFFFF)),
        battery_fault_codes=battery, motor_fault_codes=motor_, engine_fault_codes=engine_,
        other_fault_codes=other, battery_fault_count_raw=battery_raw,
        motor_fault_count_raw=motor_raw, engine_fault_count_raw=engine_raw,
        other_fault_count_raw=other_raw)


@st.composite
def _cell_subsystem(draw: st.DrawFn) -> CellVoltageSubsystem:
    cells, raw = draw(_counted(1, word, 16))
    return CellVoltageSubsystem(
        subsystem_no=draw(byte), voltage_v=draw(real(2, 10)), current_a=draw(current_a),
        cell_total=draw(word), first_cell_index=draw(word), cell_voltages_mv=cells,
        cell_count_raw=raw)


@st.composite
def cell_voltages(draw: st.DrawFn) -> CellVoltages:
    subsystems, raw = draw(_counted(1, _cell_subsystem(), 3))
    return CellVoltages(subsystems=subsystems, subsystem_count_raw=raw)


@st.composite
def _probe_subsystem(draw: st.DrawFn) -> ProbeSubsystem:
    temperatures, raw = draw(_counted(2, temperature, 8))
    return ProbeSubsystem(subsystem_no=draw(byte), temperatures_c=temperatures,
                          probe_count_raw=raw)


@st.composite
def probe_temperatures(draw: st.DrawFn) -> ProbeTemperatures:
    subsystems, raw = draw(_counted(1, _probe_subsystem(), 3))
    return ProbeTemperatures(subsystems=subsystems, subsystem_count_raw=raw)


def blocks_2016() -> st.SearchStrategy[Block]:
    """Any standard 2016 block (types 0x01-0x09)."""
    return st.one_of(vehicle, drive_motors(), fuel_cell(), engine, position(), extremes,
                     alarm(), cell_voltages(), probe_temperatures())


user_defined = st.builds(UserDefinedBlock, block_type=st.integers(0x80, 0xFE),
                         data=st.binary(max_size=12).map(Hex))


@st.composite
def _collection_time(draw: st.DrawFn) -> tuple[datetime | None, Hex | None]:
    """§6.1 time from six raw bytes; an impossible date is kept raw, as the decoder does."""
    year, month, day, hour, minute, second = raw = draw(st.one_of(
        st.tuples(st.integers(0, 99), st.integers(1, 12), st.integers(1, 28),
                  st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)),
        st.tuples(*(st.integers(0, 0xFF) for _ in range(6)))))
    try:
        return datetime(2000 + year, month, day, hour, minute, second, tzinfo=BEIJING), None
    except ValueError:
        return None, Hex(bytes(raw))


# Types with no 2016 codec and outside the user-defined range: decoding stops there (§8).
_unknown_tail = st.builds(lambda type_id, rest: Hex(bytes((type_id,)) + rest),
                          st.sampled_from((0x0A, 0x2F, 0x30, 0x7F, 0xFF)), st.binary(max_size=8))


@st.composite
def realtime_2016(draw: st.DrawFn) -> RealtimeData:
    """A whole 2016 realtime/reissue data unit: any subset of blocks in any order (repeats and
    user-defined blocks included), sometimes ending in an unknown type kept raw."""
    collected_at, collected_at_raw = draw(_collection_time())
    blocks = draw(st.lists(st.one_of(blocks_2016(), user_defined), max_size=6))
    undecoded = draw(st.none() | _unknown_tail)
    return RealtimeData(collected_at=collected_at, collected_at_raw=collected_at_raw,
                        blocks=tuple(blocks), undecoded=undecoded,
                        undecoded_reason=UNKNOWN_BLOCK_TYPE if undecoded is not None else None)


# ---- wire bytes ----------------------------------------------------------------------------------

_any_byte = st.one_of(st.integers(0, 0xFF), st.sampled_from((0x00, 0xFE, 0xFF)))


def _random(size: int) -> st.SearchStrategy[bytes]:
    """``size`` arbitrary bytes, biased towards the bytes sentinels are made of."""
    return st.lists(_any_byte, min_size=size, max_size=size).map(bytes)


@st.composite
def _counted_bytes(draw: st.DrawFn, width: int, item_size: int, max_items: int,
                   item: st.SearchStrategy[bytes] | None = None) -> bytes:
    """A big-endian count then that many items, or a sentinel count and nothing after it."""
    count = draw(st.one_of(st.integers(0, max_items),
                           st.sampled_from((_ABNORMAL[width], _TOP[width]))))
    if count >= _ABNORMAL[width]:
        return count.to_bytes(width, "big")
    element = item if item is not None else _random(item_size)
    return count.to_bytes(width, "big") + b"".join(draw(element) for _ in range(count))


@st.composite
def _fuel_cell_bytes(draw: st.DrawFn) -> bytes:
    return draw(_random(6)) + draw(_counted_bytes(2, 1, 8)) + draw(_random(10))


@st.composite
def _cell_subsystem_bytes(draw: st.DrawFn) -> bytes:
    # no, voltage, current, cell total, first index (9 bytes), then count BYTE + WORDs.
    return draw(_random(9)) + draw(_counted_bytes(1, 2, 16))


@st.composite
def _probe_subsystem_bytes(draw: st.DrawFn) -> bytes:
    return draw(_random(1)) + draw(_counted_bytes(2, 1, 8))


@st.composite
def _alarm_bytes(draw: st.DrawFn) -> bytes:
    return draw(_random(5)) + b"".join(draw(_counted_bytes(1, 4, 3)) for _ in range(4))


def block_bytes_2016() -> st.SearchStrategy[bytes]:
    """One standard 2016 block on the wire: type byte and a well-formed body (§8.1-§8.9)."""
    bodies = {
        0x01: _random(20),
        0x02: _counted_bytes(1, 12, 4),
        0x03: _fuel_cell_bytes(),
        0x04: _random(5),
        0x05: _random(9),
        0x06: _random(14),
        0x07: _alarm_bytes(),
        0x08: _counted_bytes(1, 0, 3, _cell_subsystem_bytes()),
        0x09: _counted_bytes(1, 0, 3, _probe_subsystem_bytes()),
    }
    return st.one_of(*(st.tuples(st.just(bytes((type_id,))), body).map(b"".join)
                       for type_id, body in bodies.items()))


@st.composite
def data_unit_bytes_2016(draw: st.DrawFn) -> bytes:
    """A valid collection time and any sequence of standard 2016 blocks."""
    time = bytes((draw(st.integers(0, 99)), draw(st.integers(1, 12)), draw(st.integers(1, 28)),
                  draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59))))
    return time + b"".join(draw(st.lists(block_bytes_2016(), max_size=6)))
