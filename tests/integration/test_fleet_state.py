"""Fleet overview, latest states and the vehicle list on the real PostgreSQL, with rows written
through the ingest path: the state definitions, filters, sort orders, keyset pages that walk
the whole list exactly once, and tenant isolation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg
import pytest
import storage_rows as rows
from fleet_support import Tenants, actor, new_model, register, state, two_tenants

from backend.core.access import AccessDenied, Principal, Role
from backend.core.data_errors import InvalidArgument, InvalidCursor, LimitExceeded, NotFound
from backend.core.fleet import FleetCounts, SortKey, VehicleFilter, VehicleOrder
from backend.core.vehicles import UsageType, VehicleChanges
from backend.services import fleet, vehicles
from backend.settings import DataSettings
from backend.storage.tenants import provision_tenant

pytestmark = pytest.mark.services
NOW = rows.at(10)  # the online timeout (5 min) puts the cutoff at minute 5


@dataclass
class Scene:
    t: Tenants
    m1: int
    m2: int
    v: list[str]  # v[0] .. v[5] of tenant A, see _scene
    b: str  # tenant B's vehicle


async def _scene(db: asyncpg.Connection, slug: str) -> Scene:
    t = await two_tenants(db, slug)
    m1 = await new_model(db, t.a, t.admin_a)
    m2 = await new_model(db, t.a, t.admin_a)
    v = [*await register(db, t.a, t.admin_a, 2, model_id=m1),
         *await register(db, t.a, t.admin_a, 2, model_id=m2, usage=UsageType.OPERATING),
         *await register(db, t.a, t.admin_a, 2)]
    [b] = await register(db, t.b, t.admin_b, 1)
    # driving; parked charging with a level-2 alarm; driving while charging with level 1;
    # link up but silent for 8 minutes (offline) with level 3; logged out; v[5] never sent.
    await state(db, t.a, v[0], minutes=9, vehicle_state=1, charging_state=3, soc_pct=80,
                speed_kmh=50.0, alarm_level=0)
    await state(db, t.a, v[1], minutes=8, vehicle_state=2, charging_state=1, soc_pct=40,
                alarm_level=2)
    await state(db, t.a, v[2], minutes=7, vehicle_state=1, charging_state=2, soc_pct=60,
                alarm_level=1)
    await state(db, t.a, v[3], minutes=2, vehicle_state=1, charging_state=3, soc_pct=70,
                alarm_level=3)
    await state(db, t.a, v[4], minutes=9, online=False, vehicle_state=2, soc_pct=90)
    await state(db, t.b, b, minutes=9, vehicle_state=1, soc_pct=10)
    # A VIN that is not (or no longer) A's, with rows left in A's schema: never counted.
    await state(db, t.a, b, minutes=9, vehicle_state=1, soc_pct=10, alarm_level=3)
    await vehicles.update_vehicle(db, t.admin_a, t.a, v[0], VehicleChanges(
        sale_date=date(2024, 1, 10), production_batch="B1", battery_pack_lot="L1"))
    await vehicles.update_vehicle(db, t.admin_a, t.a, v[2], VehicleChanges(
        sale_date=date(2024, 2, 10), production_batch="B1"))
    return Scene(t, m1, m2, v, b)


async def _vins(db: asyncpg.Connection, s: Scene, **conditions: Any) -> set[str]:
    page = await fleet.list_vehicles(db, s.t.admin_a, s.t.a,
                                     filters=VehicleFilter(**conditions), now=NOW)
    return {item.vehicle.vin for item in page.items}


async def test_overview_counts_follow_the_definitions(db: asyncpg.Connection,
                                                      fresh_slug: str) -> None:
    s = await _scene(db, fresh_slug)
    overview = await fleet.fleet_overview(db, s.t.admin_a, s.t.a, now=NOW)
    assert overview.at == NOW
    assert overview.counts == FleetCounts(total=6, online=3, offline=3, never_connected=1,
                                          driving=2, charging=2, alarming=2)
    by_model = {m.model_id: m.counts for m in overview.by_model}
    assert by_model == {
        s.m1: FleetCounts(2, 2, 0, 0, 1, 1, 1),
        s.m2: FleetCounts(2, 1, 1, 0, 1, 1, 1),
        None: FleetCounts(2, 0, 2, 1, 0, 0, 0),
    }
    b_view = await fleet.fleet_overview(db, s.t.admin_b, s.t.b, now=NOW)
    assert b_view.counts == FleetCounts(1, 1, 0, 0, 1, 0, 0)
    later = await fleet.fleet_overview(db, s.t.admin_a, s.t.a, now=rows.at(60))
    assert later.counts.online == 0 and later.counts.offline == 6
    await provision_tenant(db, fresh_slug + "c")
    empty = await fleet.fleet_overview(db, actor(Role.VIEWER, fresh_slug + "c"),
                                       fresh_slug + "c", now=NOW)
    assert empty.counts == FleetCounts(0, 0, 0, 0, 0, 0, 0) and empty.by_model == ()


async def test_latest_states_one_and_many(db: asyncpg.Connection, fresh_slug: str) -> None:
    s = await _scene(db, fresh_slug)
    silent = await fleet.latest_state(db, s.t.admin_a, s.t.a, s.v[3], now=NOW)
    assert silent is not None
    assert (silent.online, silent.link_up, silent.alarm_level, silent.alarming,
            silent.driving, silent.soc_pct) == (False, True, 3, False, False, 70)
    driving = await fleet.latest_state(db, s.t.admin_a, s.t.a, s.v[0].lower(), now=NOW)
    assert driving is not None and (driving.online, driving.driving, driving.speed_kmh,
                                     driving.last_frame_at) == (True, True, 50.0, rows.at(9))
    assert await fleet.latest_state(db, s.t.admin_a, s.t.a, s.v[5], now=NOW) is None
    for tenant, admin, vin in ((s.t.a, s.t.admin_a, s.b), (s.t.b, s.t.admin_b, s.v[0])):
        with pytest.raises(NotFound):
            await fleet.latest_state(db, admin, tenant, vin, now=NOW)
    many = await fleet.latest_states(db, s.t.admin_a, s.t.a,
                                     [s.v[0], s.v[1], s.v[5], s.b, "junk"], now=NOW)
    assert set(many) == {s.v[0], s.v[1]} and many[s.v[1]].charging


async def test_filters(db: asyncpg.Connection, fresh_slug: str) -> None:
    s = await _scene(db, fresh_slug)
    v = s.v
    assert await _vins(db, s) == set(v)
    assert await _vins(db, s, online=True) == {v[0], v[1], v[2]}
    assert await _vins(db, s, online=False) == {v[3], v[4], v[5]}
    assert await _vins(db, s, charging=True) == {v[1], v[2]}
    assert await _vins(db, s, charging=False) == {v[0], v[3], v[4], v[5]}
    assert await _vins(db, s, min_alarm_level=2) == {v[1], v[3]}
    assert await _vins(db, s, model_id=s.m2) == {v[2], v[3]}
    assert await _vins(db, s, usage_type=UsageType.OPERATING) == {v[2], v[3]}
    assert await _vins(db, s, vin_prefix=v[4][:16].lower()) == {v[4]}
    assert await _vins(db, s, sale_date_from=date(2024, 1, 10),
                       sale_date_to=date(2024, 2, 1)) == {v[0]}
    assert await _vins(db, s, production_batch="B1") == {v[0], v[2]}
    assert await _vins(db, s, production_batch="B1", battery_pack_lot="L1") == {v[0]}
    assert await _vins(db, s, vin_prefix=s.b[:10]) == set()
    for bad in ({"vin_prefix": "L%"}, {"min_alarm_level": 5},
                {"sale_date_from": date(2024, 2, 1), "sale_date_to": date(2024, 1, 1)}):
        with pytest.raises(InvalidArgument):
            await _vins(db, s, **bad)


async def _walk(db: asyncpg.Connection, who: Principal, tenant: str, order: VehicleOrder, *,
                first: int, between_pages: list[str] | None = None) -> list[str]:
    seen: list[str] = []
    after = None
    while True:
        page = await fleet.list_vehicles(db, who, tenant, order=order, first=first,
                                         after=after, now=NOW)
        seen += [item.vehicle.vin for item in page.items]
        if page.next_cursor is None:
            return seen
        if between_pages:  # a vehicle registered while someone pages
            await register(db, tenant, who, 1, prefix=between_pages.pop())
        after = page.next_cursor


async def test_keyset_pages_walk_every_vehicle_once(db: asyncpg.Connection,
                                                    fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    vins = await register(db, t.a, t.admin_a, 17)
    await register(db, t.b, t.admin_b, 3)
    soc = {vin: index % 4 * 20 for index, vin in enumerate(vins[:13])}  # ties; 4 never sent
    for index, vin in enumerate(vins[:13]):
        await state(db, t.a, vin, minutes=index % 3, soc_pct=soc[vin], alarm_level=index % 2)
    keys = {
        SortKey.VIN: lambda vin: (vin,),
        SortKey.SOC: lambda vin: (soc.get(vin, -1), vin),
        SortKey.ALARM_LEVEL: lambda vin: ((vins.index(vin) % 2) if vin in soc else -1, vin),
        SortKey.LAST_FRAME_AT: lambda vin: ((vins.index(vin) % 3) if vin in soc else -99, vin),
    }
    for key, sort_key in keys.items():
        for descending in (False, True):
            order = VehicleOrder(key, descending)
            walked = await _walk(db, t.admin_a, t.a, order, first=4)
            assert walked == sorted(vins, key=sort_key, reverse=descending), order
    # Vehicles registered mid-walk (VINs sorting first, "00..", and last, "ZZ..") do not make
    # the walk repeat or skip any vehicle that was there before.
    walked = await _walk(db, t.admin_a, t.a, VehicleOrder(), first=5,
                         between_pages=["ZZ", "00", "ZZ"])
    assert len(walked) == len(set(walked))
    assert set(vins) <= set(walked)


async def test_cursor_tampering_and_page_limits(db: asyncpg.Connection,
                                                fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    await register(db, t.a, t.admin_a, 3)
    order = VehicleOrder(SortKey.SOC)
    page = await fleet.list_vehicles(db, t.admin_a, t.a, order=order, first=1, now=NOW)
    cursor = page.next_cursor
    assert cursor is not None
    flipped = cursor[:5] + ("A" if cursor[5] != "A" else "B") + cursor[6:]
    for bad, used_order in ((flipped, order), (cursor[:-3], order), ("%%%", order),
                            (cursor, VehicleOrder(SortKey.SOC, descending=True)),
                            (cursor, VehicleOrder(SortKey.VIN))):
        with pytest.raises(InvalidCursor):
            await fleet.list_vehicles(db, t.admin_a, t.a, order=used_order, after=bad, now=NOW)
    with pytest.raises(InvalidCursor):  # the same cursor with another filter
        await fleet.list_vehicles(db, t.admin_a, t.a, order=order, after=cursor,
                                  filters=VehicleFilter(online=True), now=NOW)
    limits = DataSettings(page_size_max=2, page_size_default=2)
    with pytest.raises(LimitExceeded) as too_big:
        await fleet.list_vehicles(db, t.admin_a, t.a, first=3, limits=limits)
    assert (too_big.value.limit, too_big.value.maximum) == ("page_size_max", 2)
    assert len((await fleet.list_vehicles(db, t.admin_a, t.a, limits=limits)).items) == 2


async def test_who_may_see_the_fleet(db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    for role in (Role.VIEWER, Role.ANALYST, Role.OPERATOR, Role.SAFETY_ENGINEER):
        await fleet.fleet_overview(db, actor(role, t.a), t.a)
        await fleet.latest_state(db, actor(role, t.a), t.a, vin)
    telemetry_only = Principal("client:x", Role.API_CLIENT, t.a, frozenset({"telemetry:read"}))
    for call in (fleet.fleet_overview(db, telemetry_only, t.a),
                 fleet.list_vehicles(db, telemetry_only, t.a),
                 fleet.fleet_overview(db, t.admin_a, t.b),
                 fleet.list_vehicles(db, t.admin_b, t.a),
                 fleet.latest_states(db, t.admin_b, t.a, [vin])):
        with pytest.raises(AccessDenied):
            await call
    assert vin not in {i.vehicle.vin for i in (await fleet.list_vehicles(
        db, t.admin_b, t.b)).items}
