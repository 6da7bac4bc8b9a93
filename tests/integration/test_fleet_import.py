"""Bulk CSV registration on the real PostgreSQL: the per-row report, valid rows written and
invalid ones not, re-imports, and files refused as a whole (encoding, size, header)."""

from __future__ import annotations

from datetime import date

import asyncpg
import pytest
from fleet_support import actor, new_model, new_vin, register, two_tenants

from backend.core.access import AccessDenied, Role
from backend.core.data_errors import InvalidArgument, LimitExceeded
from backend.core.vehicles import UsageType
from backend.services import vehicles
from backend.services.vehicle_import import import_vehicles
from backend.settings import DataSettings

pytestmark = pytest.mark.services


async def _registered(db: asyncpg.Connection, tenant: str) -> set[str]:
    rows = await db.fetch("""SELECT v.vin::text FROM nevguard.vehicles AS v
                              JOIN nevguard.tenants AS t ON t.id = v.tenant_id
                             WHERE t.slug = $1""", tenant)
    return {row["vin"] for row in rows}


async def test_report_names_every_bad_row_and_writes_the_good_ones(
        db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    model = await new_model(db, t.a, t.admin_a, name="Aurora 60")
    [b_vin] = await register(db, t.b, t.admin_b, 1)
    good, lower, dup = new_vin(), new_vin(), new_vin()
    text = "\n".join([
        "VIN, model ,usage_type,sale_date,battery_pack_lot",
        f"{good},Aurora 60,operating,2024-03-01,LOT-1",  # row 2
        f"{lower.lower()},,,,",  # 3: lower case VIN, defaults
        "LT123,Aurora 60,private,,",  # 4: bad VIN
        f"{new_vin()},Aurora 60,private,01/03/2024,",  # 5: bad date
        f"{new_vin()},Nimbus,private,,",  # 6: unknown model
        "",  # 7: blank line, skipped
        f"{dup},,private,,",  # 8
        f"{dup},,operating,,",  # 9: duplicate in the file
        f"{new_vin()},Aurora 60",  # 10: too few fields
        f"{b_vin},,,,",  # 11: tenant B's VIN
        f"{new_vin()},,fleet,,",  # 12: bad usage
    ])
    data = "\ufeff".encode() + text.encode()
    report = await import_vehicles(db, t.admin_a, t.a, data)
    assert report.total == 10 and not report.dry_run
    assert [(e.row, e.field, e.code) for e in report.errors] == [
        (4, "vin", "invalid_vin"), (5, "sale_date", "invalid_date"),
        (6, "model", "unknown_model"), (9, "vin", "duplicate_vin"), (10, None, "field_count"),
        (11, "vin", "vin_taken"), (12, "usage_type", "invalid_choice")]
    assert report.created == (good, lower, dup) and report.updated == ()
    assert await _registered(db, t.a) == {good, lower, dup}
    assert await _registered(db, t.b) == {b_vin}
    written = await vehicles.get_vehicle(db, t.admin_a, t.a, good)
    assert (written.model_id, written.usage_type, written.sale_date, written.battery_pack_lot,
            written.production_batch) == (model, UsageType.OPERATING, date(2024, 3, 1), "LOT-1",
                                          None)

    # A second file updates only the columns it has, and importing it twice is harmless.
    again = f"vin,production_batch\n{good},B7\n".encode()
    for _ in range(2):
        report = await import_vehicles(db, t.admin_a, t.a, again)
        assert (report.created, report.updated, report.errors) == ((), (good,), ())
    updated = await vehicles.get_vehicle(db, t.admin_a, t.a, good)
    assert (updated.production_batch, updated.model_id, updated.battery_pack_lot,
            updated.sale_date) == ("B7", model, "LOT-1", date(2024, 3, 1))


async def test_dry_run_reports_without_writing(db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [known] = await register(db, t.a, t.admin_a, 1)
    fresh = new_vin()
    data = f"vin,usage_type\n{known},operating\n{fresh},private\nbad,private\n".encode()
    report = await import_vehicles(db, t.admin_a, t.a, data, dry_run=True)
    assert (report.created, report.updated, report.dry_run) == ((fresh,), (known,), True)
    assert [(e.row, e.code) for e in report.errors] == [(4, "invalid_vin")]
    assert await _registered(db, t.a) == {known}
    assert (await vehicles.get_vehicle(db, t.admin_a, t.a, known)).usage_type == "private"


@pytest.mark.parametrize(("data", "field", "reason"), [
    ("vin,model\nLT1,Aurora\n".encode("utf-16"), "file", "encoding"),
    ("vin,model\nLNBSCB3F5JW00000Z,电动\n".encode("gbk"), "file", "encoding"),
    (b"", "header", "missing_column"),
    (b"model,usage_type\nA,private\n", "header", "missing_column"),
    (b"vin,colour\nLNBSCB3F5JW00000Z,red\n", "header", "unknown_column"),
    (b"vin,vin\nLNBSCB3F5JW00000Z,x\n", "header", "duplicate_column"),
    (b'vin\n"LNBSCB3F5JW00000Z\n', "file", "malformed"),  # unterminated quote
    (b'vin\n"LNBSCB3F5JW00000Z"x\n', "file", "malformed"),
])
async def test_files_refused_as_a_whole(db: asyncpg.Connection, fresh_slug: str, data: bytes,
                                        field: str, reason: str) -> None:
    t = await two_tenants(db, fresh_slug)
    with pytest.raises(InvalidArgument) as refused:
        await import_vehicles(db, t.admin_a, t.a, data)
    assert (refused.value.field, refused.value.reason) == (field, reason)
    assert await _registered(db, t.a) == set()


async def test_limits_and_permission(db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    limits = DataSettings(import_max_rows=3, import_max_bytes=200)
    rows = "".join(f"{new_vin()}\n" for _ in range(4))
    with pytest.raises(LimitExceeded) as too_many:
        await import_vehicles(db, t.admin_a, t.a, f"vin\n{rows}".encode(), limits=limits)
    assert (too_many.value.limit, too_many.value.maximum) == ("import_max_rows", 3)
    with pytest.raises(LimitExceeded) as too_big:
        await import_vehicles(db, t.admin_a, t.a, b"vin\n" + b"\n" * 300, limits=limits)
    assert too_big.value.limit == "import_max_bytes"
    assert await _registered(db, t.a) == set()
    three = f"vin\n{''.join(f'{new_vin()}' + chr(10) for _ in range(3))}\n\n".encode()
    assert len((await import_vehicles(db, t.admin_a, t.a, three, limits=limits)).created) == 3
    for who, tenant in ((actor(Role.VIEWER, t.a), t.a), (actor(Role.SAFETY_ENGINEER, t.a), t.a),
                        (t.admin_b, t.a)):
        with pytest.raises(AccessDenied):
            await import_vehicles(db, who, tenant, three)
