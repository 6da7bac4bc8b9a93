"""Sensor scenarios: readings turning into the standard's sentinels, and alarms that flap."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any, Final

from gateway.protocol.model import Edition, Sentinel

from ..spec import VehicleSpec
from ..state import AlarmBit, VehicleState
from .base import FaultKind, InService
from .battery import FREQUENT_ALARM_FAULT_CODE

SENTINEL_FIELDS: Final = ("probe", "cell", "speed", "soc", "current", "motor_temperature",
                          "insulation", "odometer")
FLAPPING_BITS: Final = (AlarmBit.DCDC_STATE, AlarmBit.HV_INTERLOCK, AlarmBit.BRAKING_SYSTEM,
                        AlarmBit.DCDC_TEMPERATURE)


class SensorSentinel(InService):
    """Some readings come as "abnormal" (0xFE..) or "invalid" (0xFF..) for a while (§8.0).

    The 2016 insulation field defines no sentinels, so 2016 vehicles never get that one."""

    kind = FaultKind.SENSOR_SENTINEL

    def __init__(self, spec: VehicleSpec, onset: datetime, rng: random.Random,
                 window_s: float) -> None:
        super().__init__(spec, onset)
        allowed = [f for f in SENTINEL_FIELDS
                   if f != "insulation" or spec.edition is Edition.V2025]
        self.fields = tuple(sorted(rng.sample(allowed, rng.randint(1, 3))))
        self.sentinel = rng.choice((Sentinel.ABNORMAL, Sentinel.INVALID))
        self.window_s = window_s
        self.cell = rng.randrange(spec.model.series_cells)
        self.probe = rng.randrange(spec.model.probe_count)

    def params(self) -> dict[str, Any]:
        return {"alarm_bits": [], "fields": list(self.fields), "sentinel": self.sentinel.value,
                "window_s": self.window_s, "cell": self.cell + 1, "probe": self.probe + 1}

    def apply(self, state: VehicleState, noise: random.Random) -> None:
        if not self.onset <= state.at < self.onset + timedelta(seconds=round(self.window_s)):
            return
        value = self.sentinel
        for name in self.fields:
            if name == "probe":
                state.probe_temperatures_c[self.probe] = value
            elif name == "cell":
                state.cell_voltages_mv[self.cell] = value
            elif name == "speed":
                state.speed_kmh = value
            elif name == "soc":
                state.soc_pct = value
            elif name == "current":
                state.total_current_a = value
            elif name == "insulation":
                state.insulation_kohm = value
            elif name == "odometer":
                state.odometer_km = value
            else:
                for motor in state.motors:
                    motor.temperature_c = value


class FrequentAlarms(InService):
    """A level-1 alarm toggles on and off every few minutes (a loose connector)."""

    kind = FaultKind.FREQUENT_ALARMS

    def __init__(self, spec: VehicleSpec, onset: datetime, rng: random.Random) -> None:
        super().__init__(spec, onset)
        self.bit = rng.choice(FLAPPING_BITS)
        self.period_s = rng.randint(90, 300)
        self.on_s = rng.randint(20, self.period_s // 2)

    @property
    def expected_level(self) -> int:
        return 1

    def params(self) -> dict[str, Any]:
        return {"alarm_bits": [self.bit.value], "period_s": self.period_s, "on_s": self.on_s}

    def apply(self, state: VehicleState, noise: random.Random) -> None:
        elapsed = (state.at - self.onset).total_seconds()
        if elapsed >= 0 and elapsed % self.period_s < self.on_s:
            state.alarm.raise_flag(self.bit, 1)
            state.alarm.other_fault_codes += (FREQUENT_ALARM_FAULT_CODE + self.bit,)
