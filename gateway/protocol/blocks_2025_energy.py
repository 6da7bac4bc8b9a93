"""2025 energy-storage blocks (§14.4): power-battery voltages (0x07, was 0x08 in 2016),
super-capacitor (0x31) and super-capacitor extremes (0x32).

Cell voltages are WORD × 0.001 V, so they are kept as integer millivolts: no float per cell,
one ``struct`` unpack per array and a ``max()`` check for sentinels.
"""

from __future__ import annotations

import struct

from .blocks_2025_values import (
    BYTE,
    PACK_CURRENT_RAW_OFFSET,
    TEMPERATURE_RAW_OFFSET,
    WORD,
    count_or_raw,
    decode_temperatures,
    decode_words,
    encode_count,
    encode_temperatures,
    encode_words,
    number,
    scaled,
    to_raw,
)
from .model import Block, Model, Sentinel
from .registry import expect
from .wire import BYTE_STATE, BYTE_TEMPERATURE_C, need

_PACK_HEAD = struct.Struct(">B3H")        # pack no, voltage, current, unit count
_CAPACITOR_HEAD = struct.Struct(">B3H")   # system no, voltage, current, cell count
_WORD = struct.Struct(">H")
_EXTREMES = struct.Struct(">BHHBHHBHBBHB")  # (sys, cell, mV) × 2, (sys, probe, temp) × 2


class PackVoltages(Model, frozen=True):
    """One power-battery pack; values are per minimum parallel unit and no first-index /
    frame-count fields exist any more (§14.4)."""

    pack_no: int | Sentinel
    voltage_v: float | Sentinel
    current_a: float | Sentinel
    cell_voltages_mv: tuple[int | Sentinel, ...]
    cell_count_raw: int | None = None
    """Set only when the unit-count WORD was a sentinel (then no voltages follow, §8.0)."""


class CellVoltages2025(Block, frozen=True, tag="cell_voltages_2025"):
    packs: tuple[PackVoltages, ...]
    pack_count_raw: int | None = None


def decode_cell_voltages(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, 1, "2025 cell voltages: pack count")
    count, count_raw = count_or_raw(data[pos], BYTE)
    pos += 1
    packs = []
    for _ in range(count):
        need(data, pos, _PACK_HEAD.size, "2025 cell voltages: pack header")
        pack_no, voltage, current, cells = _PACK_HEAD.unpack_from(data, pos)
        cells, cells_raw = count_or_raw(cells, WORD)
        voltages, pos = decode_words(data, pos + _PACK_HEAD.size, cells,
                                     "2025 cell voltages: values")
        packs.append(PackVoltages(
            pack_no=BYTE_STATE[pack_no], voltage_v=scaled(voltage, WORD, 10),
            current_a=scaled(current, WORD, 10, PACK_CURRENT_RAW_OFFSET),
            cell_voltages_mv=voltages, cell_count_raw=cells_raw))
    return CellVoltages2025(packs=tuple(packs), pack_count_raw=count_raw), pos


def encode_cell_voltages(block: Block) -> bytes:
    voltages = expect(block, CellVoltages2025)
    out = bytearray((encode_count(len(voltages.packs), voltages.pack_count_raw, BYTE, "packs"),))
    for pack in voltages.packs:
        out += _PACK_HEAD.pack(
            to_raw(pack.pack_no, BYTE, "pack_no"), to_raw(pack.voltage_v, WORD, "voltage_v", 10),
            to_raw(pack.current_a, WORD, "current_a", 10, PACK_CURRENT_RAW_OFFSET),
            encode_count(len(pack.cell_voltages_mv), pack.cell_count_raw, WORD,
                         "cell_voltages_mv"))
        out += encode_words(pack.cell_voltages_mv, "cell_voltages_mv")
    return bytes(out)


class Supercapacitor(Block, frozen=True, tag="supercapacitor"):
    """0x31: one super-capacitor system, no leading count (§14.4)."""

    system_no: int | Sentinel
    total_voltage_v: float | Sentinel
    total_current_a: float | Sentinel
    cell_voltages_mv: tuple[int | Sentinel, ...]
    temperatures_c: tuple[int | Sentinel, ...]
    cell_count_raw: int | None = None
    probe_count_raw: int | None = None
    """Each ``*_count_raw`` is set only when that count WORD was a sentinel (no list, §8.0)."""


def decode_supercapacitor(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, _CAPACITOR_HEAD.size, "supercapacitor: header")
    system, voltage, current, cells = _CAPACITOR_HEAD.unpack_from(data, pos)
    cells, cells_raw = count_or_raw(cells, WORD)
    voltages, pos = decode_words(data, pos + _CAPACITOR_HEAD.size, cells,
                                 "supercapacitor: cell voltages")
    need(data, pos, 2, "supercapacitor: probe count")
    probes, probes_raw = count_or_raw(_WORD.unpack_from(data, pos)[0], WORD)
    temperatures, pos = decode_temperatures(data, pos + 2, probes, "supercapacitor: temperatures")
    return Supercapacitor(
        system_no=BYTE_STATE[system], total_voltage_v=scaled(voltage, WORD, 10),
        total_current_a=scaled(current, WORD, 10, PACK_CURRENT_RAW_OFFSET),
        cell_voltages_mv=voltages, temperatures_c=temperatures, cell_count_raw=cells_raw,
        probe_count_raw=probes_raw), pos


def encode_supercapacitor(block: Block) -> bytes:
    cap = expect(block, Supercapacitor)
    return b"".join((
        _CAPACITOR_HEAD.pack(
            to_raw(cap.system_no, BYTE, "system_no"),
            to_raw(cap.total_voltage_v, WORD, "total_voltage_v", 10),
            to_raw(cap.total_current_a, WORD, "total_current_a", 10, PACK_CURRENT_RAW_OFFSET),
            encode_count(len(cap.cell_voltages_mv), cap.cell_count_raw, WORD,
                         "cell_voltages_mv")),
        encode_words(cap.cell_voltages_mv, "cell_voltages_mv"),
        _WORD.pack(encode_count(len(cap.temperatures_c), cap.probe_count_raw, WORD,
                                "temperatures_c")),
        encode_temperatures(cap.temperatures_c, "temperatures_c")))


class SupercapacitorExtremes(Block, frozen=True, tag="supercapacitor_extremes"):
    """0x32, 18 bytes: where the highest/lowest cell voltage and temperature are (§14.4).
    Cell and probe numbers are WORDs here, unlike the 2016 extremes block."""

    max_voltage_system_no: int | Sentinel
    max_voltage_cell_no: int | Sentinel
    max_cell_voltage_mv: int | Sentinel
    min_voltage_system_no: int | Sentinel
    min_voltage_cell_no: int | Sentinel
    min_cell_voltage_mv: int | Sentinel
    max_temperature_system_no: int | Sentinel
    max_temperature_probe_no: int | Sentinel
    max_temperature_c: int | Sentinel
    min_temperature_system_no: int | Sentinel
    min_temperature_probe_no: int | Sentinel
    min_temperature_c: int | Sentinel


def decode_supercapacitor_extremes(data: bytes, pos: int) -> tuple[Block, int]:
    need(data, pos, _EXTREMES.size, "supercapacitor extremes")
    (vmax_sys, vmax_cell, vmax, vmin_sys, vmin_cell, vmin, tmax_sys, tmax_probe, tmax, tmin_sys,
     tmin_probe, tmin) = _EXTREMES.unpack_from(data, pos)
    return SupercapacitorExtremes(
        max_voltage_system_no=BYTE_STATE[vmax_sys], max_voltage_cell_no=number(vmax_cell, WORD),
        max_cell_voltage_mv=number(vmax, WORD),
        min_voltage_system_no=BYTE_STATE[vmin_sys], min_voltage_cell_no=number(vmin_cell, WORD),
        min_cell_voltage_mv=number(vmin, WORD),
        max_temperature_system_no=BYTE_STATE[tmax_sys],
        max_temperature_probe_no=number(tmax_probe, WORD),
        max_temperature_c=BYTE_TEMPERATURE_C[tmax],
        min_temperature_system_no=BYTE_STATE[tmin_sys],
        min_temperature_probe_no=number(tmin_probe, WORD),
        min_temperature_c=BYTE_TEMPERATURE_C[tmin]), pos + _EXTREMES.size


def encode_supercapacitor_extremes(block: Block) -> bytes:
    e = expect(block, SupercapacitorExtremes)
    return _EXTREMES.pack(
        to_raw(e.max_voltage_system_no, BYTE, "max_voltage_system_no"),
        to_raw(e.max_voltage_cell_no, WORD, "max_voltage_cell_no"),
        to_raw(e.max_cell_voltage_mv, WORD, "max_cell_voltage_mv"),
        to_raw(e.min_voltage_system_no, BYTE, "min_voltage_system_no"),
        to_raw(e.min_voltage_cell_no, WORD, "min_voltage_cell_no"),
        to_raw(e.min_cell_voltage_mv, WORD, "min_cell_voltage_mv"),
        to_raw(e.max_temperature_system_no, BYTE, "max_temperature_system_no"),
        to_raw(e.max_temperature_probe_no, WORD, "max_temperature_probe_no"),
        to_raw(e.max_temperature_c, BYTE, "max_temperature_c", 1, TEMPERATURE_RAW_OFFSET),
        to_raw(e.min_temperature_system_no, BYTE, "min_temperature_system_no"),
        to_raw(e.min_temperature_probe_no, WORD, "min_temperature_probe_no"),
        to_raw(e.min_temperature_c, BYTE, "min_temperature_c", 1, TEMPERATURE_RAW_OFFSET))
