"""The BMS / VCU side of alarms: threshold rules run on every snapshot.

Which fault maps to which level is manufacturer-defined (§8.7); these thresholds are one
plausible OEM's choice and the fault scenarios' expected levels are derived from them.
"""

from __future__ import annotations

from typing import Final, cast

from gateway.protocol.model import Sentinel

from .chemistry import CELL_SPECS
from .spec import VehicleSpec
from .state import AlarmBit, IntReading, VehicleState

SOC_LOW_PCT: Final = 10.0
HIGH_TEMPERATURE_C: Final = 55.0
TEMPERATURE_DIFFERENCE_C: Final = 10.0
CELL_SPREAD_MV: Final = 200
INSULATION_WARNING_OHM_PER_V: Final = 500.0
INSULATION_FAULT_OHM_PER_V: Final = 100.0
MOTOR_HOT_C: Final = 120.0
CONTROLLER_HOT_C: Final = 85.0


def extremes(readings: list[IntReading]) -> tuple[int, int] | None:
    """(highest, lowest) real reading, None when there is none. ``max`` refuses a list holding
    a sentinel, which keeps the common all-numbers case in C."""
    all_numbers = cast("list[int]", readings)
    try:
        return max(all_numbers), min(all_numbers)
    except TypeError:
        numbers = [r for r in readings if not isinstance(r, Sentinel)]
        return (max(numbers), min(numbers)) if numbers else None
    except ValueError:
        return None


def evaluate_thresholds(spec: VehicleSpec, state: VehicleState) -> None:
    """Raise the threshold alarms of ``state`` into ``state.alarm`` (adds, never clears)."""
    alarm = state.alarm
    cell_spec = CELL_SPECS[spec.model.chemistry]
    if not isinstance(state.soc_pct, Sentinel) and state.soc_pct < SOC_LOW_PCT:
        alarm.raise_flag(AlarmBit.SOC_LOW, 1)
    cells = extremes(state.cell_voltages_mv)
    if cells is not None:
        highest, lowest = cells
        if highest > cell_spec.over_voltage_v * 1000:
            alarm.raise_flag(AlarmBit.CELL_OVER_VOLTAGE, 2)
        if lowest < cell_spec.under_voltage_v * 1000:
            alarm.raise_flag(AlarmBit.CELL_UNDER_VOLTAGE, 2)
        if highest - lowest >= CELL_SPREAD_MV:
            alarm.raise_flag(AlarmBit.CELL_CONSISTENCY, 1)
    probes = extremes(state.probe_temperatures_c)
    if probes is not None:
        if probes[0] >= HIGH_TEMPERATURE_C:
            alarm.raise_flag(AlarmBit.BATTERY_HIGH_TEMPERATURE, 2)
        if probes[0] - probes[1] >= TEMPERATURE_DIFFERENCE_C:
            alarm.raise_flag(AlarmBit.TEMPERATURE_DIFFERENCE, 1)
    if not isinstance(state.insulation_kohm, Sentinel) and not isinstance(
            state.total_voltage_v, Sentinel) and state.total_voltage_v > 0:
        ohm_per_volt = state.insulation_kohm * 1000.0 / state.total_voltage_v
        if ohm_per_volt < INSULATION_FAULT_OHM_PER_V:
            alarm.raise_flag(AlarmBit.INSULATION, 2)
        elif ohm_per_volt < INSULATION_WARNING_OHM_PER_V:
            alarm.raise_flag(AlarmBit.INSULATION, 1)
    for motor in state.motors:
        if not isinstance(motor.temperature_c, Sentinel) and motor.temperature_c >= MOTOR_HOT_C:
            alarm.raise_flag(AlarmBit.MOTOR_TEMPERATURE, 2)
        if not isinstance(motor.controller_temperature_c, Sentinel) and \
                motor.controller_temperature_c >= CONTROLLER_HOT_C:
            alarm.raise_flag(AlarmBit.MOTOR_CONTROLLER_TEMPERATURE, 1)
