"""The daily state machine: drive / park / AC charge / DC fast charge.

Private cars commute between a home and a work spot and charge at home; operating vehicles
(taxis, ride-hailing, buses) drive trip after trip, fast-charge when low and park at a depot at
night. Every choice comes from the vehicle's own ``random.Random`` so a run is reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from gateway.protocol.wire import BEIJING

from .catalog import UsageType
from .geo import City, Position, distance_m, random_spot, spot_near
from .state import Mode

AT_SPOT_M: Final = 300.0
FAST_CHARGE_BELOW_PCT: Final = 20.0
HOME_CHARGE_BELOW_PCT: Final = 80.0
# Operating vehicles return to the depot for the night between these hours.
NIGHT_START_HOUR: Final = 23
NIGHT_END_HOUR: Final = 6


@dataclass(frozen=True, slots=True)
class Routine:
    """Where a vehicle lives and how it is used."""

    usage: UsageType
    city: City
    home: Position
    """Home parking spot of a private car, depot of an operating vehicle."""
    work: Position


@dataclass(frozen=True, slots=True)
class Segment:
    mode: Mode
    ends_at: datetime | None = None
    """End of a park or AC charge; drives end on arrival and DC charges at the target SOC."""
    destination: Position | None = None
    target_soc_pct: float = 100.0
    cruise_kmh: float = 50.0


def _at_clock(now: datetime, days: int, hour: float) -> datetime:
    local = now.astimezone(BEIJING)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + timedelta(days=days, seconds=round(hour * 3600))


def _later(now: datetime, rng: random.Random, low_min: float, high_min: float) -> datetime:
    return now + timedelta(seconds=round(rng.uniform(low_min, high_min) * 60))


def _hour(now: datetime) -> float:
    local = now.astimezone(BEIJING)
    return local.hour + local.minute / 60.0


def _private_departure(rng: random.Random, routine: Routine, now: datetime,
                       position: Position) -> datetime:
    hour = _hour(now)
    at_home = distance_m(position, routine.home) < AT_SPOT_M
    at_work = distance_m(position, routine.work) < AT_SPOT_M
    if hour < 7.0:
        return _at_clock(now, 0, rng.uniform(7.0, 9.0))
    if at_work and hour < 17.0:
        return _at_clock(now, 0, rng.uniform(17.0, 19.5))
    if at_home and hour >= 17.0:
        if hour < 21.0 and rng.random() < 0.3:
            return _later(now, rng, 30, 120)
        return _at_clock(now, 1, rng.uniform(7.0, 9.0))
    return _later(now, rng, 20, 120)


def _is_night(now: datetime) -> bool:
    hour = _hour(now)
    return hour >= NIGHT_START_HOUR or hour < NIGHT_END_HOUR


def _night_end(rng: random.Random, now: datetime) -> datetime:
    days = 1 if _hour(now) >= NIGHT_START_HOUR else 0
    return _at_clock(now, days, rng.uniform(NIGHT_END_HOUR, NIGHT_END_HOUR + 1.0))


def _destination(rng: random.Random, routine: Routine, now: datetime,
                 position: Position) -> Position:
    if routine.usage is UsageType.OPERATING:
        if _is_night(now):
            return routine.home
        return random_spot(rng, routine.city)
    if distance_m(position, routine.home) < AT_SPOT_M:
        if 6.0 <= _hour(now) < 12.0:
            return routine.work
        return spot_near(rng, routine.home, 5000.0)
    return routine.home


def drive_to(rng: random.Random, destination: Position, cruise: tuple[float, float]) -> Segment:
    return Segment(Mode.DRIVE, destination=destination, cruise_kmh=rng.uniform(*cruise))


def next_segment(rng: random.Random, routine: Routine, now: datetime, *, soc_pct: float,
                 position: Position, finished: Mode, cruise: tuple[float, float]) -> Segment:
    """What a vehicle does after ``finished`` ended at ``now``."""
    if finished is not Mode.DRIVE:
        return drive_to(rng, _destination(rng, routine, now, position), cruise)
    if soc_pct < FAST_CHARGE_BELOW_PCT:
        return Segment(Mode.DC_CHARGE, target_soc_pct=rng.uniform(80.0, 92.0))
    at_home = distance_m(position, routine.home) < AT_SPOT_M
    if routine.usage is UsageType.OPERATING:
        if at_home and _is_night(now):
            return Segment(Mode.AC_CHARGE, ends_at=_night_end(rng, now), target_soc_pct=100.0)
        return Segment(Mode.PARK, ends_at=_later(now, rng, 3, 20))
    departure = _private_departure(rng, routine, now, position)
    if at_home and soc_pct < HOME_CHARGE_BELOW_PCT and rng.random() < 0.7:
        return Segment(Mode.AC_CHARGE, ends_at=departure, target_soc_pct=rng.choice((90., 100.)))
    return Segment(Mode.PARK, ends_at=departure)


def busy_segment(rng: random.Random, routine: Routine, soc_pct: float,
                 cruise: tuple[float, float]) -> Segment:
    """Keep a vehicle in service: another trip, or a fast charge first when low."""
    if soc_pct < FAST_CHARGE_BELOW_PCT + 10.0:
        return Segment(Mode.DC_CHARGE, target_soc_pct=rng.uniform(80.0, 92.0))
    return drive_to(rng, random_spot(rng, routine.city), cruise)


INITIAL_MODE_WEIGHTS: Final = {Mode.DRIVE: 0.55, Mode.PARK: 0.15, Mode.AC_CHARGE: 0.15,
                               Mode.DC_CHARGE: 0.15}


def initial_segment(rng: random.Random, routine: Routine, now: datetime,
                    cruise: tuple[float, float]) -> tuple[Segment, Position]:
    """The segment a vehicle is in when the simulation starts, and where it is.

    Chosen by weight rather than by the hour so a run started at night still has traffic.
    """
    modes = list(INITIAL_MODE_WEIGHTS)
    mode = rng.choices(modes, weights=[INITIAL_MODE_WEIGHTS[m] for m in modes])[0]
    if mode is Mode.DRIVE:
        start = random_spot(rng, routine.city)
        return drive_to(rng, _destination(rng, routine, now, start), cruise), start
    if mode is Mode.AC_CHARGE:
        return Segment(Mode.AC_CHARGE, ends_at=_later(now, rng, 60, 360),
                       target_soc_pct=100.0), routine.home
    if mode is Mode.DC_CHARGE:
        return Segment(Mode.DC_CHARGE, target_soc_pct=rng.uniform(80.0, 92.0)), \
            random_spot(rng, routine.city)
    return Segment(Mode.PARK, ends_at=_later(now, rng, 5, 120)), routine.work
