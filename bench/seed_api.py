"""Seed the API benchmark's database: 1,000 vehicles x 30 days of 30 s records by binary COPY.

Usage (the services running, see scripts/services):

    eval "$(scripts/services env)"
    nice .venv/bin/python -m bench.seed_api                      # the full seed, 86.4 M rows
    .venv/bin/python -m bench.seed_api --database nevguard_apibench_small --vehicles 50 --days 2

It creates the database (default ``nevguard_apibench``; only databases named
``nevguard_apibench*`` are touched), migrates it, provisions tenant ``apibench``, creates four
vehicle models and registers the vehicles through the platform's own use cases (CSV import),
makes the day partitions of the window, then seeds one UTC day at a time, ``--jobs`` days in
parallel, each day in one transaction: TRUNCATE of the day's partitions and COPY ... FREEZE of
its realtime rows (bench/api_seed_rows.py), link events and, on the last day, raw frames; then
the day's hours of the hourly rollup (``fill_rollup``: the platform's refresh) and ANALYZE of
the day. A day is recorded in ``api_bench.days`` when done, so a rerun skips finished days and
redoes a day that was cut off (its TRUNCATE makes that safe). Finally ``latest_state`` is
written through backend/storage/ingest.write_batch and the platform's partition maintenance
runs, which rewrites every closed day (older than two days) in (vin, time) order, so the
database is as production has it after the worker's maintenance. Rerunning the seed on a
seeded database only migrates it (new migrations) and does that last step.

Disk budget: a row with 90-120 cell voltages, probe temperatures and the jsonb blocks of a real
frame takes about 2 KiB on disk (measured), so 86.4 M of them (~170 GiB) would not fit the
machine. Every row carries every scalar column (what the list, history, rollup and fleet
queries read); cells, probes and jsonb are written only on the rows of the last
``--detail-days`` days (default 1), NULL before. The window is
the ``--days`` whole UTC days before the day of the first run (kept in ``api_bench.meta``).
Rows go in collection-time order across the fleet, as the gateway writes them, so one
vehicle's day is spread over the day's partition as in production until the maintenance
orders the closed days; the last two days stay in arrival order, as they are in production.
"""

# ruff: noqa: S608 - table names are this file's constants or partition names from the database.
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import time
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from backend.core.access import Principal, Role
from backend.services import vehicle_import, vehicle_models
from backend.storage import rollups
from backend.storage.db import SERVER_SETTINGS
from backend.storage.ingest import (
    EVENT_COLUMNS,
    EVENT_TYPES,
    RAW_FRAME_COLUMNS,
    RAW_FRAME_TYPES,
    write_batch,
)
from backend.storage.migrate import migrate_all, migrate_shared
from backend.storage.partitions import run_partition_maintenance
from backend.storage.pgcopy import HEADER, TRAILER, row_encoder
from backend.storage.tenants import provision_tenant
from bench import api_seed_rows as rows
from bench.e2e_load import FrameMaker
from gateway.ingest.rows import digest

TENANT: Final = "apibench"
SCHEMA: Final = f"t_{TENANT}"
SEED_ACTOR: Final = Principal(subject="system:api-bench-seed", role=Role.TENANT_ADMIN,
                              tenant=TENANT)
DATABASE_NAME: Final = re.compile(r"nevguard_apibench[a-z0-9_]*")
_EVENTS: Final = row_encoder(EVENT_TYPES)
_RAW: Final = row_encoder(RAW_FRAME_TYPES)


def database_dsn(name: str) -> str:
    if DATABASE_NAME.fullmatch(name) is None:
        raise SystemExit(f"refusing database {name!r}: the bench only uses nevguard_apibench*")
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


async def connect(dsn: str) -> asyncpg.Connection:
    # A bulk load: nothing here needs a synchronous commit, and sorts get room.
    return await asyncpg.connect(dsn, server_settings={
        **SERVER_SETTINGS, "application_name": "nevguard-api-bench-seed",
        "synchronous_commit": "off", "maintenance_work_mem": "256MB", "work_mem": "64MB"})


async def prepare(name: str, vehicles: int, days: int, detail_days: int) -> dict[str, Any]:
    admin = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    conn = await connect(database_dsn(name))
    try:
        await migrate_shared(conn)
        await provision_tenant(conn, TENANT, name="API benchmark")
        await migrate_all(conn)
        meta = await _meta(conn, vehicles, days, detail_days)
        await _registry(conn, vehicles)
        first = date.fromisoformat(meta["first_day"])
        for table in ("realtime", "raw_frames", "vehicle_events"):
            await conn.execute("SELECT nevguard.ensure_day_partitions($1, $2, $3, $4)",
                               SCHEMA, table, first, first + timedelta(days=days - 1))
        await run_partition_maintenance(conn)
        return meta
    finally:
        await conn.close()


async def _meta(conn: asyncpg.Connection, vehicles: int, days: int,
                detail_days: int) -> dict[str, Any]:
    """The seed's parameters, fixed by the first run (a rerun must seed the same window)."""
    await conn.execute("""
        CREATE SCHEMA IF NOT EXISTS api_bench;
        CREATE TABLE IF NOT EXISTS api_bench.meta (id int PRIMARY KEY CHECK (id = 1),
                                                   value jsonb NOT NULL);
        CREATE TABLE IF NOT EXISTS api_bench.days (day date PRIMARY KEY, rows bigint NOT NULL,
                                                   detail boolean NOT NULL,
                                                   seconds double precision NOT NULL)""")
    today = datetime.now(UTC).date()
    wanted = {"vehicles": vehicles, "days": days, "detail_days": detail_days,
              "first_day": (today - timedelta(days=days)).isoformat(),
              "step_s": rows.STEP_S}
    await conn.execute("INSERT INTO api_bench.meta VALUES (1, $1::jsonb) ON CONFLICT DO NOTHING",
                       json.dumps(wanted))
    meta: dict[str, Any] = json.loads(await conn.fetchval(
        "SELECT value::text FROM api_bench.meta"))
    if any(meta[key] != wanted[key] for key in ("vehicles", "days", "detail_days")):
        raise SystemExit(f"this database was seeded with {meta}; use another --database")
    return meta


async def _registry(conn: asyncpg.Connection, vehicles: int) -> None:
    """Models and vehicles through the use cases an administrator's console calls."""
    known = {model.name for model in await vehicle_models.list_models(conn, SEED_ACTOR, TENANT)}
    for model in rows.MODELS:
        if model.spec.name not in known:
            await vehicle_models.create_model(conn, SEED_ACTOR, TENANT, model.spec)
    lines = ["vin,model,usage_type,sale_date,production_batch,battery_pack_lot"]
    for vehicle in rows.fleet(vehicles):
        usage = "operating" if rows.operating(vehicle.index) else "private"
        sold = date(2022, 1, 1) + timedelta(days=vehicle.index * 7 % 1200)
        lines.append(f"{vehicle.vin},{rows.MODELS[vehicle.model].spec.name},{usage},{sold},"
                     f"B{sold:%Y%m},L{vehicle.index % 40:03d}")
    report = await vehicle_import.import_vehicles(conn, SEED_ACTOR, TENANT,
                                                  "\n".join(lines).encode())
    if report.errors:
        raise RuntimeError(f"vehicle import refused rows: {report.errors[:3]}")


def event_rows(vehicles: Iterable[rows.Vehicle], day: datetime) -> list[tuple[Any, ...]]:
    """A login at the day's first record and a logout after its last; at each of the
    profile's link breaks a disconnect and a login a minute later."""
    number = rows.epoch_day(day)
    result: list[tuple[Any, ...]] = []
    login = json.dumps({"iccid": "89860000000000000001", "subsystem_codes": []})
    for vehicle in vehicles:
        plan = rows.profile(vehicle.model, rows.profile_for(vehicle.index, number))
        result.append((vehicle.vin, day, day, "login", 1, login))
        for serial, sample in enumerate(plan.link_breaks, start=2):
            gone = day + timedelta(seconds=sample * rows.STEP_S + 5)
            result.append((vehicle.vin, gone, None, "disconnected", None,
                           json.dumps({"reason": "idle_timeout"})))
            back = gone + timedelta(seconds=55)
            result.append((vehicle.vin, back, back, "login", serial, login))
        end = day + timedelta(days=1) - timedelta(seconds=10)
        result.append((vehicle.vin, end, end, "logout", len(plan.link_breaks) + 2, "{}"))
    return result


def raw_frame_rows(vehicles: Iterable[rows.Vehicle], day: datetime,
                   minutes: int) -> list[tuple[Any, ...]]:
    """Real 2016 frames (bench/sample_frames, VIN and time patched) for the last ``minutes``
    of the day; their decoded values are the sample frame's, not the seeded rows'."""
    start = day + timedelta(days=1) - timedelta(minutes=minutes)
    result = []
    for vehicle in vehicles:
        maker = FrameMaker(vehicle.vin, start, step_s=rows.STEP_S)
        for index in range(minutes * 60 // rows.STEP_S):
            collected = start + timedelta(seconds=index * rows.STEP_S)
            raw = maker.next()
            result.append((vehicle.vin, collected + timedelta(seconds=1.5), collected, 2, 2016,
                           raw, digest(raw)))
    return result


async def _payload(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    yield HEADER
    for chunk in chunks:
        yield chunk
    yield TRAILER


async def _partition(conn: asyncpg.Connection, table: str, day: date) -> str:
    name: str = await conn.fetchval("SELECT nevguard.day_partition_name($1, $2)", table, day)
    return name


async def seed_day(dsn: str, day: date, meta: dict[str, Any], raw_minutes: int) -> int:
    vehicles = rows.fleet(meta["vehicles"])
    first = date.fromisoformat(meta["first_day"])
    last = first + timedelta(days=meta["days"] - 1)
    detail = (last - day).days < meta["detail_days"]
    start = datetime.combine(day, datetime.min.time(), UTC)
    conn = await connect(dsn)
    try:
        realtime = await _partition(conn, "realtime", day)
        events = await _partition(conn, "vehicle_events", day)
        frames = await _partition(conn, "raw_frames", day)
        async with conn.transaction():
            # TRUNCATE in this transaction lets COPY FREEZE write frozen, all-visible pages:
            # the benchmark's reads need no VACUUM first, and a cut-off day is redone whole.
            await conn.execute(f"TRUNCATE {SCHEMA}.{realtime}, {SCHEMA}.{events}, "
                               f"{SCHEMA}.{frames}")
            status = await conn.copy_to_table(
                realtime, schema_name=SCHEMA, columns=rows.COLUMNS, format="binary",
                freeze=True, source=_payload(rows.day_payload(
                    vehicles, start, rows.epoch_day(datetime.combine(
                        first, datetime.min.time(), UTC)), detail=detail)))
            await conn.copy_to_table(
                events, schema_name=SCHEMA, columns=EVENT_COLUMNS, format="binary",
                source=_payload(map(_EVENTS, event_rows(vehicles, start))))
            if day == last and raw_minutes:
                await conn.copy_to_table(frames, schema_name=SCHEMA, columns=RAW_FRAME_COLUMNS,
                                         format="binary", source=_payload(map(_RAW, raw_frame_rows(
                                             vehicles, start, raw_minutes))))
        await fill_rollup(conn, start)
        for table in (realtime, events, frames):
            await conn.execute(f"ANALYZE {SCHEMA}.{table}")
        return int(status.split()[-1])
    finally:
        await conn.close()


async def fill_rollup(conn: asyncpg.Connection, day: datetime) -> None:
    """The day's hours of realtime_hourly by the platform's own refresh (set-based on plain
    PostgreSQL since tenant migration 0009: one pass over the day's partition)."""
    await rollups.refresh_range(conn, TENANT, day, day + timedelta(days=1))


def _seed_day_process(job: tuple[str, date, dict[str, Any], int]) -> tuple[date, int, float]:
    dsn, day, meta, raw_minutes = job
    began = time.monotonic()
    count = asyncio.run(seed_day(dsn, day, meta, raw_minutes))
    return day, count, time.monotonic() - began


async def _done_days(dsn: str) -> set[date]:
    conn = await connect(dsn)
    try:
        return {row["day"] for row in await conn.fetch("SELECT day FROM api_bench.days")}
    finally:
        await conn.close()


async def _record_day(dsn: str, day: date, count: int, detail: bool, seconds: float) -> None:
    conn = await connect(dsn)
    try:
        await conn.execute("INSERT INTO api_bench.days VALUES ($1, $2, $3, $4) ON CONFLICT (day) "
                           "DO UPDATE SET rows = $2, detail = $3, seconds = $4",
                           day, count, detail, seconds)
    finally:
        await conn.close()


async def finish(dsn: str, meta: dict[str, Any]) -> dict[str, Any]:
    """latest_state from each vehicle's last record (through the ingest upsert), statistics,
    and what was seeded, kept in api_bench.meta for the load benchmark's report."""
    end = datetime.combine(date.fromisoformat(meta["first_day"]), datetime.min.time(), UTC
                           ) + timedelta(days=meta["days"])
    last = rows.SAMPLES_PER_DAY - 1
    at = end - timedelta(seconds=rows.STEP_S)
    latest = []
    for vehicle in rows.fleet(meta["vehicles"]):
        plan = rows.profile(vehicle.model, rows.profile_for(vehicle.index, rows.epoch_day(at)))
        dlon, dlat = plan.offsets[last]
        latest.append((vehicle.vin, True, at + timedelta(seconds=1.5), at,
                       vehicle.longitude + dlon, vehicle.latitude + dlat, *plan.states[last][:2],
                       plan.soc[last], plan.speed[last], plan.states[last][2],
                       at + timedelta(seconds=2)))
    conn = await connect(dsn)
    try:
        await write_batch(conn, TENANT, latest_rows=latest)
        # As production has it after the worker's partition maintenance: closed days
        # rewritten in (vin, time) order (all of them at once here, not six a run).
        ordered = (await run_partition_maintenance(conn, order_limit=None)).partitions_ordered
        for table in ("realtime", "realtime_hourly", "latest_state", "vehicle_events",
                      "raw_frames"):
            await conn.execute(f"ANALYZE {SCHEMA}.{table}")
        summary = {
            **meta,
            "realtime_rows": await conn.fetchval("SELECT sum(rows) FROM api_bench.days"),
            "detail_rows": await conn.fetchval(
                "SELECT sum(rows) FROM api_bench.days WHERE detail"),
            "rollup_rows": await conn.fetchval(f"SELECT count(*) FROM {SCHEMA}.realtime_hourly"),
            "event_rows": await conn.fetchval(f"SELECT count(*) FROM {SCHEMA}.vehicle_events"),
            "raw_frame_rows": await conn.fetchval(f"SELECT count(*) FROM {SCHEMA}.raw_frames"),
            "seed_seconds": await conn.fetchval("SELECT sum(seconds) FROM api_bench.days"),
            "partitions_ordered": ordered,
            "database_bytes": await conn.fetchval(
                "SELECT pg_database_size(current_database())"),
            "realtime_bytes": await conn.fetchval(
                "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
                "WHERE inhparent = $1::regclass", f"{SCHEMA}.realtime"),
        }
        await conn.execute("UPDATE api_bench.meta SET value = $1::jsonb",
                           json.dumps(summary, default=float))
        return summary
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database", default="nevguard_apibench")
    parser.add_argument("--vehicles", type=int, default=1000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--detail-days", type=int, default=1)
    parser.add_argument("--raw-frame-minutes", type=int, default=60)
    parser.add_argument("--jobs", type=int, default=2, help="days seeded in parallel")
    args = parser.parse_args()
    dsn = database_dsn(args.database)
    meta = asyncio.run(prepare(args.database, args.vehicles, args.days, args.detail_days))
    first = date.fromisoformat(meta["first_day"])
    window = [first + timedelta(days=offset) for offset in range(args.days)]
    done = asyncio.run(_done_days(dsn))
    pending = [day for day in reversed(window) if day not in done]  # detail days first
    print(json.dumps({"window": [str(window[0]), str(window[-1])], "done": len(done),
                      "pending": len(pending)}), flush=True)
    last = window[-1]
    with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
        jobs = [(dsn, day, meta, args.raw_frame_minutes) for day in pending]
        for day, count, seconds in pool.imap_unordered(_seed_day_process, jobs):
            detail = (last - day).days < args.detail_days
            asyncio.run(_record_day(dsn, day, count, detail, seconds))
            print(json.dumps({"day": str(day), "rows": count, "detail": detail,
                              "seconds": round(seconds, 1),
                              "rows_per_s": round(count / seconds)}), flush=True)
    print(json.dumps(asyncio.run(finish(dsn, meta)), default=str), flush=True)


if __name__ == "__main__":
    main()
