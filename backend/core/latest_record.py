"""A vehicle's newest live record in full: what a live panel shows beyond the latest state
(voltage, current, insulation, cell and probe extremes, pedals, gear), with the names of the
values the vehicle reported as abnormal or invalid (PROTOCOL.md §8.0) instead of numbers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

_POSITION: Final = 0x0F
_BRAKING_FORCE: Final = 0x10
_DRIVING_FORCE: Final = 0x20
_INVALID_2025: Final = 0x80


@dataclass(frozen=True, slots=True)
class Gear:
    """The gear byte of the whole-vehicle block read out (PROTOCOL.md §8.1, §14.4)."""

    position: int | None  # 0 neutral, 1-12 gears, 13 reverse, 14 drive, 15 park; None: invalid
    driving_force: bool
    braking_force: bool


def decode_gear(byte: int, edition: int) -> Gear:
    """Bits 3-0 the position, bit 5 driving force, bit 4 braking force (§8.1); the 2025 edition
    marks an invalid gear with bit 7 (§14.4), which 2016 keeps reserved."""
    invalid = edition >= 2025 and bool(byte & _INVALID_2025)
    return Gear(position=None if invalid else byte & _POSITION,
                driving_force=bool(byte & _DRIVING_FORCE),
                braking_force=bool(byte & _BRAKING_FORCE))


@dataclass(frozen=True, slots=True)
class LatestRecord:
    """The vehicle's newest record that is not a reissue (docs/fleet-data.md, "Latest
    record"). A None value is absent or a sentinel; ``sentinels`` says which (column name ->
    "abnormal" / "invalid"; array items appear as ``column[index]``)."""

    vin: str
    collected_at: datetime
    received_at: datetime
    edition: int
    vehicle_state: int | None
    charging_state: int | None
    running_mode: int | None
    speed_kmh: float | None
    odometer_km: float | None
    total_voltage_v: float | None
    total_current_a: float | None
    soc_pct: int | None
    dcdc_state: int | None
    gear: Gear | None
    insulation_kohm: int | None
    accelerator_pct: int | None
    brake_pct: int | None
    max_cell_voltage_mv: int | None
    min_cell_voltage_mv: int | None
    max_temperature_c: int | None
    min_temperature_c: int | None
    cell_count: int | None
    probe_count: int | None
    alarm_level: int | None
    sentinels: Mapping[str, str]
