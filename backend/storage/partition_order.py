"""Rewrites closed day partitions of ``realtime`` and ``raw_frames`` in (vin, time) order.

The gateway writes every vehicle's records interleaved with the whole fleet's, so in a day
partition each row of one vehicle sits on a page of its own: one vehicle's day of ``realtime``
(2,880 rows at 30 s) reads about 2,900 pages, the same rows in (vin, collected_at) order about
100 (docs/benchmarks.md). Once a day is closed (older than ``CLOSED_AFTER``, so late reissues
rarely arrive after the rewrite) it is ``CLUSTER``ed on its unique index, which leads with
``vin``; later reissues are appended out of order, which costs a page each.

``CLUSTER`` holds an ACCESS EXCLUSIVE lock on that one partition while it copies it (a day of
1,000 vehicles, 925 MiB with its index, took about 10 s on the 2-core bench machine): writes of
late reissues into that day, and reads planned to touch it, wait meanwhile. Reads of other
days do not, unless their plan is generic (a prepared statement planned without the range),
which locks every partition. To keep the wait bounded the statement runs with a lock timeout:
a partition that is busy is left for the next run rather than queueing every reader behind
the lock. PostgreSQL marks the index it clustered on (``pg_index.indisclustered``); that mark
is the record that a partition is done, so each is rewritten once.

TimescaleDB tables are skipped: compression segmented by ``vin`` gives the same layout.
"""


from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

import asyncpg

from backend.storage.db import Conn

CLOSED_AFTER: Final = timedelta(days=2)
ORDERED_TABLES: Final = ("realtime", "raw_frames")
LOCK_TIMEOUT: Final = "5s"


@dataclass(frozen=True, slots=True)
class ClosedPartition:
    schema: str
    partition: str
    index: str
    day: datetime


async def partitions_to_order(conn: Conn, *, now: datetime) -> list[ClosedPartition]:
    """Day partitions whose day ended ``CLOSED_AFTER`` before ``now`` and that were never
    clustered, oldest day first."""
    records = await conn.fetch(
        """SELECT n.nspname AS schema, c.relname AS partition, ic.relname AS index,
                  to_date(substring(c.relname FROM '_p([0-9]{4}_[0-9]{2}_[0-9]{2})$'),
                          'YYYY_MM_DD')::timestamp AT TIME ZONE 'UTC' AS day
             FROM nevguard.time_series AS t
             JOIN pg_catalog.pg_inherits AS h
               ON h.inhparent = to_regclass(format('%I.%I', t.schema_name, t.table_name))
             JOIN pg_catalog.pg_class AS c ON c.oid = h.inhrelid
             JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
             JOIN pg_catalog.pg_index AS i ON i.indrelid = c.oid AND i.indisunique
             JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid
             JOIN pg_catalog.pg_attribute AS a
               ON a.attrelid = c.oid AND a.attnum = i.indkey[0] AND a.attname = 'vin'
            WHERE t.engine <> 'timescaledb' AND t.table_name = ANY($1::text[])
              AND c.relname ~ '_p[0-9]{4}_[0-9]{2}_[0-9]{2}$'
              AND NOT EXISTS (SELECT FROM pg_catalog.pg_index AS done
                               WHERE done.indrelid = c.oid AND done.indisclustered)""",
        list(ORDERED_TABLES))
    closed_before = now - CLOSED_AFTER
    return sorted((ClosedPartition(r["schema"], r["partition"], r["index"], r["day"])
                   for r in records if r["day"] + timedelta(days=1) <= closed_before),
                  key=lambda p: (p.day, p.schema, p.partition))


async def order_partition(conn: Conn, partition: ClosedPartition, *,
                          lock_timeout: str = LOCK_TIMEOUT) -> bool:
    """CLUSTER one partition on its (vin, time, hash) index; False when its lock was not
    free within ``lock_timeout`` (left for the next run)."""
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('lock_timeout', $1, true)", lock_timeout)
            await conn.execute(f'CLUSTER "{partition.schema}"."{partition.partition}" '
                               f'USING "{partition.index}"')
    except asyncpg.LockNotAvailableError:
        return False
    return True


async def order_closed_partitions(conn: Conn, *, now: datetime,
                                  limit: int | None = None) -> int:
    """Cluster up to ``limit`` (all when None) closed, not yet clustered partitions, oldest
    first; the number clustered."""
    done = 0
    for partition in (await partitions_to_order(conn, now=now))[:limit]:
        done += await order_partition(conn, partition)
    return done
