"""Day-partition upkeep for the time-series tables that are not hypertables.

Run it at least daily (the arq cron does; ``nevguard migrate`` does not). Per engine:

* ``native`` (no pg_partman): create the partitions from yesterday to a week ahead and move
  any rows that landed in the default partition (old reissues, wrong terminal clocks) into
  partitions of their own day.
* ``pg_partman``: first move default-partition rows of days up to the premake horizon into
  their partitions (pg_partman cannot create a partition while the default holds rows of its
  range), then ``run_maintenance`` premakes. Rows further in the future stay in the default
  until their day comes near: creating far-future partitions would stop pg_partman's premake.
* ``timescaledb``: nothing; chunks are created on insert.

Then, on both partitioned engines, closed days of ``realtime`` and ``raw_frames`` are rewritten
in (vin, time) order once each (backend/storage/partition_order.py), at most
``ORDER_PER_RUN`` partitions a run so a backlog never makes one run long.
"""

# ruff: noqa: S608 - names come from nevguard.time_series (our own identifiers).
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final

from backend.storage.db import Conn
from backend.storage.partition_order import order_closed_partitions

PREMAKE_DAYS: Final = 7  # same as p_premake in migrations/shared/0001
ORDER_PER_RUN: Final = 6


@dataclass(frozen=True, slots=True)
class MaintenanceReport:
    tables: int
    partitions_created: int
    days_moved_from_default: int
    partitions_ordered: int


@dataclass(frozen=True, slots=True)
class _TimeSeries:
    schema: str
    table: str
    column: str
    engine: str

    @property
    def default(self) -> str:
        return f'"{self.schema}"."{self.table}_default"'


async def run_partition_maintenance(conn: Conn, *, now: datetime | None = None,
                                    order_limit: int | None = ORDER_PER_RUN
                                    ) -> MaintenanceReport:
    """``order_limit`` bounds the closed partitions rewritten in (vin, time) order (None: all
    of them, e.g. after a bulk load)."""
    at = (now or datetime.now(UTC)).astimezone(UTC)
    today = at.date()
    horizon = datetime.combine(today + timedelta(days=PREMAKE_DAYS + 1), datetime.min.time(), UTC)
    tables = [_TimeSeries(*row) for row in await conn.fetch(
        """SELECT schema_name, table_name, time_column, engine FROM nevguard.time_series
            WHERE engine <> 'timescaledb'
              AND to_regclass(format('%I.%I', schema_name, table_name)) IS NOT NULL
            ORDER BY schema_name, table_name""")]
    partman = await conn.fetchval("SELECT nevguard.extension_schema('pg_partman')")
    before = await _partition_count(conn)
    moved = 0
    for table in tables:
        if table.engine == "native":
            moved += await _maintain_native(conn, table, today)
        elif partman is not None:
            moved += await _drain_partman_default(conn, partman, table, horizon)
    if partman is not None and any(table.engine == "pg_partman" for table in tables):
        await conn.execute(f"SELECT {partman}.run_maintenance(p_jobmon => false)")
    created = await _partition_count(conn) - before
    ordered = await order_closed_partitions(conn, now=at, limit=order_limit)
    return MaintenanceReport(len(tables), created, moved, ordered)


async def _maintain_native(conn: Conn, table: _TimeSeries, today: date) -> int:
    """Premake from yesterday to a week ahead and give every day found in the default
    partition its own partition (its rows move there). Returns the number of such days."""
    async with conn.transaction():
        stray_days = [day for (day,) in await conn.fetch(
            f"SELECT DISTINCT ({table.column} AT TIME ZONE 'UTC')::date FROM {table.default}")]
        for day in stray_days:
            await conn.execute("SELECT nevguard.ensure_day_partitions($1, $2, $3, $3)",
                               table.schema, table.table, day)
        await conn.execute("SELECT nevguard.ensure_day_partitions($1, $2, $3, $4)",
                           table.schema, table.table, today - timedelta(days=1),
                           today + timedelta(days=PREMAKE_DAYS))
    return len(stray_days)


async def _drain_partman_default(conn: Conn, partman: str, table: _TimeSeries,
                                 horizon: datetime) -> int:
    """Move default-partition rows older than ``horizon`` one day at a time (each call of
    partition_data_time creates the day's partition and moves its rows)."""
    days = 0
    previous: datetime | None = None
    while True:
        oldest: datetime | None = await conn.fetchval(
            f"SELECT min({table.column}) FROM {table.default}")
        if oldest is None or oldest >= horizon or oldest == previous:
            # oldest == previous: no progress; leave it to the next run rather than spin.
            return days
        previous = oldest
        async with conn.transaction():
            await conn.execute(
                f"SELECT {partman}.partition_data_time($1, p_batch_count => 1, "
                "p_analyze => false)", f"{table.schema}.{table.table}")
        days += 1


async def _partition_count(conn: Conn) -> int:
    count: int = await conn.fetchval(
        """SELECT count(*) FROM pg_catalog.pg_inherits AS i
             JOIN nevguard.time_series AS t
               ON i.inhparent = to_regclass(format('%I.%I', t.schema_name, t.table_name))""")
    return count
