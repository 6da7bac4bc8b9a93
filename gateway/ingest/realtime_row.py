"""One realtime/reissue data unit (§8, §14.4) → the column values of one ``realtime`` row.

Both editions land in the same columns: the block classes differ, the meaning does not. Measured
values that arrive as sentinels (§8.0) are stored as NULL with the sentinel's name in the
``sentinels`` column, so "the vehicle said invalid" never turns into a number and never gets
lost. Blocks without dedicated columns go to jsonb (``motors``, ``fuel_cell``, ``engine``,
``extras``), and the raw frame is stored beside the row anyway (``raw_frames``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from gateway.protocol.blocks_2016 import DriveMotors, Engine, Position, Vehicle
from gateway.protocol.blocks_2016_alarm import Alarm
from gateway.protocol.blocks_2016_battery import CellVoltages, Extremes, FuelCell
from gateway.protocol.blocks_2025 import DriveMotors2025, Engine2025, Position2025, Vehicle2025
from gateway.protocol.blocks_2025_alarm import Alarm2025
from gateway.protocol.blocks_2025_energy import (
    CellVoltages2025,
    Supercapacitor,
    SupercapacitorExtremes,
)
from gateway.protocol.blocks_2025_hydrogen import FuelCell2025, FuelCellStacks
from gateway.protocol.blocks_common import ProbeTemperatures, UserDefinedBlock
from gateway.protocol.model import Block, Sentinel
from gateway.protocol.realtime import RealtimeData

from .columns import EMPTY_REALTIME, builtins, flat_array, jsonb, value_or_sentinel

_VEHICLE_FIELDS: Final = (
    ("vehicle_state", "vehicle_state"), ("charging_state", "charging_state"),
    ("running_mode", "running_mode"), ("speed_kmh", "speed_kmh"),
    ("odometer_km", "odometer_km"), ("total_voltage_v", "total_voltage_v"),
    ("total_current_a", "total_current_a"), ("soc_pct", "soc_pct"),
    ("dcdc_state", "dcdc_state"), ("gear", "gear"), ("insulation_kohm", "insulation_kohm"))
_PEDAL_FIELDS: Final = (("accelerator_pct", "accelerator_pedal_pct"), ("brake_pct", "brake_pedal"))
_EXTREME_FIELDS: Final = (
    ("max_cell_voltage_mv", "max_cell_voltage_mv"), ("min_cell_voltage_mv", "min_cell_voltage_mv"),
    ("max_temperature_c", "max_temperature_c"), ("min_temperature_c", "min_temperature_c"))
_FAULT_LISTS: Final = ("battery", "motor", "engine", "other")
_NO_FAULT_CODES: Final = jsonb(dict.fromkeys(_FAULT_LISTS, ()))
_NO_RAW_COUNTS: Final = (None,) * len(_FAULT_LISTS)

# Blocks whose repetitions add up (a pack split over two blocks); any other block type is
# expected once, and a repetition is kept in ``extras["repeated_blocks"]``.
_ACCUMULATING: Final = frozenset({CellVoltages, CellVoltages2025, ProbeTemperatures,
                                  UserDefinedBlock})


class _Row:
    """Collects the pieces of one row while the blocks are visited once, in frame order.
    The jsonb pieces may hold decoded structs and sentinels as they are: ``jsonb`` encodes
    them exactly as ``builtins`` would spell them, without a copy first."""

    __slots__ = ("battery", "cells", "extras", "fuel_cell", "has_extremes", "probes", "seen",
                 "sentinels", "values")

    def __init__(self) -> None:
        self.values: dict[str, Any] = dict(EMPTY_REALTIME)
        self.sentinels: dict[str, str] = {}
        self.cells: list[tuple[Any, ...]] = []
        self.probes: list[tuple[Any, ...]] = []
        self.battery: dict[str, Any] = {}
        self.extras: dict[str, Any] = {}
        self.fuel_cell: dict[str, Any] = {}
        self.has_extremes = False
        self.seen: set[type[Block]] = set()

    def put(self, column: str, value: Any) -> None:
        value_or_sentinel(self.values, self.sentinels, column, value)

    def copy_fields(self, block: Block, fields: tuple[tuple[str, str], ...]) -> None:
        # ``value_or_sentinel`` inlined: this runs for ~20 fields of every frame.
        values = self.values
        for column, attribute in fields:
            value = getattr(block, attribute)
            if value.__class__ is Sentinel:
                self.sentinels[column] = value.value
                values[column] = None
            else:
                values[column] = value

    def count_raw(self, what: str, raw: int | None) -> None:
        """A list count that was a sentinel (§8.0): no list followed; keep the raw byte."""
        if raw is not None:
            self.extras.setdefault("counts_raw", {})[what] = raw


def _vehicle_2016(row: _Row, block: Block) -> None:
    row.copy_fields(block, _VEHICLE_FIELDS)
    row.copy_fields(block, _PEDAL_FIELDS)


def _vehicle_2025(row: _Row, block: Block) -> None:
    row.copy_fields(block, _VEHICLE_FIELDS)


def _motors(row: _Row, motors: DriveMotors | DriveMotors2025) -> None:
    row.values["motors"] = jsonb(motors.motors)
    row.count_raw("motors", motors.motor_count_raw)


def _engine(row: _Row, block: Block) -> None:
    row.values["engine"] = jsonb(block)


def _fuel_cell(row: _Row, block: Block) -> None:
    row.fuel_cell.update(builtins(block))


def _fuel_cell_stacks(row: _Row, stacks: FuelCellStacks) -> None:
    row.fuel_cell["stacks"] = builtins(stacks.stacks)
    row.count_raw("fuel_cell_stacks", stacks.stack_count_raw)


def _position(row: _Row, position: Position | Position2025) -> None:
    row.values["position_valid"] = position.fix_valid
    row.put("longitude_deg", position.longitude_deg)
    row.put("latitude_deg", position.latitude_deg)
    if isinstance(position, Position2025):
        row.put("coordinate_system", position.coordinate_system)


def _extremes(row: _Row, block: Block) -> None:
    # §8.6: the vehicle's own extremes win over values recomputed from partial arrays.
    row.copy_fields(block, _EXTREME_FIELDS)
    row.battery["extremes"] = block
    row.has_extremes = True


def _alarm(row: _Row, alarm: Alarm | Alarm2025) -> None:
    row.put("alarm_level", alarm.max_level)
    row.values["alarm_flags"] = alarm.general_flags
    # Attributes read directly (no per-list name building): this runs for every frame.
    lists = (alarm.battery_fault_codes, alarm.motor_fault_codes, alarm.engine_fault_codes,
             alarm.other_fault_codes)
    row.values["fault_codes"] = jsonb(dict(zip(_FAULT_LISTS, lists, strict=True))) \
        if any(lists) else _NO_FAULT_CODES
    raw_counts = (alarm.battery_fault_count_raw, alarm.motor_fault_count_raw,
                  alarm.engine_fault_count_raw, alarm.other_fault_count_raw)
    if raw_counts != _NO_RAW_COUNTS:
        for name, raw in zip(_FAULT_LISTS, raw_counts, strict=True):
            row.count_raw(f"{name}_fault_codes", raw)
    if isinstance(alarm, Alarm2025):
        row.values["alarm_levels"] = jsonb(builtins(alarm.alarm_levels))
        row.count_raw("alarm_levels", alarm.alarm_level_count_raw)


def _raw_count(raw: int | None) -> dict[str, int]:
    """A per-subsystem count that was a sentinel (§8.0), shown only when it was one."""
    return {} if raw is None else {"count_raw": raw}


def _cells_2016(row: _Row, voltages: CellVoltages) -> None:
    row.count_raw("voltage_subsystems", voltages.subsystem_count_raw)
    subsystems = row.battery.setdefault("voltage_subsystems", [])
    for sub in voltages.subsystems:
        row.cells.append(sub.cell_voltages_mv)
        subsystems.append({
            "subsystem_no": sub.subsystem_no, "voltage_v": sub.voltage_v,
            "current_a": sub.current_a, "cell_total": sub.cell_total,
            "first_cell_index": sub.first_cell_index,
            "cells": len(sub.cell_voltages_mv), **_raw_count(sub.cell_count_raw)})


def _cells_2025(row: _Row, voltages: CellVoltages2025) -> None:
    row.count_raw("packs", voltages.pack_count_raw)
    packs = row.battery.setdefault("packs", [])
    for pack in voltages.packs:
        row.cells.append(pack.cell_voltages_mv)
        packs.append({
            "pack_no": pack.pack_no, "voltage_v": pack.voltage_v,
            "current_a": pack.current_a, "cells": len(pack.cell_voltages_mv),
            **_raw_count(pack.cell_count_raw)})


def _probes(row: _Row, temperatures: ProbeTemperatures) -> None:
    row.count_raw("probe_subsystems", temperatures.subsystem_count_raw)
    subsystems = row.battery.setdefault("probe_subsystems", [])
    for sub in temperatures.subsystems:
        row.probes.append(sub.temperatures_c)
        subsystems.append({"subsystem_no": sub.subsystem_no,
                           "probes": len(sub.temperatures_c),
                           **_raw_count(sub.probe_count_raw)})


def _supercapacitor(row: _Row, block: Block) -> None:
    row.extras["supercapacitor"] = builtins(block)


def _supercapacitor_extremes(row: _Row, block: Block) -> None:
    row.extras["supercapacitor_extremes"] = builtins(block)


def _user_defined(row: _Row, user: UserDefinedBlock) -> None:
    row.extras.setdefault("user_defined", []).append(
        {"type": user.block_type, "data": bytes(user.data).hex()})


# Each handler takes its own block class; the table is the dispatch, hence ``Any`` here.
_HANDLERS: Final[dict[type[Block], Callable[[_Row, Any], None]]] = {
    Vehicle: _vehicle_2016, Vehicle2025: _vehicle_2025,
    DriveMotors: _motors, DriveMotors2025: _motors,
    Engine: _engine, Engine2025: _engine,
    FuelCell: _fuel_cell, FuelCell2025: _fuel_cell, FuelCellStacks: _fuel_cell_stacks,
    Position: _position, Position2025: _position,
    Extremes: _extremes,
    Alarm: _alarm, Alarm2025: _alarm,
    CellVoltages: _cells_2016, CellVoltages2025: _cells_2025,
    ProbeTemperatures: _probes,
    Supercapacitor: _supercapacitor, SupercapacitorExtremes: _supercapacitor_extremes,
    UserDefinedBlock: _user_defined,
}


def realtime_values(report: RealtimeData) -> dict[str, Any]:
    """Every block-derived column of the row (the frame-level ones are left to the caller)."""
    row = _Row()
    for block in report.blocks:
        kind = type(block)
        if kind in row.seen and kind not in _ACCUMULATING:
            row.extras.setdefault("repeated_blocks", []).append(builtins(block))
            continue
        row.seen.add(kind)
        _HANDLERS[kind](row, block)
    _finish_arrays(row)
    if report.undecoded is not None:
        row.values["undecoded"] = bytes(report.undecoded)
        row.extras["undecoded_reason"] = report.undecoded_reason
    if report.signature is not None:
        row.extras["signature_algorithm"] = report.signature.algorithm
    values = row.values
    if row.battery:
        values["battery"] = jsonb(row.battery)
    if row.fuel_cell:
        values["fuel_cell"] = jsonb(row.fuel_cell)
    if row.extras:
        values["extras"] = jsonb(row.extras)
    if row.sentinels:
        values["sentinels"] = jsonb(row.sentinels)
    return values


def _finish_arrays(row: _Row) -> None:
    values = row.values
    derive = not row.has_extremes
    cells, max_cell, min_cell = flat_array(row.cells, "cell_voltages_mv", row.sentinels,
                                           extremes=derive)
    probes, max_probe, min_probe = flat_array(row.probes, "probe_temperatures_c", row.sentinels,
                                              extremes=derive)
    values["cell_voltages_mv"] = cells
    values["probe_temperatures_c"] = probes
    if not derive:
        return
    # 2025 has no extremes block (§14.4) and some 2016 vehicles omit it: derive the extremes
    # from the arrays so queries need one column whatever the edition.
    values["max_cell_voltage_mv"], values["min_cell_voltage_mv"] = max_cell, min_cell
    values["max_temperature_c"], values["min_temperature_c"] = max_probe, min_probe
    if max_cell is not None or max_probe is not None:
        row.battery["extremes_source"] = "computed"
