"""The fleet as operators see it: what "online", "driving", "charging" and "alarming" mean,
the overview counts, and the vehicle list's filters, sort orders and pages.

The state words are defined once here (docs/fleet-data.md) and turned into SQL by
backend/storage/fleet.py, so the overview, the list filter and a vehicle's latest state always
agree. They read ``latest_state`` (migrations/tenant/0003), whose values are the newest live
record's; a NULL there (never sent, or a sentinel) makes the predicate false.

* online: the stored link flag is true (last frame or session event was not a logout or
  disconnect) and the last frame arrived within the online timeout (a gateway that died wrote
  no disconnect, so silence alone ends "online").
* offline: registered and not online, including vehicles that never sent anything.
* driving: online, vehicle state 1 "started" (PROTOCOL.md §8.1: 1 started, 2 off, 3 other),
  and not charging while parked (charging state 1).
* charging: online and charging state 1 "parked charging" or 2 "charging while driving".
* alarming: online and alarm level 1 or higher (0 is "no fault"; 2025 adds level 4). An
  offline vehicle's last level says nothing about now; the alarm workflow keeps open alarms.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Final

from backend.core.data_errors import InvalidArgument
from backend.core.vehicles import LOT_MAX, UsageType, Vehicle, clean_optional_text

VEHICLE_STARTED: Final = 1
PARKED_CHARGING: Final = 1
CHARGING_STATES: Final = (1, 2)
MIN_ALARM_LEVEL: Final = 1
ALARM_LEVELS: Final = range(5)  # 0 none, 1-3 (2016), 4 thermal event (2025)
_VIN_PREFIX: Final = re.compile(r"[0-9A-Z]{1,17}")


@dataclass(frozen=True, slots=True)
class LatestState:
    vin: str
    online: bool
    link_up: bool  # the stored flag alone, before the online timeout is applied
    last_frame_at: datetime
    last_collected_at: datetime | None
    longitude_deg: float | None
    latitude_deg: float | None
    vehicle_state: int | None
    charging_state: int | None
    soc_pct: int | None
    speed_kmh: float | None
    alarm_level: int | None
    driving: bool
    charging: bool
    alarming: bool


@dataclass(frozen=True, slots=True)
class FleetCounts:
    total: int
    online: int
    offline: int
    never_connected: int
    driving: int
    charging: int
    alarming: int


@dataclass(frozen=True, slots=True)
class ModelCounts:
    model_id: int | None  # None: vehicles without a model
    counts: FleetCounts


@dataclass(frozen=True, slots=True)
class FleetOverview:
    at: datetime  # the "now" the online timeout was measured from
    counts: FleetCounts
    by_model: tuple[ModelCounts, ...]


class SortKey(enum.StrEnum):
    VIN = "vin"
    LAST_FRAME_AT = "last_frame_at"
    SOC = "soc"
    ALARM_LEVEL = "alarm_level"


@dataclass(frozen=True, slots=True)
class VehicleFilter:
    """All given conditions must hold; None leaves a condition out."""

    model_id: int | None = None
    usage_type: UsageType | None = None
    online: bool | None = None
    charging: bool | None = None
    min_alarm_level: int | None = None
    vin_prefix: str | None = None
    sale_date_from: date | None = None  # inclusive
    sale_date_to: date | None = None  # inclusive
    production_batch: str | None = None
    battery_pack_lot: str | None = None


@dataclass(frozen=True, slots=True)
class VehicleOrder:
    key: SortKey = SortKey.VIN
    descending: bool = False


@dataclass(frozen=True, slots=True)
class VehicleListItem:
    vehicle: Vehicle
    state: LatestState | None  # None: the vehicle never sent anything


@dataclass(frozen=True, slots=True)
class VehiclePage:
    items: tuple[VehicleListItem, ...]
    next_cursor: str | None  # None on the last page


def list_query_key(filters: VehicleFilter, order: VehicleOrder) -> str:
    """What a list cursor is bound to: the same filters and order, field for field."""
    return "vehicles:v1:" + json.dumps([asdict(filters), asdict(order)], default=str,
                                       sort_keys=True)


def clean_filter(filters: VehicleFilter) -> VehicleFilter:
    """The filter with its text normalised, or InvalidArgument naming the bad condition."""
    prefix = filters.vin_prefix
    if prefix is not None:
        prefix = prefix.strip().upper()
        if _VIN_PREFIX.fullmatch(prefix) is None:
            raise InvalidArgument("a VIN prefix is 1 to 17 letters or digits",
                                  field="vin_prefix", reason="invalid_vin")
    level = filters.min_alarm_level
    if level is not None and level not in ALARM_LEVELS:
        raise InvalidArgument(f"alarm levels run from {ALARM_LEVELS.start} to "
                              f"{ALARM_LEVELS.stop - 1}", field="min_alarm_level",
                              reason="out_of_range")
    if filters.model_id is not None and filters.model_id < 1:
        raise InvalidArgument("not a model id", field="model_id", reason="unknown_model")
    low, high = filters.sale_date_from, filters.sale_date_to
    if low is not None and high is not None and low > high:
        raise InvalidArgument("the sale date range ends before it starts",
                              field="sale_date_to", reason="out_of_range")
    return dataclasses.replace(
        filters, vin_prefix=prefix,
        production_batch=clean_optional_text("production_batch", filters.production_batch,
                                             LOT_MAX),
        battery_pack_lot=clean_optional_text("battery_pack_lot", filters.battery_pack_lot,
                                             LOT_MAX))
