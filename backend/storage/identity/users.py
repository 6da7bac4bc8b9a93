"""Users and invitations."""

# ruff: noqa: S608 - queries are joined from this module's constants; every value is bound.
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import asyncpg

from backend.core.access import Role
from backend.core.sealed_secrets import Keyring, StoredSecret, require_keyring
from backend.storage.db import Conn
from backend.storage.errors import UnknownTenant
from backend.storage.identity import IdentityConflict


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    tenant: str | None  # slug; None for provider staff
    tenant_active: bool
    email: str
    display_name: str
    role: Role
    password_hash: str = field(repr=False)
    totp_secret: StoredSecret | None = field(repr=False)
    totp_required: bool
    last_totp_step: int | None
    failed_attempts: int
    locked_until: datetime | None
    disabled: bool


@dataclass(frozen=True, slots=True)
class InvitationRecord:
    id: int
    tenant: str | None
    email: str
    role: Role
    invited_by: int
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


_USER_COLUMNS = """
    u.id, t.slug, coalesce(t.status = 'active', true) AS tenant_active, u.email, u.display_name,
    u.role, u.password_hash, u.totp_secret, u.totp_secret_sealed, u.totp_required,
    u.last_totp_step,
    u.failed_attempts, u.locked_until, u.disabled"""
_WITH_TENANT = " LEFT JOIN nevguard.tenants AS t ON t.id = u.tenant_id"
_USER_SELECT = "SELECT" + _USER_COLUMNS + " FROM nevguard.users AS u" + _WITH_TENANT
_INVITATION_COLUMNS = """
    i.id, t.slug, i.email, i.role, i.invited_by, i.expires_at, i.accepted_at, i.revoked_at
    FROM {source} AS i LEFT JOIN nevguard.tenants AS t ON t.id = i.tenant_id"""
_INVITATION_SELECT = "SELECT" + _INVITATION_COLUMNS.format(source="nevguard.invitations")


def totp_context(user_id: int) -> str:
    """What a sealed TOTP key is bound to: its column and its user (docs/auth.md)."""
    return f"nevguard.users.totp_secret:{user_id}"


def _totp(row: asyncpg.Record) -> StoredSecret | None:
    context = totp_context(row["id"])
    if row["totp_secret_sealed"] is not None:
        return StoredSecret(row["totp_secret_sealed"], sealed=True, context=context)
    if row["totp_secret"] is not None:
        return StoredSecret(row["totp_secret"], sealed=False, context=context)
    return None


def _user(row: asyncpg.Record) -> UserRecord:
    return UserRecord(
        id=row["id"], tenant=row["slug"], tenant_active=row["tenant_active"],
        email=row["email"], display_name=row["display_name"], role=Role(row["role"]),
        password_hash=row["password_hash"], totp_secret=_totp(row),
        totp_required=row["totp_required"], last_totp_step=row["last_totp_step"],
        failed_attempts=row["failed_attempts"], locked_until=row["locked_until"],
        disabled=row["disabled"],
    )


def _invitation(row: asyncpg.Record) -> InvitationRecord:
    return InvitationRecord(row["id"], row["slug"], row["email"], Role(row["role"]),
                            row["invited_by"], row["expires_at"], row["accepted_at"],
                            row["revoked_at"])


async def tenant_id(conn: Conn, slug: str | None) -> int | None:
    """The tenant's id (None for provider staff); an unknown slug raises UnknownTenant."""
    if slug is None:
        return None
    found: int | None = await conn.fetchval("SELECT id FROM nevguard.tenants WHERE slug = $1",
                                            slug)
    if found is None:
        raise UnknownTenant(slug)
    return found


async def insert_user(conn: Conn, *, tenant: str | None, email: str, role: Role,
                      password_hash: str, display_name: str = "",
                      totp_required: bool) -> UserRecord:
    try:
        # fetch()[0]: INSERT ... RETURNING yields exactly one row or raises.
        rows = await conn.fetch(
            """WITH u AS (
                   INSERT INTO nevguard.users (tenant_id, email, display_name, role,
                                               password_hash, totp_required)
                   VALUES ($1, $2, $3, $4, $5, $6) RETURNING *)
               SELECT""" + _USER_COLUMNS + " FROM u" + _WITH_TENANT,
            await tenant_id(conn, tenant), email, display_name, role.value, password_hash,
            totp_required)
    except asyncpg.UniqueViolationError:
        raise IdentityConflict(f"a user with e-mail {email!r} exists") from None
    return _user(rows[0])


async def user_by_id(conn: Conn, user_id: int, *, for_update: bool = False) -> UserRecord | None:
    lock = " FOR UPDATE OF u" if for_update else ""
    row = await conn.fetchrow(_USER_SELECT + " WHERE u.id = $1" + lock, user_id)
    return None if row is None else _user(row)


async def user_by_email(conn: Conn, email: str, *, for_update: bool = False
                        ) -> UserRecord | None:
    # The row lock serializes concurrent guesses on one account, so the failure count and
    # the lockout cannot be raced past.
    lock = " FOR UPDATE OF u" if for_update else ""
    row = await conn.fetchrow(_USER_SELECT + " WHERE u.email = $1" + lock, email)
    return None if row is None else _user(row)


async def record_failure(conn: Conn, user_id: int, locked_until: datetime | None) -> None:
    await conn.execute(
        """UPDATE nevguard.users
              SET failed_attempts = failed_attempts + 1,
                  locked_until = coalesce($2, locked_until)
            WHERE id = $1""", user_id, locked_until)


async def record_success(conn: Conn, user_id: int) -> None:
    await conn.execute(
        "UPDATE nevguard.users SET failed_attempts = 0, locked_until = NULL WHERE id = $1",
        user_id)


async def spend_totp_step(conn: Conn, user_id: int, step: int) -> bool:
    """Move ``last_totp_step`` forward; False when this step or a later one was used already
    (a concurrent login with the same code loses here)."""
    updated = await conn.fetchval(
        """UPDATE nevguard.users SET last_totp_step = $2
            WHERE id = $1 AND (last_totp_step IS NULL OR last_totp_step < $2)
        RETURNING id""", user_id, step)
    return updated is not None


async def set_totp_secret(conn: Conn, user_id: int, secret: bytes | None,
                          keyring: Keyring | None) -> None:
    """Store the key sealed under the keyring's active KEK (None removes it)."""
    sealed = None if secret is None else require_keyring(keyring).seal(secret,
                                                                      totp_context(user_id))
    await conn.execute(
        """UPDATE nevguard.users SET totp_secret = NULL, totp_secret_sealed = $2,
                  last_totp_step = NULL
            WHERE id = $1""", user_id, sealed)


async def set_disabled(conn: Conn, user_id: int, disabled: bool) -> None:
    await conn.execute("UPDATE nevguard.users SET disabled = $2 WHERE id = $1", user_id, disabled)


async def insert_invitation(conn: Conn, *, tenant: str | None, email: str, role: Role,
                            token_hash: bytes, invited_by: int,
                            expires_at: datetime) -> InvitationRecord:
    rows = await conn.fetch(
        """WITH inserted AS (
               INSERT INTO nevguard.invitations (tenant_id, email, role, token_hash, invited_by,
                                                 expires_at)
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING *)
           SELECT""" + _INVITATION_COLUMNS.format(source="inserted"),
        await tenant_id(conn, tenant), email, role.value, token_hash, invited_by, expires_at)
    return _invitation(rows[0])


async def invitation_by_token_hash(conn: Conn, token_hash: bytes) -> InvitationRecord | None:
    row = await conn.fetchrow(_INVITATION_SELECT + " WHERE i.token_hash = $1 FOR UPDATE OF i",
                              token_hash)
    return None if row is None else _invitation(row)


async def mark_invitation_accepted(conn: Conn, invitation_id: int) -> None:
    await conn.execute("UPDATE nevguard.invitations SET accepted_at = now() WHERE id = $1",
                       invitation_id)
