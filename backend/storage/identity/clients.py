"""OAuth2 API clients of OEM systems and provider support grants."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import asyncpg

from backend.storage.db import Conn
from backend.storage.identity import IdentityConflict
from backend.storage.identity.users import tenant_id


@dataclass(frozen=True, slots=True)
class ApiClientRecord:
    id: int
    tenant: str
    tenant_active: bool
    client_id: str
    name: str
    secret_hash: str = field(repr=False)
    scopes: frozenset[str]
    enabled: bool


@dataclass(frozen=True, slots=True)
class SupportGrantRecord:
    id: int
    tenant: str
    grantee_id: int
    granted_by: int
    reason: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


_CLIENT_SELECT = """
    SELECT c.id, t.slug, t.status = 'active' AS tenant_active, c.client_id, c.name,
           c.secret_hash, c.scopes, c.enabled
      FROM nevguard.api_clients AS c JOIN nevguard.tenants AS t ON t.id = c.tenant_id"""
_GRANT_SELECT = """
    SELECT g.id, t.slug, g.grantee_id, g.granted_by, g.reason, g.created_at, g.expires_at,
           g.revoked_at
      FROM nevguard.support_grants AS g JOIN nevguard.tenants AS t ON t.id = g.tenant_id"""


def _client(row: asyncpg.Record) -> ApiClientRecord:
    return ApiClientRecord(row["id"], row["slug"], row["tenant_active"], row["client_id"],
                           row["name"], row["secret_hash"], frozenset(row["scopes"]),
                           row["enabled"])


def _grant(row: asyncpg.Record) -> SupportGrantRecord:
    return SupportGrantRecord(row["id"], row["slug"], row["grantee_id"], row["granted_by"],
                              row["reason"], row["created_at"], row["expires_at"],
                              row["revoked_at"])


async def insert_client(conn: Conn, *, tenant: str, client_id: str, name: str,
                        secret_hash: str, scopes: frozenset[str],
                        created_by: int) -> ApiClientRecord:
    try:
        await conn.execute(
            """INSERT INTO nevguard.api_clients (tenant_id, client_id, name, secret_hash, scopes,
                                                 created_by)
               VALUES ($1, $2, $3, $4, $5, $6)""",
            await tenant_id(conn, tenant), client_id, name, secret_hash, sorted(scopes),
            created_by)
    except asyncpg.UniqueViolationError:
        raise IdentityConflict(f"client id {client_id!r} is taken") from None
    rows = await conn.fetch(_CLIENT_SELECT + " WHERE c.client_id = $1", client_id)
    return _client(rows[0])


async def client_by_id(conn: Conn, client_id: str) -> ApiClientRecord | None:
    row = await conn.fetchrow(_CLIENT_SELECT + " WHERE c.client_id = $1", client_id)
    return None if row is None else _client(row)


async def set_client_enabled(conn: Conn, client_id: str, enabled: bool) -> None:
    await conn.execute("UPDATE nevguard.api_clients SET enabled = $2 WHERE client_id = $1",
                       client_id, enabled)


async def insert_grant(conn: Conn, *, tenant: str, grantee_id: int, granted_by: int,
                       reason: str, expires_at: datetime) -> SupportGrantRecord:
    grant_id = await conn.fetchval(
        """INSERT INTO nevguard.support_grants (tenant_id, grantee_id, granted_by, reason,
                                                expires_at)
           VALUES ($1, $2, $3, $4, $5) RETURNING id""",
        await tenant_id(conn, tenant), grantee_id, granted_by, reason, expires_at)
    rows = await conn.fetch(_GRANT_SELECT + " WHERE g.id = $1", grant_id)
    return _grant(rows[0])


async def grant_by_id(conn: Conn, grant_id: int) -> SupportGrantRecord | None:
    row = await conn.fetchrow(_GRANT_SELECT + " WHERE g.id = $1", grant_id)
    return None if row is None else _grant(row)


async def revoke_grant(conn: Conn, grant_id: int, revoked_by: int) -> bool:
    revoked = await conn.fetchval(
        """UPDATE nevguard.support_grants SET revoked_at = now(), revoked_by = $2
            WHERE id = $1 AND revoked_at IS NULL RETURNING id""", grant_id, revoked_by)
    return revoked is not None


async def active_grant_exists(conn: Conn, tenant: str, grantee_id: int) -> bool:
    return bool(await conn.fetchval(
        """SELECT EXISTS (
               SELECT FROM nevguard.support_grants AS g
                 JOIN nevguard.tenants AS t ON t.id = g.tenant_id
                WHERE t.slug = $1 AND g.grantee_id = $2 AND g.revoked_at IS NULL
                  AND g.expires_at > now())""", tenant, grantee_id))


async def grants_of_tenant(conn: Conn, tenant: str) -> list[SupportGrantRecord]:
    """Every grant the tenant made, newest first: tenants see who could look at their data."""
    rows = await conn.fetch(_GRANT_SELECT + " WHERE t.slug = $1 ORDER BY g.created_at DESC",
                            tenant)
    return [_grant(row) for row in rows]
