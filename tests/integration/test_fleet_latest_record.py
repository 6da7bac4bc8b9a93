"""The newest live record of vehicles on the real PostgreSQL, written through the ingest path:
the record latest_state points at (never a later reissue), values, gear and sentinels as
stored, batches, and tenant isolation."""

from __future__ import annotations

import json

import asyncpg
import pytest
import storage_rows as rows
from fleet_support import actor, register, two_tenants

from backend.core.access import AccessDenied, Principal, Role
from backend.core.data_errors import InvalidArgument
from backend.core.latest_record import Gear
from backend.services import fleet
from backend.storage.ingest import write_batch

pytestmark = pytest.mark.services


async def _live(db: asyncpg.Connection, tenant: str, vin: str, minutes: float,
                **values: object) -> None:
    """A live record and the latest state the gateway derives from it."""
    at = rows.at(minutes)
    await write_batch(db, tenant, realtime_rows=[rows.realtime(vin, at, **values)],
                      latest_rows=[rows.latest(vin, at, last_collected_at=at)])


async def test_the_record_latest_state_points_at(db: asyncpg.Connection,
                                                 fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    old, new, silent = await register(db, t.a, t.admin_a, 3)
    await _live(db, t.a, old, 1, speed_kmh=10.0)
    await _live(db, t.a, new, 1, speed_kmh=10.0)
    await _live(db, t.a, new, 2, speed_kmh=61.5, total_voltage_v=387.2,
                total_current_a=-12.5, soc_pct=77, insulation_kohm=None, gear=0x3E,
                max_cell_voltage_mv=3412, min_cell_voltage_mv=3398, max_temperature_c=31,
                min_temperature_c=27, cell_voltages_mv=[3412, 3398, 3400],
                probe_temperatures_c=[31, 27], odometer_km=12345.6, vehicle_state=1,
                charging_state=3, dcdc_state=1, alarm_level=0,
                sentinels=json.dumps({"insulation_kohm": "invalid"}))
    # A reissue collected later arrives afterwards: history, not the newest live record.
    await write_batch(db, t.a, realtime_rows=[
        rows.realtime(new, rows.at(3), reissued=True, speed_kmh=99.0)])

    found = await fleet.latest_records(db, t.admin_a, t.a, [old, new.lower(), silent, "junk"])

    assert set(found) == {old, new}
    record = found[new]
    assert (record.collected_at, record.edition, record.speed_kmh, record.total_voltage_v,
            record.total_current_a, record.soc_pct, record.odometer_km) == (
        rows.at(2), 2016, 61.5, pytest.approx(387.2), -12.5, 77, 12345.6)
    assert record.gear == Gear(14, driving_force=True, braking_force=True)
    assert (record.cell_count, record.probe_count) == (3, 2)
    assert (record.max_cell_voltage_mv, record.min_temperature_c) == (3412, 27)
    assert record.insulation_kohm is None and record.sentinels == {"insulation_kohm": "invalid"}
    assert found[old].speed_kmh == 10.0 and found[old].gear is None
    assert found[old].sentinels == {}


async def test_a_2025_invalid_gear_reads_as_no_position(db: asyncpg.Connection,
                                                        fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    await _live(db, t.a, vin, 1, edition=2025, gear=0xA3)
    record = (await fleet.latest_records(db, t.admin_a, t.a, [vin]))[vin]
    assert record.edition == 2025
    assert record.gear == Gear(None, driving_force=True, braking_force=False)


async def test_records_stay_in_their_tenant(db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [a_vin] = await register(db, t.a, t.admin_a, 1)
    [b_vin] = await register(db, t.b, t.admin_b, 1)
    await _live(db, t.a, a_vin, 1)
    await _live(db, t.b, b_vin, 1)
    # Rows of B's VIN left in A's schema (say, from before it moved) are not A's to show.
    await _live(db, t.a, b_vin, 2)
    assert set(await fleet.latest_records(db, t.admin_a, t.a, [a_vin, b_vin])) == {a_vin}
    assert set(await fleet.latest_records(db, t.admin_b, t.b, [a_vin, b_vin])) == {b_vin}
    telemetry_only = Principal("client:x", Role.API_CLIENT, t.a, frozenset({"telemetry:read"}))
    for principal, tenant in ((t.admin_b, t.a), (telemetry_only, t.a)):
        with pytest.raises(AccessDenied):
            await fleet.latest_records(db, principal, tenant, [a_vin])
    for role in (Role.VIEWER, Role.ANALYST, Role.OPERATOR, Role.SAFETY_ENGINEER):
        assert set(await fleet.latest_records(db, actor(role, t.a), t.a, [a_vin])) == {a_vin}
    with pytest.raises(InvalidArgument):
        await fleet.latest_records(db, t.admin_a, t.a, [a_vin] * 1001)
