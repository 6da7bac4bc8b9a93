"""Vehicle models the simulated fleet is built from, and how a vehicle is used."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from .chemistry import CELL_SPECS, Chemistry


class UsageType(enum.StrEnum):
    """Screening thresholds differ by use: operating > 60 days offline, private > 90 days."""

    PRIVATE = "private"
    OPERATING = "operating"


@dataclass(frozen=True, slots=True)
class VehicleModel:
    name: str
    chemistry: Chemistry
    series_cells: int
    capacity_ah: float
    probe_count: int
    motor_count: int
    mass_kg: float
    drag_area_m2: float
    """Drag coefficient times frontal area."""
    max_power_kw: float
    ac_charge_kw: float
    dc_charge_kw: float
    gear_ratio: float
    wheel_circumference_m: float
    cruise_speed_kmh: tuple[float, float]
    """Typical urban cruising speeds, lowest and highest."""
    operating_share: float
    """Fraction of this model's vehicles in commercial operation (taxis, fleets, buses)."""

    @property
    def nominal_voltage_v(self) -> float:
        return self.series_cells * CELL_SPECS[self.chemistry].nominal_v

    @property
    def capacity_kwh(self) -> float:
        return self.nominal_voltage_v * self.capacity_ah / 1000.0

    @property
    def pack_resistance_ohm(self) -> float:
        return self.series_cells * CELL_SPECS[self.chemistry].resistance_ohm


CATALOG: Final = (
    VehicleModel("city-mini", Chemistry.LFP, 96, 100.0, 16, 1, 1150.0, 0.55, 50.0, 3.3, 40.0,
                 8.5, 1.85, (30.0, 60.0), 0.1),
    VehicleModel("family-sedan", Chemistry.NCM, 96, 150.0, 24, 1, 1650.0, 0.62, 120.0, 7.0,
                 90.0, 9.7, 2.0, (35.0, 70.0), 0.3),
    VehicleModel("long-range-sedan", Chemistry.NCM, 108, 200.0, 32, 2, 1950.0, 0.58, 250.0,
                 11.0, 150.0, 9.1, 2.05, (40.0, 80.0), 0.1),
    VehicleModel("suv", Chemistry.LFP, 120, 230.0, 32, 2, 2250.0, 0.75, 230.0, 7.0, 120.0, 9.5,
                 2.2, (35.0, 75.0), 0.05),
    VehicleModel("ride-hailing", Chemistry.LFP, 104, 160.0, 16, 1, 1600.0, 0.62, 100.0, 7.0,
                 80.0, 9.7, 1.98, (30.0, 65.0), 0.9),
    VehicleModel("performance-800v", Chemistry.NCM, 192, 105.0, 48, 2, 2100.0, 0.55, 400.0,
                 11.0, 240.0, 8.8, 2.1, (40.0, 85.0), 0.02),
    VehicleModel("city-bus", Chemistry.LFP, 200, 280.0, 64, 1, 13000.0, 5.8, 200.0, 20.0,
                 150.0, 14.0, 3.2, (20.0, 45.0), 1.0),
)
