"""Cell chemistries: open-circuit-voltage curves and the limits a BMS alarms on.

Curves are coarse public-knowledge shapes (NCM rises steadily, LFP has its long flat plateau),
good enough for a pack voltage that moves plausibly with SOC; they are not a cell model.
"""

from __future__ import annotations

import bisect
import enum
from dataclasses import dataclass
from typing import Final


class Chemistry(enum.StrEnum):
    NCM = "NCM"
    LFP = "LFP"


@dataclass(frozen=True, slots=True)
class CellSpec:
    """Per-cell electrical figures of one chemistry."""

    soc_points: tuple[float, ...]
    ocv_points_v: tuple[float, ...]
    nominal_v: float
    resistance_ohm: float
    over_voltage_v: float
    """BMS "single cell over-voltage" threshold (alarm bit 5)."""
    under_voltage_v: float
    """BMS "single cell under-voltage" threshold (alarm bit 6)."""


CELL_SPECS: Final[dict[Chemistry, CellSpec]] = {
    Chemistry.NCM: CellSpec(
        soc_points=(0, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100),
        ocv_points_v=(3.30, 3.45, 3.52, 3.59, 3.63, 3.67, 3.72, 3.79, 3.87, 3.95, 4.05, 4.17),
        nominal_v=3.65, resistance_ohm=0.0012, over_voltage_v=4.25, under_voltage_v=2.80),
    Chemistry.LFP: CellSpec(
        soc_points=(0, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100),
        ocv_points_v=(2.90, 3.10, 3.20, 3.25, 3.27, 3.28, 3.29, 3.30, 3.31, 3.32, 3.34, 3.40),
        nominal_v=3.20, resistance_ohm=0.0010, over_voltage_v=3.65, under_voltage_v=2.50),
}


def open_circuit_voltage(spec: CellSpec, soc_pct: float) -> float:
    """Piecewise-linear OCV at a SOC clamped to 0-100 %."""
    soc = min(100.0, max(0.0, soc_pct))
    index = bisect.bisect_right(spec.soc_points, soc)
    if index >= len(spec.soc_points):
        return spec.ocv_points_v[-1]
    low_soc, high_soc = spec.soc_points[index - 1], spec.soc_points[index]
    low_v, high_v = spec.ocv_points_v[index - 1], spec.ocv_points_v[index]
    return low_v + (high_v - low_v) * (soc - low_soc) / (high_soc - low_soc)
