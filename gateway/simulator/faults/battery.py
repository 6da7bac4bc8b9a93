"""Battery and sensor fault scenarios: they alter what a vehicle reports, not where it goes."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any, Final

from gateway.protocol.model import Edition, Sentinel

from ..spec import VehicleSpec
from ..state import AlarmBit, IntReading, VehicleState
from .base import FaultKind, InService, iso, progress

THERMAL_FAULT_CODE: Final = 0x0001_0017
FREQUENT_ALARM_FAULT_CODE: Final = 0x0004_0001


def _shift(value: IntReading, delta: float) -> IntReading:
    return value if isinstance(value, Sentinel) else round(value + delta)


class CellInconsistency(InService):
    """A few weak cells drift away from the rest until the spread trips alarm bit 10."""

    kind = FaultKind.CELL_INCONSISTENCY

    def __init__(self, spec: VehicleSpec, onset: datetime, rng: random.Random,
                 ramp_s: float) -> None:
        super().__init__(spec, onset)
        self.ramp_s = ramp_s
        self.cells = tuple(sorted(rng.sample(range(spec.model.series_cells), rng.randint(1, 3))))
        # Stays above the under-voltage threshold of both chemistries even under load.
        self.final_drop_mv = rng.randint(250, 300)

    @property
    def expected_level(self) -> int:
        return 1

    def params(self) -> dict[str, Any]:
        return {"alarm_bits": [AlarmBit.CELL_CONSISTENCY.value],
                "cells": [c + 1 for c in self.cells], "final_drop_mv": self.final_drop_mv,
                "ramp_s": self.ramp_s}

    def apply(self, state: VehicleState, noise: random.Random) -> None:
        drop = self.final_drop_mv * progress(state.at, self.onset, self.ramp_s)
        for cell in self.cells:
            state.cell_voltages_mv[cell] = _shift(state.cell_voltages_mv[cell], -drop)


class ThermalRunaway(InService):
    """One cell heats up and sags, then goes into thermal runaway: level 3 (2016) or level 4
    with the 2025 thermal-event bit 23 (§14.4); the terminal dies ``event_s`` later."""

    kind = FaultKind.THERMAL_RUNAWAY

    def __init__(self, spec: VehicleSpec, onset: datetime, rng: random.Random, ramp_s: float,
                 event_s: float) -> None:
        super().__init__(spec, onset)
        self.ramp_s = ramp_s
        self.event_s = event_s
        self.cell = rng.randrange(spec.model.series_cells)
        self.probe = self.cell * spec.model.probe_count // spec.model.series_cells
        self.event_at = onset + timedelta(seconds=round(ramp_s))

    @property
    def expected_level(self) -> int:
        return self.top_level()

    def _bits(self) -> list[int]:
        bits = [AlarmBit.BATTERY_HIGH_TEMPERATURE.value]
        if self.spec.edition is Edition.V2025:
            bits.append(AlarmBit.THERMAL_EVENT.value)
        return bits

    def params(self) -> dict[str, Any]:
        return {"alarm_bits": self._bits(), "cell": self.cell + 1, "probe": self.probe + 1,
                "ramp_s": self.ramp_s, "event_at": iso(self.event_at), "event_s": self.event_s}

    @property
    def halts_at(self) -> datetime | None:
        return self.event_at

    @property
    def critical_at(self) -> datetime | None:
        return self.event_at

    @property
    def silent_from(self) -> datetime | None:
        return self.event_at + timedelta(seconds=round(self.event_s))

    def apply(self, state: VehicleState, noise: random.Random) -> None:
        if state.at < self.onset:
            return
        cells, probes = state.cell_voltages_mv, state.probe_temperatures_c
        if state.at < self.event_at:
            x = progress(state.at, self.onset, self.ramp_s) ** 2
            probes[self.probe] = _shift(probes[self.probe], 40.0 * x)
            cells[self.cell] = _shift(cells[self.cell], -150.0 * x)
            return
        burning = progress(state.at, self.event_at, self.event_s)
        probes[self.probe] = round(150.0 + 50.0 * burning + noise.uniform(-2.0, 2.0))
        for neighbour in (self.probe - 1, self.probe + 1):
            if 0 <= neighbour < len(probes):
                probes[neighbour] = _shift(probes[neighbour], 30.0 + 40.0 * burning)
        cells[self.cell] = noise.randint(0, 500)
        state.alarm.battery_fault_codes += (THERMAL_FAULT_CODE,)
        for bit in self._bits():
            state.alarm.raise_flag(bit, self.top_level())


class InsulationDecline(InService):
    """Insulation resistance falls from its healthy kΩ value to below 100 Ω/V (bit 11)."""

    kind = FaultKind.INSULATION_DECLINE

    def __init__(self, spec: VehicleSpec, onset: datetime, rng: random.Random,
                 ramp_s: float) -> None:
        super().__init__(spec, onset)
        self.ramp_s = ramp_s
        self.final_ohm_per_v = round(rng.uniform(20.0, 60.0), 1)

    @property
    def expected_level(self) -> int:
        return 2

    def params(self) -> dict[str, Any]:
        return {"alarm_bits": [AlarmBit.INSULATION.value], "ramp_s": self.ramp_s,
                "final_ohm_per_v": self.final_ohm_per_v}

    def apply(self, state: VehicleState, noise: random.Random) -> None:
        if isinstance(state.insulation_kohm, Sentinel) or state.at < self.onset:
            return
        final_kohm = self.final_ohm_per_v * self.spec.model.nominal_voltage_v / 1000.0
        x = progress(state.at, self.onset, self.ramp_s)
        # Geometric decay: the fall looks gradual on a log axis, as moisture ingress does.
        state.insulation_kohm = round(state.insulation_kohm * (final_kohm
                                                               / state.insulation_kohm) ** x)


class SocJump(InService):
    """The reported SOC jumps by 10-25 points a few times (BMS recalibration), bit 8."""

    kind = FaultKind.SOC_JUMP
    ALARM_S: Final = 60

    def __init__(self, spec: VehicleSpec, onset: datetime, rng: random.Random,
                 span_s: float) -> None:
        super().__init__(spec, onset)
        count = rng.randint(2, 4)
        times = sorted(rng.uniform(0.0, span_s) for _ in range(count - 1))
        sign = rng.choice((-1, 1))
        self.jumps: list[tuple[datetime, float]] = []
        for index, after in enumerate((0.0, *times)):
            # Alternate directions so the reported value stays within 0-100 %.
            self.jumps.append((onset + timedelta(seconds=round(after)),
                               sign * (-1) ** index * round(rng.uniform(10.0, 25.0), 1)))

    @property
    def expected_level(self) -> int:
        return 1

    def params(self) -> dict[str, Any]:
        return {"alarm_bits": [AlarmBit.SOC_JUMP.value],
                "jumps": [{"at": iso(at), "delta_pct": delta} for at, delta in self.jumps]}

    def apply(self, state: VehicleState, noise: random.Random) -> None:
        offset = sum(delta for at, delta in self.jumps if at <= state.at)
        if any(at <= state.at < at + timedelta(seconds=self.ALARM_S) for at, _ in self.jumps):
            state.alarm.raise_flag(AlarmBit.SOC_JUMP, 1)
        if offset and not isinstance(state.soc_pct, Sentinel):
            state.soc_pct = round(min(100.0, max(0.0, state.soc_pct + offset)), 1)
