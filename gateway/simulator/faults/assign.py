"""Choosing which vehicles get which fault, and when, so every scenario fits in the run.

Onsets and ramps scale with the run's horizon: a 10-minute test sees the whole story of a
thermal-runaway precursor, a day-long demo sees it unfold slowly.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

from ..geo import random_spot
from ..schedule import Routine
from ..spec import VehicleSpec
from .base import Fault, FaultKind
from .battery import CellInconsistency, InsulationDecline, SocJump, ThermalRunaway
from .connectivity import LongOffline, MalformedFrames, ParkingCluster
from .sensors import FrequentAlarms, SensorSentinel

MIN_CLUSTER: Final = 3
MAX_CLUSTER: Final = 8
_MIN_RAMP_S: Final = 60.0


def _ramp(horizon_s: float, share: float, longest_s: float) -> float:
    return float(round(max(_MIN_RAMP_S, min(longest_s, share * horizon_s))))


def _onset(rng: random.Random, start: datetime, horizon_s: float, low: float,
           high: float) -> datetime:
    # Never before the first minute: the vehicle logs in and reports normally first.
    return start + timedelta(seconds=round(max(60.0, rng.uniform(low, high) * horizon_s)))


def _make(kind: FaultKind, spec: VehicleSpec, rng: random.Random, start: datetime,
          horizon_s: float) -> Fault:
    onset = _onset(rng, start, horizon_s, 0.05, 0.4)
    if kind is FaultKind.CELL_INCONSISTENCY:
        return CellInconsistency(spec, onset, rng, _ramp(horizon_s, 0.4, 7200.0))
    if kind is FaultKind.THERMAL_RUNAWAY:
        return ThermalRunaway(spec, onset, rng, _ramp(horizon_s, 0.3, 1200.0),
                              _ramp(horizon_s, 0.15, 600.0))
    if kind is FaultKind.INSULATION_DECLINE:
        return InsulationDecline(spec, onset, rng, _ramp(horizon_s, 0.4, 7200.0))
    if kind is FaultKind.SOC_JUMP:
        return SocJump(spec, onset, rng, 0.4 * horizon_s)
    if kind is FaultKind.SENSOR_SENTINEL:
        return SensorSentinel(spec, onset, rng, _ramp(horizon_s, 0.3, 1800.0))
    if kind is FaultKind.FREQUENT_ALARMS:
        return FrequentAlarms(spec, onset, rng)
    if kind is FaultKind.LONG_OFFLINE:
        return LongOffline(spec, _onset(rng, start, horizon_s, 0.2, 0.5))
    if kind is FaultKind.MALFORMED_FRAMES:
        return MalformedFrames(spec, onset, rng, 0.5 * horizon_s)
    raise ValueError(f"{kind} is assigned per cluster, not per vehicle")


def _clusters(rng: random.Random, specs: list[VehicleSpec],
              start: datetime) -> tuple[list[VehicleSpec], list[Fault]]:
    """Members move to the lot's city: their routine (and weather) becomes the lot's."""
    moved: list[VehicleSpec] = []
    faults: list[Fault] = []
    index = 0
    number = 1
    while index < len(specs):
        size = min(len(specs) - index, rng.randint(MIN_CLUSTER, MAX_CLUSTER))
        if len(specs) - index - size < MIN_CLUSTER:
            size = len(specs) - index
        lot_city = specs[index].routine.city
        lot = random_spot(rng, lot_city, 0.6)
        for spec in specs[index:index + size]:
            routine = Routine(spec.routine.usage, lot_city, lot, lot)
            member = dataclasses.replace(spec, routine=routine)
            moved.append(member)
            faults.append(ParkingCluster(member, start, f"cluster-{number}", lot, size))
        index += size
        number += 1
    return moved, faults


def assign_faults(rng: random.Random, specs: Sequence[VehicleSpec], start: datetime, *,
                  horizon_s: float, fraction: float,
                  kinds: Sequence[FaultKind]) -> tuple[list[VehicleSpec], list[Fault]]:
    """Return the fleet's specs (cluster members relocated) and the faults, one per faulty
    vehicle, spread evenly over ``kinds``."""
    chosen = round(min(1.0, max(0.0, fraction)) * len(specs))
    if chosen == 0 or not kinds:
        return list(specs), []
    picked = sorted(rng.sample(range(len(specs)), chosen))
    rng.shuffle(picked)
    cluster_count = 0
    if FaultKind.PARKING_CLUSTER in kinds:
        cluster_count = min(chosen, max(MIN_CLUSTER, chosen // len(kinds)))
    others = [k for k in kinds if k is not FaultKind.PARKING_CLUSTER]
    if not others:
        cluster_count = chosen
    result = list(specs)
    moved, faults = _clusters(rng, [specs[i] for i in picked[:cluster_count]], start)
    for position, spec in zip(picked[:cluster_count], moved, strict=True):
        result[position] = spec
    for order, position in enumerate(picked[cluster_count:]):
        faults.append(_make(others[order % len(others)], specs[position], rng, start, horizon_s))
    return result, faults
