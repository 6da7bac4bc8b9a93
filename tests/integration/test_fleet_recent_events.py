"""The newest link events of a tenant's fleet on the real PostgreSQL: newest first, link kinds
only, the last day only, the limit, the tenant's registered vehicles only, and who may ask."""

from __future__ import annotations

import json
from datetime import timedelta

import asyncpg
import pytest
import storage_rows as rows
from fleet_support import actor, register, two_tenants

from backend.core.access import AccessDenied, Principal, Role
from backend.core.data_errors import InvalidArgument
from backend.services import live
from backend.storage.ingest import write_batch

pytestmark = pytest.mark.services
NOW = rows.at(24 * 60)  # a day after T0


async def test_newest_link_events_of_the_fleet(db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    first, second = await register(db, t.a, t.admin_a, 2)
    [other] = await register(db, t.b, t.admin_b, 1)
    await write_batch(db, t.a, event_rows=[
        rows.event(first, rows.at(-1), "login"),  # more than a day before NOW
        rows.event(first, rows.at(10), "login", serial=7,
                   details=json.dumps({"iccid": "89860000000000000001"})),
        rows.event(second, rows.at(20), "connected"),
        rows.event(first, rows.at(30), "time_calibration"),  # not a link event
        rows.event(second, rows.at(40), "disconnected"),
        rows.event(first, rows.at(50), "logout"),
        rows.event(other, rows.at(60), "login"),  # B's VIN, rows left in A's schema
    ])
    await write_batch(db, t.b, event_rows=[rows.event(other, rows.at(45), "login")])

    events = await live.recent_fleet_events(db, t.admin_a, t.a, now=NOW)
    assert [(e.vin, e.kind, e.at) for e in events] == [
        (first, "logout", rows.at(50)), (second, "disconnected", rows.at(40)),
        (second, "connected", rows.at(20)), (first, "login", rows.at(10))]
    assert [e.online for e in events] == [False, False, True, True]
    assert events[-1].serial == 7
    assert events[-1].details == {"iccid": "89860000000000000001"}
    two = await live.recent_fleet_events(db, t.admin_a, t.a, limit=2, now=NOW)
    assert [e.at for e in two] == [rows.at(50), rows.at(40)]
    theirs = await live.recent_fleet_events(db, t.admin_b, t.b, now=NOW)
    assert [(e.vin, e.at) for e in theirs] == [(other, rows.at(45))]
    later = await live.recent_fleet_events(db, t.admin_a, t.a, now=NOW + timedelta(days=2))
    assert later == []


async def test_who_may_read_recent_events(db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    for role in (Role.VIEWER, Role.ANALYST, Role.OPERATOR, Role.SAFETY_ENGINEER):
        assert await live.recent_fleet_events(db, actor(role, t.a), t.a) == []
    telemetry_only = Principal("client:x", Role.API_CLIENT, t.a, frozenset({"telemetry:read"}))
    for principal in (telemetry_only, t.admin_b):
        with pytest.raises(AccessDenied):
            await live.recent_fleet_events(db, principal, t.a)
    for limit in (0, 101):
        with pytest.raises(InvalidArgument):
            await live.recent_fleet_events(db, t.admin_a, t.a, limit=limit)
