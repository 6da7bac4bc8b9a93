"""What the signal model hands to the frame layer: one snapshot of a vehicle per tick.

Values are physical with their unit in the name, edition-independent; the frame builder maps them
onto the 2016 or 2025 blocks. A reading the vehicle cannot give is a ``Sentinel`` (§8.0).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from gateway.protocol.model import Sentinel

Reading = float | Sentinel
IntReading = int | Sentinel


class Mode(enum.StrEnum):
    """Daily state machine of a simulated vehicle."""

    DRIVE = "drive"
    PARK = "park"
    AC_CHARGE = "ac_charge"
    DC_CHARGE = "dc_charge"


class VehicleStateCode(enum.IntEnum):
    """Whole-vehicle block "vehicle state" byte (§8.1)."""

    ON = 0x01
    OFF = 0x02


class ChargingStateCode(enum.IntEnum):
    """Whole-vehicle block "charging state" byte (§8.1)."""

    PARKED_CHARGING = 0x01
    DRIVING_CHARGING = 0x02
    NOT_CHARGING = 0x03
    COMPLETE = 0x04


class MotorStateCode(enum.IntEnum):
    """Drive-motor state byte (§8.2)."""

    CONSUMING = 0x01
    GENERATING = 0x02
    OFF = 0x03
    READY = 0x04


# Gear byte low nibble (§8.1).
GEAR_NEUTRAL: Final = 0x0
GEAR_DRIVE: Final = 0xE
GEAR_PARK: Final = 0xF


class AlarmBit(enum.IntEnum):
    """General alarm flag bit numbers (§8.7; 19+ are 2025 only, §14.4)."""

    TEMPERATURE_DIFFERENCE = 0
    BATTERY_HIGH_TEMPERATURE = 1
    PACK_OVER_VOLTAGE = 2
    PACK_UNDER_VOLTAGE = 3
    SOC_LOW = 4
    CELL_OVER_VOLTAGE = 5
    CELL_UNDER_VOLTAGE = 6
    SOC_HIGH = 7
    SOC_JUMP = 8
    STORAGE_MISMATCH = 9
    CELL_CONSISTENCY = 10
    INSULATION = 11
    DCDC_TEMPERATURE = 12
    BRAKING_SYSTEM = 13
    DCDC_STATE = 14
    MOTOR_CONTROLLER_TEMPERATURE = 15
    HV_INTERLOCK = 16
    MOTOR_TEMPERATURE = 17
    OVER_CHARGE = 18
    THERMAL_EVENT = 23


LAST_2016_ALARM_BIT: Final = 18
MAX_LEVEL_2016: Final = 3
MAX_LEVEL_2025: Final = 4


@dataclass(slots=True)
class AlarmView:
    """The alarm block content: highest level, general flags and fault-code lists (§8.7)."""

    max_level: int = 0
    flags: int = 0
    battery_fault_codes: tuple[int, ...] = ()
    motor_fault_codes: tuple[int, ...] = ()
    engine_fault_codes: tuple[int, ...] = ()
    other_fault_codes: tuple[int, ...] = ()
    flag_levels: dict[int, int] = field(default_factory=dict)
    """Level per raised flag bit (2025 carries these as N5 pairs, §14.4)."""

    def raise_flag(self, bit: int, level: int) -> None:
        self.flags |= 1 << bit
        self.flag_levels[bit] = max(level, self.flag_levels.get(bit, 0))
        self.max_level = max(self.max_level, level)

    def has(self, bit: int) -> bool:
        return bool(self.flags & (1 << bit))


@dataclass(slots=True)
class MotorReading:
    number: int
    state: MotorStateCode
    controller_temperature_c: Reading
    speed_rpm: Reading
    torque_nm: Reading
    temperature_c: Reading
    controller_voltage_v: Reading
    controller_current_a: Reading


@dataclass(slots=True)
class VehicleState:
    """One tick of one vehicle. Built by the signal model, then possibly altered by fault
    scenarios before it is handed out; treat it as read-only after that."""

    vin: str
    at: datetime
    mode: Mode
    vehicle_state: VehicleStateCode
    charging_state: ChargingStateCode
    speed_kmh: Reading
    odometer_km: Reading
    total_voltage_v: Reading
    total_current_a: Reading
    soc_pct: Reading
    dcdc_working: bool
    gear: int
    driving_force: bool
    braking_force: bool
    insulation_kohm: Reading
    accelerator_pct: Reading
    brake_pct: Reading
    latitude_deg: float
    longitude_deg: float
    position_valid: bool
    cell_voltages_mv: list[IntReading]
    """Cell voltages in millivolts: the wire resolution (§8.8), and integers are cheap."""
    probe_temperatures_c: list[IntReading]
    """Whole degrees, the wire resolution (§8.9)."""
    motors: list[MotorReading]
    alarm: AlarmView = field(default_factory=AlarmView)
