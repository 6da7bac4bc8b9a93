"""Tenant provisioning: the registry row, the ``t_<slug>`` schema and its migrations."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from backend.core.tenancy import tenant_schema
from backend.storage.db import Conn
from backend.storage.errors import UnknownTenant
from backend.storage.migrate import MigrationReport, migrate_tenant


@dataclass(frozen=True, slots=True)
class Tenant:
    id: int
    slug: str
    name: str
    status: str  # 'active' | 'suspended'
    created_at: datetime
    quotas: Mapping[str, Any]
    # The latest storage measurement (tenant_storage.py); None until the first one.
    storage_bytes: int | None = None
    storage_measured_at: datetime | None = None

    @property
    def schema(self) -> str:
        return tenant_schema(self.slug)


_SELECT = """SELECT t.id, t.slug, t.name, t.status, t.created_at, t.quotas,
                   s.bytes AS storage_bytes, s.measured_at AS storage_measured_at
              FROM nevguard.tenants AS t
              LEFT JOIN nevguard.tenant_storage AS s ON s.tenant_id = t.id"""


def _tenant(row: asyncpg.Record) -> Tenant:
    return Tenant(
        id=row["id"],
        slug=row["slug"],
        name=row["name"],
        status=row["status"],
        created_at=row["created_at"],
        quotas=json.loads(row["quotas"]),
        storage_bytes=row["storage_bytes"],
        storage_measured_at=row["storage_measured_at"],
    )


async def provision_tenant(
    conn: Conn,
    slug: str,
    *,
    name: str | None = None,
    quotas: Mapping[str, Any] | None = None,
) -> tuple[Tenant, MigrationReport]:
    """Create the tenant (or keep the existing one: name and quotas are not changed) and bring
    its schema to the newest migration. Safe to repeat and to run concurrently. The shared
    schema must be migrated first."""
    tenant_schema(slug)  # refuse a bad slug before touching the database
    await conn.execute(
        """INSERT INTO nevguard.tenants (slug, name, quotas) VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (slug) DO NOTHING""",
        slug,
        name or slug,
        json.dumps(dict(quotas or {})),
    )
    report = await migrate_tenant(conn, slug)
    return await get_tenant(conn, slug), report


async def get_tenant(conn: Conn, slug: str) -> Tenant:
    row = await conn.fetchrow(_SELECT + " WHERE t.slug = $1", slug)
    if row is None:
        raise UnknownTenant(slug)
    return _tenant(row)


async def list_tenants(conn: Conn) -> list[Tenant]:
    return [
        _tenant(row)
        for row in await conn.fetch(_SELECT + " ORDER BY t.slug")
    ]


async def tenants_page(conn: Conn, *, after: str | None, limit: int) -> list[Tenant]:
    """Up to ``limit`` tenants in slug order, after the slug ``after`` (keyset paging)."""
    rows = await conn.fetch(_SELECT + " WHERE $1::text IS NULL OR t.slug > $1 ORDER BY t.slug"
                            " LIMIT $2", after, limit)
    return [_tenant(row) for row in rows]


async def set_tenant_status(conn: Conn, slug: str, status: str) -> Tenant:
    """'active' or 'suspended'; the table's CHECK refuses anything else."""
    if await conn.fetchval("UPDATE nevguard.tenants SET status = $2 WHERE slug = $1"
                           " RETURNING id", slug, status) is None:
        raise UnknownTenant(slug)
    return await get_tenant(conn, slug)


async def set_tenant_quotas(conn: Conn, slug: str, quotas: Mapping[str, Any]) -> Tenant:
    """Replace the tenant's quota object as a whole (callers validate its keys)."""
    if await conn.fetchval("UPDATE nevguard.tenants SET quotas = $2::jsonb WHERE slug = $1"
                           " RETURNING id", slug, json.dumps(dict(quotas))) is None:
        raise UnknownTenant(slug)
    return await get_tenant(conn, slug)


async def vehicle_counts(conn: Conn, slugs: list[str] | None = None) -> dict[str, int]:
    """Registered vehicles per tenant (every tenant when ``slugs`` is None), zeros included."""
    rows = await conn.fetch(
        """SELECT t.slug, count(v.vin) AS vehicles
             FROM nevguard.tenants AS t
             LEFT JOIN nevguard.vehicles AS v ON v.tenant_id = t.id
            WHERE $1::text[] IS NULL OR t.slug = ANY($1::text[])
            GROUP BY t.slug""", slugs)
    return {row["slug"]: row["vehicles"] for row in rows}


async def tenant_exists(conn: Conn, slug: str) -> bool:
    return bool(await conn.fetchval(
        "SELECT EXISTS (SELECT FROM nevguard.tenants WHERE slug = $1)", slug))
