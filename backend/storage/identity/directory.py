"""A tenant's people and clients as its admins see them: paged listings and the few changes
admins make (role, invitation revocation). Every query is filtered by the tenant slug, so an
id of another tenant simply matches nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from backend.core.access import Role
from backend.storage.db import Conn
from backend.storage.identity.clients import ApiClientRecord, _client
from backend.storage.identity.users import InvitationRecord, _invitation


@dataclass(frozen=True, slots=True)
class UserSummary:
    """A user without any credential material."""

    id: int
    tenant: str | None
    email: str
    display_name: str
    role: Role
    disabled: bool
    totp_enrolled: bool
    locked_until: datetime | None
    created_at: datetime


_USERS = """
    SELECT u.id, t.slug, u.email, u.display_name, u.role, u.disabled,
           num_nonnulls(u.totp_secret, u.totp_secret_sealed) > 0 AS totp_enrolled,
           u.locked_until, u.created_at
      FROM nevguard.users AS u LEFT JOIN nevguard.tenants AS t ON t.id = u.tenant_id"""
_INVITATIONS = """
    SELECT i.id, t.slug, i.email, i.role, i.invited_by, i.expires_at, i.accepted_at,
           i.revoked_at
      FROM nevguard.invitations AS i JOIN nevguard.tenants AS t ON t.id = i.tenant_id"""
_CLIENTS = """
    SELECT c.id, t.slug, t.status = 'active' AS tenant_active, c.client_id, c.name,
           c.secret_hash, c.scopes, c.enabled
      FROM nevguard.api_clients AS c JOIN nevguard.tenants AS t ON t.id = c.tenant_id"""


def _summary(row: asyncpg.Record) -> UserSummary:
    return UserSummary(row["id"], row["slug"], row["email"], row["display_name"],
                       Role(row["role"]), row["disabled"], row["totp_enrolled"],
                       row["locked_until"], row["created_at"])


async def users_page(conn: Conn, tenant: str, *, after_id: int | None,
                     limit: int) -> list[UserSummary]:
    rows = await conn.fetch(_USERS + " WHERE t.slug = $1 AND ($2::bigint IS NULL OR u.id > $2)"
                            " ORDER BY u.id LIMIT $3", tenant, after_id, limit)
    return [_summary(row) for row in rows]


async def user_in_tenant(conn: Conn, tenant: str, user_id: int, *,
                         for_update: bool = False) -> UserSummary | None:
    lock = " FOR UPDATE OF u" if for_update else ""
    row = await conn.fetchrow(_USERS + " WHERE t.slug = $1 AND u.id = $2" + lock,
                              tenant, user_id)
    return None if row is None else _summary(row)


async def users_by_ids(conn: Conn, user_ids: list[int]) -> list[UserSummary]:
    rows = await conn.fetch(_USERS + " WHERE u.id = ANY($1::bigint[])", user_ids)
    return [_summary(row) for row in rows]


async def set_user_role(conn: Conn, user_id: int, role: Role) -> None:
    await conn.execute("UPDATE nevguard.users SET role = $2 WHERE id = $1", user_id, role.value)


async def pending_invitations_page(conn: Conn, tenant: str, *, after_id: int | None,
                                   limit: int) -> list[InvitationRecord]:
    """Invitations not yet accepted, revoked or expired, oldest first."""
    rows = await conn.fetch(
        _INVITATIONS + """ WHERE t.slug = $1 AND ($2::bigint IS NULL OR i.id > $2)
                             AND i.accepted_at IS NULL AND i.revoked_at IS NULL
                             AND i.expires_at > now()
                           ORDER BY i.id LIMIT $3""", tenant, after_id, limit)
    return [_invitation(row) for row in rows]


async def revoke_invitation(conn: Conn, tenant: str, invitation_id: int) -> bool:
    """False when there is no such open invitation in the tenant."""
    revoked = await conn.fetchval(
        """UPDATE nevguard.invitations AS i SET revoked_at = now()
             FROM nevguard.tenants AS t
            WHERE t.id = i.tenant_id AND t.slug = $1 AND i.id = $2
              AND i.accepted_at IS NULL AND i.revoked_at IS NULL
        RETURNING i.id""", tenant, invitation_id)
    return revoked is not None


async def clients_page(conn: Conn, tenant: str, *, after_id: int | None,
                       limit: int) -> list[ApiClientRecord]:
    rows = await conn.fetch(_CLIENTS + " WHERE t.slug = $1 AND ($2::bigint IS NULL OR c.id > $2)"
                            " ORDER BY c.id LIMIT $3", tenant, after_id, limit)
    return [_client(row) for row in rows]
