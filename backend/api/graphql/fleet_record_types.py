"""The vehicle's newest live record in full (``Vehicle.latestRecord``, docs/fleet-data.md):
every scalar signal of the record, the gear byte read out, and the sentinels the vehicle sent
in place of values."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from backend.core.latest_record import Gear, LatestRecord


@strawberry.type(name="Gear")
class GearNode:
    position: int | None = strawberry.field(
        description="0 neutral, 1-12 gears, 13 reverse, 14 drive, 15 park; null: the vehicle "
                    "marked the gear invalid (2025 edition).")
    driving_force: bool
    braking_force: bool


@strawberry.type(name="LatestRecord")
class LatestRecordNode:
    """Null values are absent from the frame or were sentinels: ``sentinels`` names those
    (column -> "abnormal" / "invalid"; array items as ``column[index]``)."""

    collected_at: datetime
    received_at: datetime
    edition: int
    vehicle_state: int | None
    charging_state: int | None
    running_mode: int | None
    speed_kmh: float | None
    odometer_km: float | None
    total_voltage_v: float | None
    total_current_a: float | None = strawberry.field(
        description="Negative while charging or recuperating.")
    soc_pct: int | None
    dcdc_state: int | None
    gear: GearNode | None
    insulation_kohm: int | None
    accelerator_pct: int | None
    brake_pct: int | None = strawberry.field(
        description="0-100 % travel; 101: brake on, travel unknown (2016 edition).")
    max_cell_voltage_mv: int | None
    min_cell_voltage_mv: int | None
    max_temperature_c: int | None
    min_temperature_c: int | None
    cell_count: int | None
    probe_count: int | None
    alarm_level: int | None
    sentinels: JSON


def _gear_node(gear: Gear | None) -> GearNode | None:
    if gear is None:
        return None
    return GearNode(position=gear.position, driving_force=gear.driving_force,
                    braking_force=gear.braking_force)


def record_node(record: LatestRecord) -> LatestRecordNode:
    return LatestRecordNode(
        collected_at=record.collected_at, received_at=record.received_at,
        edition=record.edition, vehicle_state=record.vehicle_state,
        charging_state=record.charging_state, running_mode=record.running_mode,
        speed_kmh=record.speed_kmh, odometer_km=record.odometer_km,
        total_voltage_v=record.total_voltage_v, total_current_a=record.total_current_a,
        soc_pct=record.soc_pct, dcdc_state=record.dcdc_state, gear=_gear_node(record.gear),
        insulation_kohm=record.insulation_kohm, accelerator_pct=record.accelerator_pct,
        brake_pct=record.brake_pct, max_cell_voltage_mv=record.max_cell_voltage_mv,
        min_cell_voltage_mv=record.min_cell_voltage_mv,
        max_temperature_c=record.max_temperature_c,
        min_temperature_c=record.min_temperature_c, cell_count=record.cell_count,
        probe_count=record.probe_count, alarm_level=record.alarm_level,
        sentinels=cast(JSON, dict(record.sentinels)))
