"""A simulated vehicle: its daily segments, its physics and its snapshots (``VehicleState``).

Physics runs on a fixed one-second grid keyed to the epoch, and snapshot noise is seeded from the
vehicle seed and the second, so the state at a given time does not depend on how often, or by
whom, the vehicle was sampled: same master seed, same frames.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import datetime
from typing import Final, cast

from gateway.protocol.model import Sentinel
from gateway.protocol.wire import BEIJING

from .alarms import evaluate_thresholds
from .chemistry import CELL_SPECS, open_circuit_voltage
from .faults.base import Fault
from .geo import random_spot
from .physics import (
    DECELERATION_MPS2,
    Dynamics,
    charge_step,
    drive_step,
    idle_step,
    thermal_step,
)
from .schedule import Segment, busy_segment, initial_segment, next_segment
from .spec import VehicleSpec
from .state import (
    GEAR_DRIVE,
    GEAR_PARK,
    ChargingStateCode,
    IntReading,
    Mode,
    MotorReading,
    MotorStateCode,
    Reading,
    VehicleState,
    VehicleStateCode,
)

STEP_S: Final = 1
_LOW_SOC_STOP_PCT: Final = 4.0
_NOISE_STRIDE: Final = 1_000_003
_DAY_S: Final = 86_400
_BEIJING_OFFSET_S: Final = 8 * 3600
_INITIAL_SOC: Final = {Mode.DRIVE: (30.0, 95.0), Mode.PARK: (30.0, 95.0),
                       Mode.AC_CHARGE: (25.0, 80.0), Mode.DC_CHARGE: (12.0, 40.0)}


class Vehicle:
    def __init__(self, spec: VehicleSpec, start: datetime, faults: Sequence[Fault] = ()) -> None:
        self.spec = spec
        self.faults = tuple(faults)
        self._rng = random.Random(spec.seed)
        rng, model = self._rng, spec.model
        self.cell_offsets_mv = [rng.gauss(0.0, 3.0) for _ in range(model.series_cells)]
        self.cell_resistance_factor = [rng.uniform(0.95, 1.05) for _ in range(model.series_cells)]
        self.probe_offsets_c = [rng.uniform(-1.5, 1.5) for _ in range(model.probe_count)]
        self.insulation_kohm = rng.uniform(2500.0, 8000.0)
        self.now_s = int(start.timestamp())
        self._busy_until_s = max((int(f.busy_until.timestamp()) for f in self.faults
                                  if f.busy_until), default=None)
        chosen = next((c for f in self.faults if (c := f.initial_segment(rng, start))), None)
        if chosen is None and self._busy_until_s is not None:
            chosen = busy_segment(rng, spec.routine, 100.0, model.cruise_speed_kmh), \
                random_spot(rng, spec.routine.city)
        self.segment, position = chosen or initial_segment(rng, spec.routine, start,
                                                           model.cruise_speed_kmh)
        soc = next((v for f in self.faults if (v := f.initial_soc_pct(rng)) is not None), None)
        ambient = self.ambient_c()
        warm = 20.0 if self.segment.mode is Mode.DRIVE else 0.0
        self.dyn = Dynamics(
            soc_pct=soc if soc is not None else rng.uniform(*_INITIAL_SOC[self.segment.mode]),
            odometer_km=round(rng.uniform(500.0, 120_000.0), 1), position=position,
            pack_temperature_c=ambient + rng.uniform(1.0, 6.0),
            motor_temperatures_c=[ambient + warm] * model.motor_count,
            controller_temperatures_c=[ambient + warm / 2] * model.motor_count,
            heading_deg=rng.uniform(0.0, 360.0))
        if self.segment.mode in (Mode.AC_CHARGE, Mode.DC_CHARGE):
            # A car plugged in at the start already draws its charging current.
            charge_step(model, self.dyn, self.segment.target_soc_pct,
                        self.segment.mode is Mode.DC_CHARGE, 0.0)
        self.halted = False
        self._halt_s = min((int(f.halts_at.timestamp()) for f in self.faults if f.halts_at),
                           default=None)

    @property
    def now(self) -> datetime:
        return datetime.fromtimestamp(self.now_s, BEIJING)

    @property
    def mode(self) -> Mode:
        return self.segment.mode

    @property
    def ignition_on(self) -> bool:
        return self.segment.mode is Mode.DRIVE or self.halted

    @property
    def active(self) -> bool:
        """The terminal reports: driving, charging, or stopped with the ignition on."""
        return self.ignition_on or self.segment.mode in (Mode.AC_CHARGE, Mode.DC_CHARGE)

    def ambient_c(self) -> float:
        hour = ((self.now_s + _BEIJING_OFFSET_S) % _DAY_S) / 3600.0
        daily = 6.0 * math.sin(2.0 * math.pi * (hour - 9.0) / 24.0)
        return self.spec.routine.city.mean_temperature_c + daily

    # ---- time evolution ---------------------------------------------------------------------

    def advance(self, to: datetime) -> None:
        target = int(to.timestamp())
        while self.now_s < target:
            if self.segment.mode is Mode.PARK and not self.halted:
                self._park_until(target)
            else:
                self._step()

    def _park_until(self, target: int) -> None:
        """A parked car only cools down: jump in one closed-form step."""
        end = target
        if self.segment.ends_at is not None:
            end = min(end, int(self.segment.ends_at.timestamp()))
        if self._halt_s is not None and self._halt_s > self.now_s:
            end = min(end, self._halt_s)
        end = max(end, self.now_s + STEP_S)
        idle_step(self.dyn)
        thermal_step(self.spec.model, self.dyn, self.ambient_c(), float(end - self.now_s))
        self.now_s = end
        self._after_step()

    def _step(self) -> None:
        model, dyn, segment = self.spec.model, self.dyn, self.segment
        finished = False
        if self.halted or segment.mode is Mode.PARK:
            idle_step(dyn)
        elif segment.mode is Mode.DRIVE:
            destination = segment.destination or dyn.position
            finished = drive_step(model, dyn, self._rng, destination=destination,
                                  cruise_kmh=segment.cruise_kmh, dt=STEP_S)
            finished = finished or dyn.soc_pct < _LOW_SOC_STOP_PCT
        else:
            fast = segment.mode is Mode.DC_CHARGE
            reached = charge_step(model, dyn, segment.target_soc_pct, fast, STEP_S)
            finished = fast and reached
        thermal_step(model, dyn, self.ambient_c(), STEP_S)
        self.now_s += STEP_S
        if finished:
            self._end_segment()
        else:
            self._after_step()

    def _after_step(self) -> None:
        if self._halt_s is not None and not self.halted and self.now_s >= self._halt_s:
            self.halted = True
            self.segment = Segment(Mode.PARK)
            return
        ends_at = self.segment.ends_at
        if ends_at is not None and self.now_s >= int(ends_at.timestamp()):
            self._end_segment()

    def _end_segment(self) -> None:
        finished, now = self.segment.mode, self.now
        self.dyn.charge_complete = False
        cruise = self.spec.model.cruise_speed_kmh
        override = next((s for f in self.faults if (s := f.next_segment(now, finished))), None)
        if override is None and self._busy_until_s is not None and self.now_s < self._busy_until_s:
            override = busy_segment(self._rng, self.spec.routine, self.dyn.soc_pct, cruise)
        self.segment = override or next_segment(
            self._rng, self.spec.routine, now, soc_pct=self.dyn.soc_pct,
            position=self.dyn.position, finished=finished, cruise=cruise)

    # ---- snapshots ----------------------------------------------------------------------------

    def observe(self) -> VehicleState:
        """The snapshot at the current second, with fault effects and threshold alarms."""
        model, dyn = self.spec.model, self.dyn
        noise = random.Random(self.spec.seed * _NOISE_STRIDE + self.now_s)
        cell_spec = CELL_SPECS[model.chemistry]
        ocv = open_circuit_voltage(cell_spec, dyn.soc_pct)
        ocv_mv = ocv * 1000.0 - 0.5
        drop_mv = dyn.current_a * cell_spec.resistance_ohm * 1000.0
        jitter = noise.random
        # Measurement noise of ±0.5 mV per cell and ±0.3 °C per probe.
        cells: list[IntReading] = [
            round(ocv_mv + offset - drop_mv * factor + jitter())
            for offset, factor in zip(self.cell_offsets_mv, self.cell_resistance_factor,
                                      strict=True)]
        pack_c = dyn.pack_temperature_c - 0.3
        probes: list[IntReading] = [round(pack_c + offset + 0.6 * jitter())
                                    for offset in self.probe_offsets_c]
        charging = self.segment.mode in (Mode.AC_CHARGE, Mode.DC_CHARGE)
        if dyn.charge_complete:
            charging_state = ChargingStateCode.COMPLETE
        elif charging:
            charging_state = ChargingStateCode.PARKED_CHARGING
        else:
            charging_state = ChargingStateCode.NOT_CHARGING
        driving = self.segment.mode is Mode.DRIVE and not self.halted
        max_power_w = model.max_power_kw * 1000.0
        state = VehicleState(
            vin=self.spec.vin, at=self.now, mode=self.segment.mode,
            vehicle_state=VehicleStateCode.ON if self.ignition_on else VehicleStateCode.OFF,
            charging_state=charging_state, speed_kmh=round(dyn.speed_kmh, 1),
            odometer_km=round(dyn.odometer_km, 1), total_voltage_v=0.0,
            total_current_a=round(dyn.current_a, 1), soc_pct=round(dyn.soc_pct, 1),
            dcdc_working=self.active, gear=GEAR_DRIVE if driving else GEAR_PARK,
            driving_force=driving and dyn.mechanical_power_w > 0,
            braking_force=driving and dyn.acceleration_mps2 < -0.3,
            insulation_kohm=round(self.insulation_kohm * (1.0 + noise.uniform(-0.01, 0.01))),
            accelerator_pct=round(min(100.0, max(0.0, 120.0 * dyn.mechanical_power_w
                                                  / max_power_w))) if driving else 0.0,
            brake_pct=round(min(100.0, max(0.0, -100.0 * dyn.acceleration_mps2
                                           / DECELERATION_MPS2))) if driving else 0.0,
            latitude_deg=round(dyn.position.latitude_deg, 6),
            longitude_deg=round(dyn.position.longitude_deg, 6), position_valid=True,
            cell_voltages_mv=cells, probe_temperatures_c=probes,
            motors=self._motors(ocv * model.series_cells))
        for fault in self.faults:
            fault.apply(state, noise)
        state.total_voltage_v = _pack_voltage(state)
        evaluate_thresholds(self.spec, state)
        return state

    def _motors(self, voltage_v: float) -> list[MotorReading]:
        model, dyn = self.spec.model, self.dyn
        count = model.motor_count
        # Two-motor cars drive mostly on the rear axle.
        shares = (1.0,) if count == 1 else (0.4, 0.6)
        rpm = dyn.speed_kmh / 3.6 / model.wheel_circumference_m * 60.0 * model.gear_ratio
        omega = rpm * 2.0 * math.pi / 60.0
        readings = []
        for index, share in enumerate(shares):
            power = dyn.mechanical_power_w * share
            if not self.ignition_on:
                motor_state = MotorStateCode.OFF
            elif abs(power) < 500.0:
                motor_state = MotorStateCode.READY
            else:
                motor_state = MotorStateCode.CONSUMING if power > 0 else MotorStateCode.GENERATING
            readings.append(MotorReading(
                number=index + 1, state=motor_state,
                controller_temperature_c=round(dyn.controller_temperatures_c[index]),
                speed_rpm=round(rpm), torque_nm=round(power / omega, 1) if omega > 1.0 else 0.0,
                temperature_c=round(dyn.motor_temperatures_c[index]),
                controller_voltage_v=round(voltage_v, 1),
                controller_current_a=round(dyn.current_a * share, 1)))
        return readings


def _pack_voltage(state: VehicleState) -> Reading:
    """Pack voltage = sum of the cells; a cell the BMS cannot read counts as the mean of the rest.
    A sentinel set by a scenario stays."""
    if isinstance(state.total_voltage_v, Sentinel):
        return state.total_voltage_v
    cells = state.cell_voltages_mv
    try:
        return round(sum(cast("list[int]", cells)) / 1000.0, 1)
    except TypeError:
        valid = [v for v in cells if not isinstance(v, Sentinel)]
    if not valid:
        return Sentinel.INVALID
    return round(sum(valid) * len(cells) / len(valid) / 1000.0, 1)
