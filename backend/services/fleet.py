"""Fleet use cases: the overview counts, the vehicle list (filters, sort orders, keyset
pages), latest states and newest live records, one vehicle or many (the dataloaders'
batches)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from backend.core.access import Permission, Principal
from backend.core.cursor import decode_cursor, encode_cursor
from backend.core.data_errors import InvalidArgument
from backend.core.fleet import (
    FleetOverview,
    LatestState,
    SortKey,
    VehicleFilter,
    VehicleOrder,
    VehiclePage,
    clean_filter,
    list_query_key,
)
from backend.core.latest_record import LatestRecord
from backend.services.tenant_data import clock, page_size, tenant_use_case, tenant_vehicle
from backend.services.vehicles import MAX_BATCH, well_formed
from backend.settings import DataSettings
from backend.storage import fleet as store
from backend.storage import latest_records as records
from backend.storage.db import Conn, Pool

P = Permission
DEFAULT_LIMITS = DataSettings()
NO_FILTER = VehicleFilter()
BY_VIN = VehicleOrder()


async def fleet_overview(db: Conn | Pool, actor: Principal, tenant: str, *,
                         now: datetime | None = None,
                         limits: DataSettings = DEFAULT_LIMITS) -> FleetOverview:
    at = clock(now)
    async with tenant_use_case(db, actor, tenant, P.FLEET_READ) as conn:
        counts, by_model = await store.overview(conn, tenant, at - limits.online_timeout)
    return FleetOverview(at, counts, tuple(by_model))


async def list_vehicles(db: Conn | Pool, actor: Principal, tenant: str, *,
                        filters: VehicleFilter = NO_FILTER,
                        order: VehicleOrder = BY_VIN, first: int | None = None,
                        after: str | None = None, now: datetime | None = None,
                        limits: DataSettings = DEFAULT_LIMITS) -> VehiclePage:
    """One page of the tenant's vehicles. ``after`` is the ``next_cursor`` of the previous
    page, valid only with the same filters and order (InvalidCursor otherwise). Keyset pages
    are stable under inserts: each vehicle is listed once per walk, unless its own sort value
    changes meanwhile (a new frame moves it in the last_frame_at order)."""
    at = clock(now)
    async with tenant_use_case(db, actor, tenant, P.FLEET_READ) as conn:
        cleaned = clean_filter(filters)
        size = page_size(first, limits.page_size_default, limits.page_size_max,
                         "page_size_max")
        query = list_query_key(cleaned, order)
        kinds = ((str,) if order.key is SortKey.VIN
                 else (store.SORT_KINDS[order.key], str))
        position = None if after is None else decode_cursor(after, query, kinds)
        rows = await store.vehicle_page(conn, tenant, filters=cleaned, order=order,
                                        after=position, limit=size + 1,
                                        cutoff=at - limits.online_timeout)
    items = rows[:size]
    next_cursor = encode_cursor(query, items[-1][1]) if len(rows) > size else None
    return VehiclePage(tuple(item for item, _ in items), next_cursor)


async def latest_state(db: Conn | Pool, actor: Principal, tenant: str, vin: str, *,
                       now: datetime | None = None,
                       limits: DataSettings = DEFAULT_LIMITS) -> LatestState | None:
    """The vehicle's latest state; None when it is registered but never sent anything."""
    at = clock(now)
    async with tenant_use_case(db, actor, tenant, P.VEHICLE_STATE_READ) as conn:
        cleaned = await tenant_vehicle(conn, tenant, vin)
        states = await store.latest_states(conn, tenant, [cleaned], at - limits.online_timeout)
    return states[0] if states else None


async def latest_states(db: Conn | Pool, actor: Principal, tenant: str,
                        vins: Collection[str], *, now: datetime | None = None,
                        limits: DataSettings = DEFAULT_LIMITS) -> dict[str, LatestState]:
    """The dataloader's batch read, by upper-case VIN: VINs that are unknown, another
    tenant's or never sent anything are absent."""
    if len(vins) > MAX_BATCH:
        raise InvalidArgument(f"at most {MAX_BATCH} VINs at once", field="vins")
    at = clock(now)
    async with tenant_use_case(db, actor, tenant, P.VEHICLE_STATE_READ) as conn:
        states = await store.latest_states(conn, tenant, well_formed(vins),
                                           at - limits.online_timeout)
    return {state.vin: state for state in states}



async def latest_records(db: Conn | Pool, actor: Principal, tenant: str,
                         vins: Collection[str]) -> dict[str, LatestRecord]:
    """The newest live record of each of ``vins``, by upper-case VIN: VINs that are unknown,
    another tenant's or never sent a live record are absent."""
    if len(vins) > MAX_BATCH:
        raise InvalidArgument(f"at most {MAX_BATCH} VINs at once", field="vins")
    async with tenant_use_case(db, actor, tenant, P.VEHICLE_STATE_READ) as conn:
        found = await records.latest_records(conn, tenant, well_formed(vins))
    return {record.vin: record for record in found}
