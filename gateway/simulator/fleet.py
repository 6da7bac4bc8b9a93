"""Building a reproducible fleet from a master seed.

The fleet's own random stream picks VINs, models, cities, editions and usage; each vehicle then
gets a seed derived from the master seed and its VIN, and fault assignment draws from a third,
independent stream, so changing ``fault_fraction`` does not change the vehicles themselves.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from gateway.protocol.model import Edition

from .catalog import CATALOG, UsageType
from .faults.assign import assign_faults
from .faults.base import Fault, FaultKind
from .geo import CITIES, City, random_spot, spot_near
from .schedule import Routine
from .spec import VehicleSpec
from .vehicle import Vehicle
from .vin import SIMULATED_WMIS, make_vin

# Relative frequency of each catalog model in a fleet: buses and sports cars are rarer.
MODEL_WEIGHTS = (3.0, 4.0, 2.0, 3.0, 3.0, 1.0, 1.0)


@dataclass(frozen=True, slots=True)
class FleetConfig:
    start: datetime
    vehicles: int = 10
    seed: int = 1
    fraction_2025: float = 0.5
    fault_fraction: float = 0.0
    fault_kinds: tuple[FaultKind, ...] = tuple(FaultKind)
    horizon_s: float = 3600.0
    """Length of the run; fault onsets and ramps are scaled to fit in it."""
    cities: tuple[City, ...] = field(default=CITIES)


@dataclass(slots=True)
class Fleet:
    vehicles: list[Vehicle]
    faults: list[Fault]

    def labels(self) -> list[dict[str, Any]]:
        return [fault.label() for fault in sorted(self.faults,
                                                  key=lambda f: (f.onset, f.spec.vin))]

    def write_labels(self, path: Path) -> None:
        """Ground truth as JSON lines, one fault per line (docs/simulator.md)."""
        with path.open("w", encoding="utf-8") as out:
            for label in self.labels():
                out.write(json.dumps(label, ensure_ascii=False, sort_keys=True) + "\n")


def vehicle_seed(master_seed: int, vin: str) -> int:
    digest = hashlib.sha256(f"{master_seed}:{vin}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _iccid(rng: random.Random) -> str:
    # 89 = telecom, 86 = China; the rest is an invented issuer and account number.
    return "8986" + "".join(rng.choice("0123456789") for _ in range(16))


def build_specs(config: FleetConfig) -> list[VehicleSpec]:
    rng = random.Random(config.seed)
    specs = []
    for serial in range(1, config.vehicles + 1):
        model = rng.choices(CATALOG, weights=MODEL_WEIGHTS)[0]
        city = rng.choice(config.cities)
        vin = make_vin(rng, rng.choice(SIMULATED_WMIS), serial)
        usage = UsageType.OPERATING if rng.random() < model.operating_share \
            else UsageType.PRIVATE
        edition = Edition.V2025 if rng.random() < config.fraction_2025 else Edition.V2016
        home = random_spot(rng, city)
        work = spot_near(rng, home, city.radius_km * 1000.0)
        specs.append(VehicleSpec(vin=vin, model=model, edition=edition,
                                 routine=Routine(usage, city, home, work),
                                 seed=vehicle_seed(config.seed, vin), iccid=_iccid(rng)))
    return specs


def build_fleet(config: FleetConfig, specs: Sequence[VehicleSpec] | None = None) -> Fleet:
    base = list(specs) if specs is not None else build_specs(config)
    fault_rng = random.Random(f"{config.seed}:faults")
    placed, faults = assign_faults(fault_rng, base, config.start, horizon_s=config.horizon_s,
                                   fraction=config.fault_fraction, kinds=config.fault_kinds)
    by_vin: dict[str, list[Fault]] = {}
    for fault in faults:
        by_vin.setdefault(fault.spec.vin, []).append(fault)
    vehicles = [Vehicle(spec, config.start, by_vin.get(spec.vin, ())) for spec in placed]
    return Fleet(vehicles, faults)
