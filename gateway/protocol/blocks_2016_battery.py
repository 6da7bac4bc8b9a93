"""GB/T 32960.3-2016 energy-storage and fuel-cell blocks (§8.3, §8.6, §8.8).

Same rules as ``blocks_2016``: one precompiled unpack per fixed part and inline sentinel tests;
cell voltages use a struct per list length built at import, so a 96-cell pack is one C call
plus one byte search to rule out sentinels.
"""

from __future__ import annotations

import struct
from typing import Final, cast

from .errors import ValueOutOfRange
from .model import Block, Model, Sentinel
from .registry import expect
from .wire import (
    BYTE_STATE,
    BYTE_TEMPERATURE_C,
    SENTINEL_BY_RAW,
    Quantity,
    byte_temperatures,
    need,
    state_raw,
)

# A count of 254/255 reads as a sentinel (no list follows), so 0-253 covers every list length.
MAX_LIST_LENGTH: Final = 0xFD
_WORD_LISTS: Final = tuple(struct.Struct(f">{n}H") for n in range(MAX_LIST_LENGTH + 1))


def list_count(length: int, count_raw: int | None, what: str, width: int = 1) -> int:
    """The count before a list: its length, or the kept sentinel when no list was sent (§8.0).
    A length that would read back as a sentinel cannot be sent."""
    sentinel_base = 0xFE if width == 1 else 0xFFFE
    if count_raw is not None:
        if count_raw < sentinel_base or length:
            raise ValueOutOfRange(f"{what}: a sentinel count {count_raw} must have no items")
        return count_raw
    if length >= sentinel_base:
        raise ValueOutOfRange(f"{what}: {length} items do not fit in the count field")
    return length


# Shared with blocks_2016: one-byte temperatures, and the -1000 A current of §8.1/§8.2/§8.8.
TEMPERATURE_C: Final = Quantity("temperature_c", 1, raw_offset=40)
VOLTAGE_V: Final = Quantity("voltage_v", 2, divisor=10)
CURRENT_A: Final = Quantity("current_a", 2, divisor=10, raw_offset=10000)


def _temperature_bytes(values: tuple[int | Sentinel, ...]) -> bytes:
    return bytes(TEMPERATURE_C.encode(value) for value in values)


# ---- 0x03 fuel cell (§8.3: 8 bytes, P probe bytes, 10 bytes) -------------------------------------

class FuelCell(Block, frozen=True, tag="fuel_cell"):
    voltage_v: float | Sentinel
    current_a: float | Sentinel
    fuel_consumption_kg_per_100km: float | Sentinel
    probe_temperatures_c: tuple[int | Sentinel, ...]
    hydrogen_max_temperature_c: float | Sentinel
    hydrogen_max_temperature_probe_no: int | Sentinel
    hydrogen_max_concentration_mg_per_kg: int | Sentinel
    """Scale unconfirmed (§8.3): the raw value, read as mg/kg."""
    hydrogen_max_concentration_sensor_no: int | Sentinel
    hydrogen_max_pressure_mpa: float | Sentinel
    hydrogen_max_pressure_sensor_no: int | Sentinel
    dcdc_state: int | Sentinel
    """High-voltage DC/DC state: 0x01 working, 0x02 disconnected."""
    probe_count_raw: int | None = None
    """Set only when the probe-count WORD was a sentinel (then no temperatures follow)."""


_FUEL_HEAD: Final = struct.Struct(">4H")
_FUEL_TAIL: Final = struct.Struct(">HBHBHBB")
_FUEL_CURRENT_A: Final = Quantity("current_a", 2, divisor=10)
_FUEL_CONSUMPTION: Final = Quantity("fuel_consumption_kg_per_100km", 2, divisor=100)
_HYDROGEN_TEMPERATURE_C: Final = Quantity("hydrogen_max_temperature_c", 2, divisor=10,
                                          raw_offset=400)
_HYDROGEN_CONCENTRATION: Final = Quantity("hydrogen_max_concentration_mg_per_kg", 2)
_HYDROGEN_PRESSURE_MPA: Final = Quantity("hydrogen_max_pressure_mpa", 2, divisor=10)


def decode_fuel_cell(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 8, "fuel cell: head")
    voltage, current, consumption, probes = _FUEL_HEAD.unpack_from(data, pos)
    pos += 8
    probe_count_raw = None
    temperatures: tuple[int | Sentinel, ...] = ()
    if probes >= 0xFFFE:
        probe_count_raw = probes
    else:
        need(data, pos, probes, "fuel cell: probe temperatures")
        temperatures = byte_temperatures(data[pos:pos + probes])
        pos += probes
    need(data, pos, 10, "fuel cell: hydrogen system")
    (h_temperature, h_temperature_probe, concentration, concentration_sensor, pressure,
     pressure_sensor, dcdc) = _FUEL_TAIL.unpack_from(data, pos)
    return FuelCell(
        voltage_v=voltage / 10 if voltage < 0xFFFE else SENTINEL_BY_RAW[voltage],
        current_a=current / 10 if current < 0xFFFE else SENTINEL_BY_RAW[current],
        fuel_consumption_kg_per_100km=(consumption / 100 if consumption < 0xFFFE
                                       else SENTINEL_BY_RAW[consumption]),
        probe_temperatures_c=temperatures,
        # §8.3: 0.1 °C steps with a -40 °C offset.
        hydrogen_max_temperature_c=((h_temperature - 400) / 10 if h_temperature < 0xFFFE
                                    else SENTINEL_BY_RAW[h_temperature]),
        hydrogen_max_temperature_probe_no=BYTE_STATE[h_temperature_probe],
        hydrogen_max_concentration_mg_per_kg=(concentration if concentration < 0xFFFE
                                              else SENTINEL_BY_RAW[concentration]),
        hydrogen_max_concentration_sensor_no=BYTE_STATE[concentration_sensor],
        hydrogen_max_pressure_mpa=pressure / 10 if pressure < 0xFFFE else SENTINEL_BY_RAW[pressure],
        hydrogen_max_pressure_sensor_no=BYTE_STATE[pressure_sensor],
        dcdc_state=BYTE_STATE[dcdc],
        probe_count_raw=probe_count_raw,
    ), pos + 10


def encode_fuel_cell(block: Block) -> bytes:
    fc = expect(block, FuelCell)
    probes = list_count(len(fc.probe_temperatures_c), fc.probe_count_raw, "fuel cell probes", 2)
    return b"".join((
        _FUEL_HEAD.pack(VOLTAGE_V.encode(fc.voltage_v), _FUEL_CURRENT_A.encode(fc.current_a),
                        _FUEL_CONSUMPTION.encode(fc.fuel_consumption_kg_per_100km), probes),
        _temperature_bytes(fc.probe_temperatures_c),
        _FUEL_TAIL.pack(
            _HYDROGEN_TEMPERATURE_C.encode(fc.hydrogen_max_temperature_c),
            state_raw(fc.hydrogen_max_temperature_probe_no),
            _HYDROGEN_CONCENTRATION.encode(fc.hydrogen_max_concentration_mg_per_kg),
            state_raw(fc.hydrogen_max_concentration_sensor_no),
            _HYDROGEN_PRESSURE_MPA.encode(fc.hydrogen_max_pressure_mpa),
            state_raw(fc.hydrogen_max_pressure_sensor_no), state_raw(fc.dcdc_state)),
    ))


# ---- 0x06 extreme values (§8.6, 14 bytes) --------------------------------------------------------

class Extremes(Block, frozen=True, tag="extremes"):
    """Ids are one byte even in packs of more than 255 cells, so they need not match 0x08."""

    max_voltage_subsystem_no: int | Sentinel
    max_voltage_cell_no: int | Sentinel
    max_cell_voltage_mv: int | Sentinel
    min_voltage_subsystem_no: int | Sentinel
    min_voltage_cell_no: int | Sentinel
    min_cell_voltage_mv: int | Sentinel
    max_temperature_subsystem_no: int | Sentinel
    max_temperature_probe_no: int | Sentinel
    max_temperature_c: int | Sentinel
    min_temperature_subsystem_no: int | Sentinel
    min_temperature_probe_no: int | Sentinel
    min_temperature_c: int | Sentinel


_EXTREMES: Final = struct.Struct(">BBHBBH6B")
_CELL_MV: Final = Quantity("cell_voltage_mv", 2)


def decode_extremes(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 14, "extremes block")
    (max_v_sub, max_v_cell, max_v, min_v_sub, min_v_cell, min_v, max_t_sub, max_t_probe, max_t,
     min_t_sub, min_t_probe, min_t) = _EXTREMES.unpack_from(data, pos)
    return Extremes(
        max_voltage_subsystem_no=BYTE_STATE[max_v_sub], max_voltage_cell_no=BYTE_STATE[max_v_cell],
        max_cell_voltage_mv=max_v if max_v < 0xFFFE else SENTINEL_BY_RAW[max_v],
        min_voltage_subsystem_no=BYTE_STATE[min_v_sub], min_voltage_cell_no=BYTE_STATE[min_v_cell],
        min_cell_voltage_mv=min_v if min_v < 0xFFFE else SENTINEL_BY_RAW[min_v],
        max_temperature_subsystem_no=BYTE_STATE[max_t_sub],
        max_temperature_probe_no=BYTE_STATE[max_t_probe],
        max_temperature_c=BYTE_TEMPERATURE_C[max_t],
        min_temperature_subsystem_no=BYTE_STATE[min_t_sub],
        min_temperature_probe_no=BYTE_STATE[min_t_probe],
        min_temperature_c=BYTE_TEMPERATURE_C[min_t],
    ), pos + 14


def encode_extremes(block: Block) -> bytes:
    x = expect(block, Extremes)
    return _EXTREMES.pack(
        state_raw(x.max_voltage_subsystem_no), state_raw(x.max_voltage_cell_no),
        _CELL_MV.encode(x.max_cell_voltage_mv),
        state_raw(x.min_voltage_subsystem_no), state_raw(x.min_voltage_cell_no),
        _CELL_MV.encode(x.min_cell_voltage_mv),
        state_raw(x.max_temperature_subsystem_no), state_raw(x.max_temperature_probe_no),
        TEMPERATURE_C.encode(x.max_temperature_c),
        state_raw(x.min_temperature_subsystem_no), state_raw(x.min_temperature_probe_no),
        TEMPERATURE_C.encode(x.min_temperature_c))


# ---- 0x08 rechargeable-storage voltages (§8.8) ---------------------------------------------------

class CellVoltageSubsystem(Model, frozen=True):
    """One subsystem's slice of cells: a large pack may be split over several frames."""

    subsystem_no: int | Sentinel
    voltage_v: float | Sentinel
    current_a: float | Sentinel
    cell_total: int | Sentinel
    first_cell_index: int | Sentinel
    """1-based index of ``cell_voltages_mv[0]`` within the subsystem."""
    cell_voltages_mv: tuple[int | Sentinel, ...]
    cell_count_raw: int | None = None
    """Set only when the frame's cell-count byte was a sentinel (then no voltages follow)."""


class CellVoltages(Block, frozen=True, tag="cell_voltages"):
    subsystems: tuple[CellVoltageSubsystem, ...]
    subsystem_count_raw: int | None = None


_CELL_HEAD: Final = struct.Struct(">B4HB")
_CELL_INDEX: Final = Quantity("cell_index", 2)


def decode_cell_voltages(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 1, "cell voltages: subsystem count")
    count = data[pos]
    pos += 1
    if count >= 0xFE:
        return CellVoltages(subsystems=(), subsystem_count_raw=count), pos
    subsystems = []
    for _ in range(count):
        need(data, pos, 10, "cell voltages: subsystem header")
        number, voltage, current, total, first, cells = _CELL_HEAD.unpack_from(data, pos)
        pos += 10
        cells_raw = None
        voltages: tuple[int | Sentinel, ...] = ()
        if cells >= 0xFE:
            cells_raw = cells
        elif cells:
            need(data, pos, 2 * cells, "cell voltages: values")
            raw_voltages: tuple[int, ...] = _WORD_LISTS[cells].unpack_from(data, pos)
            voltages = raw_voltages
            # A sentinel WORD has the high byte 0xFF: one memchr over the high bytes is several
            # times cheaper than max() over the ints.
            if b"\xff" in data[pos:pos + 2 * cells:2]:
                voltages = tuple(v if v < 0xFFFE else SENTINEL_BY_RAW[v] for v in raw_voltages)
            pos += 2 * cells
        subsystems.append(CellVoltageSubsystem(
            subsystem_no=BYTE_STATE[number],
            voltage_v=voltage / 10 if voltage < 0xFFFE else SENTINEL_BY_RAW[voltage],
            # §8.8: the -1000 A offset of the vehicle current, not -3000 as one library has it.
            current_a=(current - 10000) / 10 if current < 0xFFFE else SENTINEL_BY_RAW[current],
            cell_total=total if total < 0xFFFE else SENTINEL_BY_RAW[total],
            first_cell_index=first if first < 0xFFFE else SENTINEL_BY_RAW[first],
            cell_voltages_mv=voltages, cell_count_raw=cells_raw))
    return CellVoltages(subsystems=tuple(subsystems)), pos


def _cell_voltage_bytes(values: tuple[int | Sentinel, ...]) -> bytes:
    words = _WORD_LISTS[len(values)]
    if Sentinel.ABNORMAL in values or Sentinel.INVALID in values:
        return words.pack(*(_CELL_MV.encode(v) for v in values))
    # Fast path for the usual all-number slice: one range check and one pack.
    numbers = cast(tuple[int, ...], values)
    if numbers and not 0 <= min(numbers) <= max(numbers) < 0xFFFE:
        raise ValueOutOfRange("cell voltages: a value is outside 0-65533 mV")
    try:
        return words.pack(*numbers)
    except struct.error as exc:
        raise ValueOutOfRange("cell voltages: values must be integers (mV)") from exc


def encode_cell_voltages(block: Block) -> bytes:
    cv = expect(block, CellVoltages)
    out = bytearray((list_count(len(cv.subsystems), cv.subsystem_count_raw, "subsystems"),))
    for sub in cv.subsystems:
        cells = list_count(len(sub.cell_voltages_mv), sub.cell_count_raw, "cells in frame")
        out += _CELL_HEAD.pack(
            state_raw(sub.subsystem_no), VOLTAGE_V.encode(sub.voltage_v),
            CURRENT_A.encode(sub.current_a), _CELL_INDEX.encode(sub.cell_total),
            _CELL_INDEX.encode(sub.first_cell_index), cells)
        out += _cell_voltage_bytes(sub.cell_voltages_mv)
    return bytes(out)
