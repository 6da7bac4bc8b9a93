"""2025 hydrogen blocks (§14.4): fuel-cell engine and on-board hydrogen system (0x03, 12 bytes,
a different layout from 2016's 0x03) and fuel-cell stacks (0x30, new).

Scales that only one source gives are named constants below, marked [unconfirmed]: change the
constant and both directions follow. The fields they scale are always floats, so a changed
divisor does not change the JSON types, and raw integers still come back exactly on encoding.
"""

from __future__ import annotations

import struct
from typing import Final

from .blocks_2025_values import (
    BYTE,
    TEMPERATURE_RAW_OFFSET,
    WORD,
    count_or_raw,
    decode_temperatures,
    encode_count,
    encode_temperatures,
    scaled,
    to_raw,
)
from .model import Block, Model, Sentinel
from .registry import expect
from .wire import BYTE_STATE, BYTE_TEMPERATURE_C, need

# [unconfirmed] hydrogen-system max temperature: °C = (raw − 40) / 1. 2016 used 0.1 °C steps
# (divisor 10, raw offset 400); §14.4 reads 1 °C steps for 2025.
HYDROGEN_TEMPERATURE_DIVISOR: Final = 1
HYDROGEN_TEMPERATURE_RAW_OFFSET: Final = 40

# [unconfirmed] max hydrogen concentration: % by volume = raw / 10 000 (one raw step = 0.0001 %
# = 1 ppm). 2016 read the same WORD as 1 mg/kg steps.
HYDROGEN_CONCENTRATION_DIVISOR: Final = 10_000

HYDROGEN_PRESSURE_DIVISOR: Final = 10   # §14.4: max hydrogen pressure × 0.1 MPa

# [unconfirmed] stack hydrogen/air inlet pressures: kPa = raw × 0.1 − 100 (unit also unconfirmed;
# the −100 offset reads naturally as a gauge pressure in kPa).
STACK_PRESSURE_DIVISOR: Final = 10
STACK_PRESSURE_RAW_OFFSET: Final = 1_000

_FUEL_CELL = struct.Struct(">HBHBHB3B")
_STACK_HEAD = struct.Struct(">B4HBH")  # no, voltage, current, H2 p, air p, air temp, probes


class FuelCell2025(Block, frozen=True, tag="fuel_cell_2025"):
    """0x03: hydrogen-system maxima, DC/DC state, remaining hydrogen (§14.4)."""

    hydrogen_max_temperature_c: float | Sentinel
    hydrogen_max_temperature_probe_no: int | Sentinel
    hydrogen_max_concentration_pct: float | Sentinel
    hydrogen_max_concentration_sensor_no: int | Sentinel
    hydrogen_max_pressure_mpa: float | Sentinel
    hydrogen_max_pressure_sensor_no: int | Sentinel
    dcdc_state: int | Sentinel
    """High-voltage DC/DC: 0x01 working, 0x02 disconnected."""
    hydrogen_remaining_pct: int | Sentinel
    dcdc_controller_temperature_c: int | Sentinel


def decode_fuel_cell(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, _FUEL_CELL.size, "2025 fuel cell block")
    (temperature, probe, concentration, concentration_sensor, pressure, pressure_sensor, dcdc,
     remaining, dcdc_temperature) = _FUEL_CELL.unpack_from(data, pos)
    return FuelCell2025(
        hydrogen_max_temperature_c=scaled(temperature, WORD, HYDROGEN_TEMPERATURE_DIVISOR,
                                          HYDROGEN_TEMPERATURE_RAW_OFFSET),
        hydrogen_max_temperature_probe_no=BYTE_STATE[probe],
        hydrogen_max_concentration_pct=scaled(concentration, WORD,
                                              HYDROGEN_CONCENTRATION_DIVISOR),
        hydrogen_max_concentration_sensor_no=BYTE_STATE[concentration_sensor],
        hydrogen_max_pressure_mpa=scaled(pressure, WORD, HYDROGEN_PRESSURE_DIVISOR),
        hydrogen_max_pressure_sensor_no=BYTE_STATE[pressure_sensor],
        dcdc_state=BYTE_STATE[dcdc], hydrogen_remaining_pct=BYTE_STATE[remaining],
        dcdc_controller_temperature_c=BYTE_TEMPERATURE_C[dcdc_temperature],
    ), pos + _FUEL_CELL.size


def encode_fuel_cell(block: Block) -> bytes:
    f = expect(block, FuelCell2025)
    return _FUEL_CELL.pack(
        to_raw(f.hydrogen_max_temperature_c, WORD, "hydrogen_max_temperature_c",
               HYDROGEN_TEMPERATURE_DIVISOR, HYDROGEN_TEMPERATURE_RAW_OFFSET),
        to_raw(f.hydrogen_max_temperature_probe_no, BYTE, "hydrogen_max_temperature_probe_no"),
        to_raw(f.hydrogen_max_concentration_pct, WORD, "hydrogen_max_concentration_pct",
               HYDROGEN_CONCENTRATION_DIVISOR),
        to_raw(f.hydrogen_max_concentration_sensor_no, BYTE,
               "hydrogen_max_concentration_sensor_no"),
        to_raw(f.hydrogen_max_pressure_mpa, WORD, "hydrogen_max_pressure_mpa",
               HYDROGEN_PRESSURE_DIVISOR),
        to_raw(f.hydrogen_max_pressure_sensor_no, BYTE, "hydrogen_max_pressure_sensor_no"),
        to_raw(f.dcdc_state, BYTE, "dcdc_state"),
        to_raw(f.hydrogen_remaining_pct, BYTE, "hydrogen_remaining_pct"),
        to_raw(f.dcdc_controller_temperature_c, BYTE, "dcdc_controller_temperature_c", 1,
               TEMPERATURE_RAW_OFFSET))


class FuelCellStack(Model, frozen=True):
    stack_no: int | Sentinel
    voltage_v: float | Sentinel
    current_a: float | Sentinel
    hydrogen_inlet_pressure_kpa: float | Sentinel
    air_inlet_pressure_kpa: float | Sentinel
    air_inlet_temperature_c: int | Sentinel
    coolant_temperatures_c: tuple[int | Sentinel, ...]
    coolant_probe_count_raw: int | None = None
    """Set only when the probe-count WORD was a sentinel (then no temperatures follow, §8.0)."""


class FuelCellStacks(Block, frozen=True, tag="fuel_cell_stacks"):
    """0x30: count BYTE, then one variable-length record per stack (§14.4)."""

    stacks: tuple[FuelCellStack, ...]
    stack_count_raw: int | None = None


def decode_fuel_cell_stacks(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 1, "fuel cell stacks: count")
    count, count_raw = count_or_raw(data[pos], BYTE)
    pos += 1
    stacks = []
    for _ in range(count):
        need(data, pos, _STACK_HEAD.size, "fuel cell stacks: stack header")
        number, voltage, current, hydrogen, air, air_temperature, probes = \
            _STACK_HEAD.unpack_from(data, pos)
        probes, probes_raw = count_or_raw(probes, WORD)
        temperatures, pos = decode_temperatures(data, pos + _STACK_HEAD.size, probes,
                                                "fuel cell stacks: coolant temperatures")
        stacks.append(FuelCellStack(
            stack_no=BYTE_STATE[number], voltage_v=scaled(voltage, WORD, 10),
            current_a=scaled(current, WORD, 10),
            hydrogen_inlet_pressure_kpa=scaled(hydrogen, WORD, STACK_PRESSURE_DIVISOR,
                                               STACK_PRESSURE_RAW_OFFSET),
            air_inlet_pressure_kpa=scaled(air, WORD, STACK_PRESSURE_DIVISOR,
                                          STACK_PRESSURE_RAW_OFFSET),
            air_inlet_temperature_c=BYTE_TEMPERATURE_C[air_temperature],
            coolant_temperatures_c=temperatures, coolant_probe_count_raw=probes_raw))
    return FuelCellStacks(stacks=tuple(stacks), stack_count_raw=count_raw), pos


def encode_fuel_cell_stacks(block: Block) -> bytes:
    stacks = expect(block, FuelCellStacks)
    out = bytearray((encode_count(len(stacks.stacks), stacks.stack_count_raw, BYTE, "stacks"),))
    for s in stacks.stacks:
        out += _STACK_HEAD.pack(
            to_raw(s.stack_no, BYTE, "stack_no"), to_raw(s.voltage_v, WORD, "voltage_v", 10),
            to_raw(s.current_a, WORD, "current_a", 10),
            to_raw(s.hydrogen_inlet_pressure_kpa, WORD, "hydrogen_inlet_pressure_kpa",
                   STACK_PRESSURE_DIVISOR, STACK_PRESSURE_RAW_OFFSET),
            to_raw(s.air_inlet_pressure_kpa, WORD, "air_inlet_pressure_kpa",
                   STACK_PRESSURE_DIVISOR, STACK_PRESSURE_RAW_OFFSET),
            to_raw(s.air_inlet_temperature_c, BYTE, "air_inlet_temperature_c", 1,
                   TEMPERATURE_RAW_OFFSET),
            encode_count(len(s.coolant_temperatures_c), s.coolant_probe_count_raw, WORD,
                         "coolant_temperatures_c"))
        out += encode_temperatures(s.coolant_temperatures_c, "coolant_temperatures_c")
    return bytes(out)
