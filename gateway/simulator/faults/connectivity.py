"""Scenarios about where vehicles are and whether they talk: long offline, parking clusters,
malformed frames."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any, Final

from ..catalog import UsageType
from ..geo import Position, spot_near
from ..schedule import Segment, drive_to
from ..spec import VehicleSpec
from ..state import Mode
from .base import Fault, FaultKind, InService, MalformedVariant, iso

# Screening thresholds of the guidance (MISSION.md, hidden-danger screening).
OFFLINE_DAYS: Final = {UsageType.OPERATING: 60, UsageType.PRIVATE: 90}
CLUSTER_RADIUS_M: Final = 150.0


class LongOffline(Fault):
    """The vehicle reports normally, then parks and its terminal never connects again."""

    kind = FaultKind.LONG_OFFLINE

    @property
    def busy_until(self) -> datetime | None:
        return self.onset

    @property
    def silent_from(self) -> datetime | None:
        return self.onset

    def next_segment(self, now: datetime, finished: Mode) -> Segment | None:
        return Segment(Mode.PARK) if now >= self.onset else None

    def params(self) -> dict[str, Any]:
        return {"alarm_bits": [], "last_contact": iso(self.onset),
                "screening_threshold_days": OFFLINE_DAYS[self.spec.routine.usage]}


class ParkingCluster(Fault):
    """Members drive to one lot, park within ``CLUSTER_RADIUS_M`` with a high SOC and stay."""

    kind = FaultKind.PARKING_CLUSTER

    def __init__(self, spec: VehicleSpec, onset: datetime, cluster_id: str, lot: Position,
                 members: int) -> None:
        super().__init__(spec, onset)
        self.cluster_id = cluster_id
        self.lot = lot
        self.members = members

    def initial_segment(self, rng: random.Random,
                        start: datetime) -> tuple[Segment, Position] | None:
        origin = spot_near(rng, self.lot, 3000.0)
        return drive_to(rng, spot_near(rng, self.lot, CLUSTER_RADIUS_M),
                        self.spec.model.cruise_speed_kmh), origin

    def initial_soc_pct(self, rng: random.Random) -> float | None:
        return rng.uniform(84.0, 97.0)

    def next_segment(self, now: datetime, finished: Mode) -> Segment | None:
        return Segment(Mode.PARK)

    def params(self) -> dict[str, Any]:
        return {"alarm_bits": [], "cluster_id": self.cluster_id, "members": self.members,
                "lot_latitude_deg": round(self.lot.latitude_deg, 6),
                "lot_longitude_deg": round(self.lot.longitude_deg, 6),
                "radius_m": CLUSTER_RADIUS_M}


class MalformedFrames(InService):
    """The terminal now and then sends garbage, a frame with a wrong BCC or a cut-off frame."""

    kind = FaultKind.MALFORMED_FRAMES

    def __init__(self, spec: VehicleSpec, onset: datetime, rng: random.Random,
                 span_s: float) -> None:
        super().__init__(spec, onset)
        count = rng.randint(3, 6)
        offsets = sorted({0, *(rng.randrange(max(1, round(span_s))) for _ in range(count - 1))})
        self.events = tuple((onset + timedelta(seconds=s), rng.choice(list(MalformedVariant)))
                            for s in offsets)

    def malformed_times(self) -> tuple[tuple[datetime, MalformedVariant], ...]:
        return self.events

    def params(self) -> dict[str, Any]:
        return {"alarm_bits": [],
                "events": [{"at": iso(at), "variant": v.value} for at, v in self.events]}
