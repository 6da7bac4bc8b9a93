"""Fleet reads: the overview counts, the vehicle list page and latest states, all over the
tenant's registered vehicles (``nevguard.vehicles`` of the tenant LEFT JOIN its
``latest_state``). A VIN that left the tenant's registry is gone from every answer here even
while old rows of it remain in the tenant's tables.

The state words (online, driving, charging, alarming) are the SQL form of the definitions in
backend/core/fleet.py; every query here uses these expressions and nothing else. ``$2`` is
always the online cutoff (now minus the online timeout). Call inside ``tenant_tx``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Final

import asyncpg

from backend.core.cursor import CursorValue
from backend.core.fleet import (
    CHARGING_STATES,
    MIN_ALARM_LEVEL,
    PARKED_CHARGING,
    VEHICLE_STARTED,
    FleetCounts,
    LatestState,
    ModelCounts,
    SortKey,
    VehicleFilter,
    VehicleListItem,
    VehicleOrder,
)
from backend.storage.db import Conn, registry_vins
from backend.storage.vehicle_registry import VEHICLE_FIELDS, vehicle_of

ONLINE: Final = "coalesce(s.online AND s.last_frame_at >= $2, false)"
DRIVING: Final = (f"({ONLINE} AND coalesce(s.vehicle_state = {VEHICLE_STARTED}"
                  f" AND s.charging_state IS DISTINCT FROM {PARKED_CHARGING}, false))")
CHARGING: Final = (f"({ONLINE} AND coalesce(s.charging_state IN "
                   f"({', '.join(map(str, CHARGING_STATES))}), false))")
ALARMING: Final = f"({ONLINE} AND coalesce(s.alarm_level >= {MIN_ALARM_LEVEL}, false))"
_FLEET: Final = """
    FROM nevguard.vehicles AS v
    JOIN nevguard.tenants AS t ON t.id = v.tenant_id AND t.slug = $1
    LEFT JOIN latest_state AS s ON s.vin = v.vin::text"""
_STATE_FIELDS: Final = f"""
    s.vin AS state_vin, s.online AS link_up, s.last_frame_at, s.last_collected_at,
    s.longitude_deg, s.latitude_deg, s.vehicle_state, s.charging_state, s.soc_pct,
    s.speed_kmh, s.alarm_level, {ONLINE} AS is_online, {DRIVING} AS driving,
    {CHARGING} AS charging, {ALARMING} AS alarming"""
# NULLs (never connected, no value) sort as the lowest value, so keys are never NULL and the
# keyset comparison stays a plain row comparison.
SORT_EXPRESSIONS: Final = {
    SortKey.VIN: "v.vin::text",
    SortKey.LAST_FRAME_AT: "coalesce(s.last_frame_at, TIMESTAMPTZ '1970-01-01 00:00:00+00')",
    SortKey.SOC: "coalesce(s.soc_pct, -1)::integer",
    SortKey.ALARM_LEVEL: "coalesce(s.alarm_level, -1)::integer",
}
SORT_KINDS: Final[dict[SortKey, type]] = {
    SortKey.VIN: str, SortKey.LAST_FRAME_AT: datetime, SortKey.SOC: int,
    SortKey.ALARM_LEVEL: int,
}


def state_of(row: asyncpg.Record) -> LatestState | None:
    if row["state_vin"] is None:
        return None
    return LatestState(
        vin=row["state_vin"], online=row["is_online"], link_up=row["link_up"],
        last_frame_at=row["last_frame_at"], last_collected_at=row["last_collected_at"],
        longitude_deg=row["longitude_deg"], latitude_deg=row["latitude_deg"],
        vehicle_state=row["vehicle_state"], charging_state=row["charging_state"],
        soc_pct=row["soc_pct"], speed_kmh=row["speed_kmh"], alarm_level=row["alarm_level"],
        driving=row["driving"], charging=row["charging"], alarming=row["alarming"])


def _counts(row: asyncpg.Record) -> FleetCounts:
    return FleetCounts(total=row["total"], online=row["online"],
                       offline=row["total"] - row["online"],
                       never_connected=row["never_connected"], driving=row["driving"],
                       charging=row["charging"], alarming=row["alarming"])


async def overview(conn: Conn, tenant: str,
                   cutoff: datetime) -> tuple[FleetCounts, list[ModelCounts]]:
    """The tenant's counts, and the same per model (vehicles without one under None)."""
    rows = await conn.fetch(
        f"""SELECT v.model_id, grouping(v.model_id) = 1 AS whole_fleet, count(*) AS total,
                   count(*) FILTER (WHERE {ONLINE}) AS online,
                   count(*) FILTER (WHERE s.vin IS NULL) AS never_connected,
                   count(*) FILTER (WHERE {DRIVING}) AS driving,
                   count(*) FILTER (WHERE {CHARGING}) AS charging,
                   count(*) FILTER (WHERE {ALARMING}) AS alarming
              {_FLEET}
             GROUP BY GROUPING SETS ((v.model_id), ())
             ORDER BY whole_fleet DESC, v.model_id NULLS LAST""", tenant, cutoff)
    if not rows or not rows[0]["whole_fleet"]:  # no vehicles: the empty grouping set is absent
        return FleetCounts(0, 0, 0, 0, 0, 0, 0), []
    return _counts(rows[0]), [ModelCounts(row["model_id"], _counts(row)) for row in rows[1:]]


async def latest_states(conn: Conn, tenant: str, vins: Collection[str],
                        cutoff: datetime) -> list[LatestState]:
    """Latest states of those of ``vins`` the tenant has registered and that sent data."""
    rows = await conn.fetch(
        f"SELECT {_STATE_FIELDS} {_FLEET} WHERE v.vin = ANY({registry_vins('$3')})"
        " AND s.vin IS NOT NULL",
        tenant, cutoff, list(vins))
    return [state for row in rows if (state := state_of(row)) is not None]


class _Where:
    """Conditions with their bound values; $1 and $2 are the tenant and the cutoff."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.values: list[Any] = []

    def add(self, template: str, *values: Any) -> None:
        numbers = [f"${3 + len(self.values) + index}" for index in range(len(values))]
        self.parts.append(template.format(*numbers))
        self.values.extend(values)


def _conditions(filters: VehicleFilter) -> _Where:
    where = _Where()
    if filters.model_id is not None:
        where.add("v.model_id = {}", filters.model_id)
    if filters.usage_type is not None:
        where.add("v.usage_type = {}", filters.usage_type.value)
    if filters.online is not None:
        where.add(ONLINE if filters.online else f"NOT {ONLINE}")
    if filters.charging is not None:
        where.add(CHARGING if filters.charging else f"NOT {CHARGING}")
    if filters.min_alarm_level is not None:
        where.add("s.alarm_level >= {}", filters.min_alarm_level)
    if filters.vin_prefix is not None:  # letters and digits only: no LIKE wildcards
        where.add("v.vin::text LIKE {} || '%'", filters.vin_prefix)
    if filters.sale_date_from is not None:
        where.add("v.sale_date >= {}", filters.sale_date_from)
    if filters.sale_date_to is not None:
        where.add("v.sale_date <= {}", filters.sale_date_to)
    if filters.production_batch is not None:
        where.add("v.production_batch = {}", filters.production_batch)
    if filters.battery_pack_lot is not None:
        where.add("v.battery_pack_lot = {}", filters.battery_pack_lot)
    return where


Positioned = tuple[VehicleListItem, tuple[CursorValue, ...]]


async def vehicle_page(conn: Conn, tenant: str, *, filters: VehicleFilter,
                       order: VehicleOrder, after: Sequence[CursorValue] | None, limit: int,
                       cutoff: datetime) -> list[Positioned]:
    """Up to ``limit`` vehicles after the keyset position ``after`` ((sort value, vin), or
    (vin,) for the VIN order), each with its own position for the next cursor."""
    key = SORT_EXPRESSIONS[order.key]
    direction, compare = ("DESC", "<") if order.descending else ("ASC", ">")
    where = _conditions(filters)
    if after is not None:
        if order.key is SortKey.VIN:
            where.add(f"v.vin::text {compare} {{}}", *after)
        else:
            where.add(f"({key}, v.vin::text) {compare} ({{}}, {{}})", *after)
    conditions = " AND ".join(where.parts) or "true"
    rows = await conn.fetch(
        f"""SELECT {VEHICLE_FIELDS}, {_STATE_FIELDS}, {key} AS sort_value {_FLEET}
             WHERE {conditions}
             ORDER BY {key} {direction}, v.vin::text {direction}
             LIMIT ${3 + len(where.values)}""",
        tenant, cutoff, *where.values, limit)
    page: list[Positioned] = []
    for row in rows:
        position = ((row["vin"],) if order.key is SortKey.VIN
                    else (row["sort_value"], row["vin"]))
        page.append((VehicleListItem(vehicle_of(row), state_of(row)), position))
    return page
