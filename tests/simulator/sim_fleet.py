"""Small fleets for the simulator tests."""

from __future__ import annotations

from datetime import datetime

from gateway.protocol.wire import BEIJING
from gateway.simulator.faults.base import FaultKind
from gateway.simulator.fleet import Fleet, FleetConfig, build_fleet
from gateway.simulator.vehicle import Vehicle

START = datetime(2025, 6, 2, 9, 0, tzinfo=BEIJING)
START_S = int(START.timestamp())


def fleet(vehicles: int = 10, seed: int = 1, *, fraction_2025: float = 0.5,
          fault_fraction: float = 0.0, kinds: tuple[FaultKind, ...] = tuple(FaultKind),
          horizon_s: float = 1800.0) -> Fleet:
    return build_fleet(FleetConfig(start=START, vehicles=vehicles, seed=seed,
                                   fraction_2025=fraction_2025, fault_fraction=fault_fraction,
                                   fault_kinds=kinds, horizon_s=horizon_s))


def active_vehicles(count: int, seed: int = 1, fraction_2025: float = 0.5) -> list[Vehicle]:
    """Vehicles that drive or charge at the start, so they report at once."""
    chosen = [v for v in fleet(4 * count + 8, seed, fraction_2025=fraction_2025).vehicles
              if v.active]
    assert len(chosen) >= count, "seed gives too few active vehicles"
    return chosen[:count]
