"""Hypothesis strategies for GB/T 32960-2025 realtime blocks and data units (§14.4).

Every model is built from raw wire integers with the standard's formulas (sentinels first, then
offset and scale), so it is exactly what the decoder makes of those integers: encoding it and
decoding the bytes gives it back, and nothing here calls the codec under test.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from hypothesis import strategies as st

from gateway.protocol import blocks_2025_hydrogen
from gateway.protocol.blocks_2025 import (
    INSULATION_HAS_SENTINELS,
    DriveMotor2025,
    DriveMotors2025,
    Engine2025,
    Position2025,
    Vehicle2025,
)
from gateway.protocol.blocks_2025_alarm import Alarm2025, AlarmBitLevel
from gateway.protocol.blocks_2025_energy import (
    CellVoltages2025,
    PackVoltages,
    Supercapacitor,
    SupercapacitorExtremes,
)
from gateway.protocol.blocks_2025_hydrogen import FuelCell2025, FuelCellStack, FuelCellStacks
from gateway.protocol.blocks_common import ProbeSubsystem, ProbeTemperatures, UserDefinedBlock
from gateway.protocol.model import Block, Hex, Sentinel
from gateway.protocol.realtime import RealtimeData
from gateway.protocol.signature import Signature
from gateway.protocol.wire import BEIJING

T = TypeVar("T")
_ABNORMAL = {1: 0xFE, 2: 0xFFFE, 4: 0xFFFFFFFE}
_TOP = {1: 0xFF, 2: 0xFFFF, 4: 0xFFFFFFFF}


def _raw(width: int) -> st.SearchStrategy[int]:
    """Any raw value, with the two sentinels and the edges drawn often."""
    top = _TOP[width]
    return st.one_of(st.integers(0, top), st.sampled_from((0, top - 2, top - 1, top)))


def _sentinel(raw: int, width: int) -> Sentinel | None:
    if raw == _ABNORMAL[width]:
        return Sentinel.ABNORMAL
    if raw == _TOP[width]:
        return Sentinel.INVALID
    return None


def integer(width: int, raw_offset: int = 0) -> st.SearchStrategy[int | Sentinel]:
    def build(raw: int) -> int | Sentinel:
        return _sentinel(raw, width) or raw - raw_offset
    return _raw(width).map(build)


def real(width: int, divisor: int, raw_offset: int = 0) -> st.SearchStrategy[float | Sentinel]:
    def build(raw: int) -> float | Sentinel:
        return _sentinel(raw, width) or (raw - raw_offset) / divisor
    return _raw(width).map(build)


byte = integer(1)
word = integer(2)
temperature = integer(1, 40)
current_a = real(2, 10, 30_000)


def _count(width: int, items: st.SearchStrategy[tuple[T, ...]]
           ) -> st.SearchStrategy[tuple[tuple[T, ...], int | None]]:
    """A list with a normal count, or no list and a sentinel count kept raw."""
    def normal(values: tuple[T, ...]) -> tuple[tuple[T, ...], int | None]:
        return values, None

    def sentinel(raw: int) -> tuple[tuple[T, ...], int | None]:
        return (), raw

    return st.one_of(items.map(normal),
                     st.sampled_from((_ABNORMAL[width], _TOP[width])).map(sentinel))


def _list(element: st.SearchStrategy[T], max_size: int) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(element, max_size=max_size).map(tuple)


@st.composite
def vehicle(draw: st.DrawFn) -> Vehicle2025:
    insulation = (integer(2) if INSULATION_HAS_SENTINELS
                  else st.integers(0, 0xFFFF))
    return Vehicle2025(
        vehicle_state=draw(byte), charging_state=draw(byte), running_mode=draw(byte),
        speed_kmh=draw(real(2, 10)), odometer_km=draw(real(4, 10)),
        total_voltage_v=draw(real(2, 10)), total_current_a=draw(current_a), soc_pct=draw(byte),
        dcdc_state=draw(byte), gear=draw(st.integers(0, 0xFF)), insulation_kohm=draw(insulation))


motor = st.builds(DriveMotor2025, motor_no=byte, state=byte, controller_temperature_c=temperature,
                  speed_rpm=integer(2, 32_000), torque_nm=real(4, 10, 200_000),
                  temperature_c=temperature)


@st.composite
def drive_motors(draw: st.DrawFn) -> DriveMotors2025:
    motors, raw = draw(_count(1, _list(motor, 4)))
    return DriveMotors2025(motors=motors, motor_count_raw=raw)


fuel_cell = st.builds(
    FuelCell2025,
    hydrogen_max_temperature_c=real(2, blocks_2025_hydrogen.HYDROGEN_TEMPERATURE_DIVISOR,
                                    blocks_2025_hydrogen.HYDROGEN_TEMPERATURE_RAW_OFFSET),
    hydrogen_max_temperature_probe_no=byte,
    hydrogen_max_concentration_pct=real(2, blocks_2025_hydrogen.HYDROGEN_CONCENTRATION_DIVISOR),
    hydrogen_max_concentration_sensor_no=byte,
    hydrogen_max_pressure_mpa=real(2, 10), hydrogen_max_pressure_sensor_no=byte,
    dcdc_state=byte, hydrogen_remaining_pct=byte, dcdc_controller_temperature_c=temperature)

engine = st.builds(Engine2025, crankshaft_speed_rpm=word)


@st.composite
def position(draw: st.DrawFn) -> Position2025:
    status = draw(st.integers(0, 0xFF))

    def coordinate(raw: int, negative: int) -> float | Sentinel:
        return _sentinel(raw, 4) or (-raw if negative else raw) / 1_000_000

    return Position2025(status=status, coordinate_system=draw(byte),
                        longitude_deg=coordinate(draw(_raw(4)), status & 0x04),
                        latitude_deg=coordinate(draw(_raw(4)), status & 0x02))


_codes = _count(1, _list(st.integers(0, 0xFFFFFFFF), 3))
_level = st.builds(AlarmBitLevel, bit=st.integers(0, 0xFF), level=byte)


@st.composite
def alarm(draw: st.DrawFn) -> Alarm2025:
    (battery, battery_raw), (motor_, motor_raw), (engine_, engine_raw), (other, other_raw) = (
        draw(_codes) for _ in range(4))
    levels, levels_raw = draw(_count(1, _list(_level, 4)))
    return Alarm2025(
        max_level=draw(byte), general_flags=draw(st.integers(0, 0xFFFFFFFF)),
        battery_fault_codes=battery, motor_fault_codes=motor_, engine_fault_codes=engine_,
        other_fault_codes=other, alarm_levels=levels, battery_fault_count_raw=battery_raw,
        motor_fault_count_raw=motor_raw, engine_fault_count_raw=engine_raw,
        other_fault_count_raw=other_raw, alarm_level_count_raw=levels_raw)


@st.composite
def _pack(draw: st.DrawFn) -> PackVoltages:
    cells, raw = draw(_count(2, _list(word, 12)))
    return PackVoltages(pack_no=draw(byte), voltage_v=draw(real(2, 10)),
                        current_a=draw(current_a), cell_voltages_mv=cells, cell_count_raw=raw)


@st.composite
def cell_voltages(draw: st.DrawFn) -> CellVoltages2025:
    packs, raw = draw(_count(1, _list(_pack(), 3)))
    return CellVoltages2025(packs=packs, pack_count_raw=raw)


@st.composite
def _probe_subsystem(draw: st.DrawFn) -> ProbeSubsystem:
    temperatures, raw = draw(_count(2, _list(temperature, 8)))
    return ProbeSubsystem(subsystem_no=draw(byte), temperatures_c=temperatures,
                          probe_count_raw=raw)


@st.composite
def probe_temperatures(draw: st.DrawFn) -> ProbeTemperatures:
    subsystems, raw = draw(_count(1, _list(_probe_subsystem(), 3)))
    return ProbeTemperatures(subsystems=subsystems, subsystem_count_raw=raw)


_stack_pressure = real(2, blocks_2025_hydrogen.STACK_PRESSURE_DIVISOR,
                       blocks_2025_hydrogen.STACK_PRESSURE_RAW_OFFSET)


@st.composite
def _stack(draw: st.DrawFn) -> FuelCellStack:
    temperatures, raw = draw(_count(2, _list(temperature, 6)))
    return FuelCellStack(
        stack_no=draw(byte), voltage_v=draw(real(2, 10)), current_a=draw(real(2, 10)),
        hydrogen_inlet_pressure_kpa=draw(_stack_pressure),
        air_inlet_pressure_kpa=draw(_stack_pressure), air_inlet_temperature_c=draw(temperature),
        coolant_temperatures_c=temperatures, coolant_probe_count_raw=raw)


@st.composite
def fuel_cell_stacks(draw: st.DrawFn) -> FuelCellStacks:
    stacks, raw = draw(_count(1, _list(_stack(), 3)))
    return FuelCellStacks(stacks=stacks, stack_count_raw=raw)


@st.composite
def supercapacitor(draw: st.DrawFn) -> Supercapacitor:
    cells, cells_raw = draw(_count(2, _list(word, 10)))
    temperatures, probes_raw = draw(_count(2, _list(temperature, 6)))
    return Supercapacitor(
        system_no=draw(byte), total_voltage_v=draw(real(2, 10)), total_current_a=draw(current_a),
        cell_voltages_mv=cells, temperatures_c=temperatures, cell_count_raw=cells_raw,
        probe_count_raw=probes_raw)


supercapacitor_extremes = st.builds(
    SupercapacitorExtremes,
    max_voltage_system_no=byte, max_voltage_cell_no=word, max_cell_voltage_mv=word,
    min_voltage_system_no=byte, min_voltage_cell_no=word, min_cell_voltage_mv=word,
    max_temperature_system_no=byte, max_temperature_probe_no=word, max_temperature_c=temperature,
    min_temperature_system_no=byte, min_temperature_probe_no=word, min_temperature_c=temperature)


def blocks_2025() -> st.SearchStrategy[Block]:
    """Any standard 2025 block (types 0x01-0x08, 0x30-0x32)."""
    return st.one_of(vehicle(), drive_motors(), fuel_cell, engine, position(), alarm(),
                     cell_voltages(), probe_temperatures(), fuel_cell_stacks(), supercapacitor(),
                     supercapacitor_extremes)


user_defined = st.builds(UserDefinedBlock, block_type=st.integers(0x80, 0xFE),
                         data=st.binary(max_size=12).map(Hex))

signature = st.one_of(
    # SM2 (32-byte R and S, production captures), RSA-2048 (all in R, S empty), anything else.
    st.builds(Signature, algorithm=st.just(0x01), r=st.binary(min_size=32, max_size=32).map(Hex),
              s=st.binary(min_size=32, max_size=32).map(Hex)),
    st.builds(Signature, algorithm=st.just(0x02), r=st.binary(min_size=256, max_size=256).map(Hex),
              s=st.just(Hex(b""))),
    st.builds(Signature, algorithm=st.integers(0, 0xFF), r=st.binary(max_size=40).map(Hex),
              s=st.binary(max_size=40).map(Hex)),
)


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


@st.composite
def realtime_2025(draw: st.DrawFn) -> RealtimeData:
    """A whole 2025 realtime/reissue data unit: blocks in any order, optional signature."""
    collected_at, collected_at_raw = draw(_collection_time())
    blocks = draw(st.lists(st.one_of(blocks_2025(), user_defined), max_size=5))
    return RealtimeData(collected_at=collected_at, collected_at_raw=collected_at_raw,
                        blocks=tuple(blocks), signature=draw(st.none() | signature))
