"""Positions in Chinese cities (WGS-84 degrees) and movement along a heading.

Distances are short (a city), so an equirectangular approximation around the current latitude is
accurate to well under a metre per step and cheap enough to run every simulated second.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Final

EARTH_RADIUS_M: Final = 6_371_000.0
_M_PER_DEG_LAT: Final = math.pi * EARTH_RADIUS_M / 180.0


@dataclass(frozen=True, slots=True)
class City:
    name: str
    latitude_deg: float
    longitude_deg: float
    radius_km: float
    """Roughly the built-up area; drives stay inside it."""
    mean_temperature_c: float


CITIES: Final = (
    City("Beijing", 39.9042, 116.4074, 25.0, 13.0),
    City("Shanghai", 31.2304, 121.4737, 25.0, 17.0),
    City("Shenzhen", 22.5431, 114.0579, 20.0, 23.0),
    City("Chengdu", 30.5728, 104.0668, 20.0, 16.0),
    City("Hefei", 31.8206, 117.2272, 15.0, 16.0),
    City("Guangzhou", 23.1291, 113.2644, 22.0, 22.0),
    City("Hangzhou", 30.2741, 120.1551, 18.0, 17.0),
    City("Xi'an", 34.3416, 108.9398, 18.0, 14.0),
)

# Mainland China bounding box; a simulated position outside it is a bug.
CHINA_LONGITUDE: Final = (73.5, 135.1)
CHINA_LATITUDE: Final = (18.1, 53.6)


@dataclass(frozen=True, slots=True)
class Position:
    latitude_deg: float
    longitude_deg: float


def in_china(position: Position) -> bool:
    return (CHINA_LONGITUDE[0] <= position.longitude_deg <= CHINA_LONGITUDE[1]
            and CHINA_LATITUDE[0] <= position.latitude_deg <= CHINA_LATITUDE[1])


def offset(origin: Position, north_m: float, east_m: float) -> Position:
    m_per_deg_lon = _M_PER_DEG_LAT * math.cos(math.radians(origin.latitude_deg))
    return Position(origin.latitude_deg + north_m / _M_PER_DEG_LAT,
                    origin.longitude_deg + east_m / m_per_deg_lon)


def move(origin: Position, heading_deg: float, distance_m: float) -> Position:
    """Travel ``distance_m`` from ``origin``; heading 0 = north, 90 = east."""
    heading = math.radians(heading_deg)
    return offset(origin, distance_m * math.cos(heading), distance_m * math.sin(heading))


def _north_east(origin: Position, target: Position) -> tuple[float, float]:
    m_per_deg_lon = _M_PER_DEG_LAT * math.cos(math.radians(origin.latitude_deg))
    return ((target.latitude_deg - origin.latitude_deg) * _M_PER_DEG_LAT,
            (target.longitude_deg - origin.longitude_deg) * m_per_deg_lon)


def distance_m(origin: Position, target: Position) -> float:
    north, east = _north_east(origin, target)
    return math.hypot(north, east)


def bearing_deg(origin: Position, target: Position) -> float:
    north, east = _north_east(origin, target)
    return math.degrees(math.atan2(east, north)) % 360.0


def city_center(city: City) -> Position:
    return Position(city.latitude_deg, city.longitude_deg)


def random_spot(rng: random.Random, city: City, max_fraction: float = 0.9) -> Position:
    """A uniformly spread point within ``max_fraction`` of the city radius."""
    radius_m = city.radius_km * 1000.0 * max_fraction * math.sqrt(rng.random())
    angle = rng.uniform(0.0, 2.0 * math.pi)
    return offset(city_center(city), radius_m * math.cos(angle), radius_m * math.sin(angle))


def spot_near(rng: random.Random, center: Position, max_distance_m: float) -> Position:
    radius_m = max_distance_m * math.sqrt(rng.random())
    angle = rng.uniform(0.0, 2.0 * math.pi)
    return offset(center, radius_m * math.cos(angle), radius_m * math.sin(angle))
