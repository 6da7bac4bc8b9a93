"""Tenant storage usage: measuring a tenant schema's size and keeping the latest measurement
(``nevguard.tenant_storage``). Measuring reads the catalog only, no table data, but it is
still done by the worker's cron, never per request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend.core.storage_quota import StorageUse
from backend.core.tenancy import tenant_schema
from backend.storage.db import Conn
from backend.storage.errors import UnknownTenant

# Tables, materialized views and partitions ('r' includes partitions, which live in the
# tenant schema) with their TOAST and indexes (pg_total_relation_size). Hypertables are
# left out here and counted with their chunks by hypertable_size (TimescaleDB keeps chunks
# in its own schema).
_RELATIONS = """
    SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
      FROM pg_catalog.pg_class AS c
      JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'm')"""
_NOT_HYPERTABLES = """
       AND NOT EXISTS (SELECT FROM timescaledb_information.hypertables AS h
                        WHERE h.hypertable_schema = n.nspname
                          AND h.hypertable_name = c.relname)"""
_HYPERTABLES = """
    SELECT coalesce(sum(hypertable_size(format('%I.%I', hypertable_schema,
                                               hypertable_name)::regclass)), 0)::bigint
      FROM timescaledb_information.hypertables WHERE hypertable_schema = $1"""


@dataclass(frozen=True, slots=True)
class Measurement:
    tenant: str
    bytes: int
    measured_at: datetime
    alerted_percent: int  # before this measurement


async def schema_bytes(conn: Conn, tenant: str) -> int:
    """Bytes the tenant's schema takes now."""
    schema = tenant_schema(tenant)
    timescale = await conn.fetchval(
        "SELECT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'timescaledb')")
    if not timescale:
        return int(await conn.fetchval(_RELATIONS, schema))
    relations = int(await conn.fetchval(_RELATIONS + _NOT_HYPERTABLES, schema))
    return relations + int(await conn.fetchval(_HYPERTABLES, schema))


async def record_measurement(conn: Conn, tenant: str, measured_bytes: int,
                             at: datetime) -> Measurement:
    """Store the tenant's latest measurement; returns it with the threshold alerted before
    (the row stays locked until the caller's transaction ends)."""
    tenant_id = await conn.fetchval("SELECT id FROM nevguard.tenants WHERE slug = $1", tenant)
    if tenant_id is None:
        raise UnknownTenant(tenant)
    alerted = await conn.fetchval(
        """INSERT INTO nevguard.tenant_storage AS s (tenant_id, bytes, measured_at)
           VALUES ($1, $2, $3)
           ON CONFLICT (tenant_id) DO UPDATE
              SET bytes = excluded.bytes, measured_at = excluded.measured_at
        RETURNING s.alerted_percent""",
        tenant_id, measured_bytes, at)
    return Measurement(tenant, measured_bytes, at, int(alerted))


async def set_alerted(conn: Conn, tenant: str, percent: int) -> None:
    await conn.execute(
        """UPDATE nevguard.tenant_storage AS s SET alerted_percent = $2
             FROM nevguard.tenants AS t WHERE t.id = s.tenant_id AND t.slug = $1""",
        tenant, percent)


async def storage_use(conn: Conn, tenant: str) -> StorageUse:
    """The latest measurement against the tenant's ``storage_gb`` quota."""
    row = await conn.fetchrow(
        """SELECT s.bytes, s.measured_at, t.quotas -> 'storage_gb' AS quota
             FROM nevguard.tenants AS t
             LEFT JOIN nevguard.tenant_storage AS s ON s.tenant_id = t.id
            WHERE t.slug = $1""", tenant)
    if row is None:
        raise UnknownTenant(tenant)
    quota = None if row["quota"] is None else int(row["quota"])
    return StorageUse(row["bytes"], row["measured_at"], quota)
