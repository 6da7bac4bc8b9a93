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

    @property
    def schema(self) -> str:
        return tenant_schema(self.slug)


_SELECT = "SELECT id, slug, name, status, created_at, quotas FROM nevguard.tenants"


def _tenant(row: asyncpg.Record) -> Tenant:
    return Tenant(
        id=row["id"],
        slug=row["slug"],
        name=row["name"],
        status=row["status"],
        created_at=row["created_at"],
        quotas=json.loads(row["quotas"]),
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
    row = await conn.fetchrow(_SELECT + " WHERE slug = $1", slug)
    if row is None:
        raise UnknownTenant(slug)
    return _tenant(row)


async def list_tenants(conn: Conn) -> list[Tenant]:
    return [
        _tenant(row)
        for row in await conn.fetch(_SELECT + " ORDER BY slug")
    ]
