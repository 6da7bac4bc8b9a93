"""Sessions (one per login) and their rotating refresh tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from backend.storage.db import Conn


@dataclass(frozen=True, slots=True)
class RefreshTokenRecord:
    id: int
    family_id: uuid.UUID
    user_id: int
    expires_at: datetime
    rotated_at: datetime | None
    revoked_at: datetime | None
    session_expires_at: datetime
    session_revoked_at: datetime | None


async def insert_session(conn: Conn, *, session_id: uuid.UUID, user_id: int,
                         expires_at: datetime, user_agent: str | None,
                         ip: str | None) -> None:
    await conn.execute(
        """INSERT INTO nevguard.sessions (id, user_id, expires_at, user_agent, ip)
           VALUES ($1, $2, $3, $4, $5::inet)""",
        session_id, user_id, expires_at, user_agent, ip)


async def insert_refresh_token(conn: Conn, *, token_hash: bytes, family_id: uuid.UUID,
                               parent_id: int | None, expires_at: datetime,
                               user_agent: str | None, ip: str | None) -> int:
    token_id: int = await conn.fetchval(
        """INSERT INTO nevguard.refresh_tokens (token_hash, family_id, parent_id, expires_at,
                                                user_agent, ip)
           VALUES ($1, $2, $3, $4, $5, $6::inet) RETURNING id""",
        token_hash, family_id, parent_id, expires_at, user_agent, ip)
    return token_id


async def refresh_token_by_hash(conn: Conn, token_hash: bytes) -> RefreshTokenRecord | None:
    """The token with its session, both rows locked: two refreshes racing with one token
    take turns, and the second sees the first one's rotation (reuse)."""
    row = await conn.fetchrow(
        """SELECT r.id, r.family_id, s.user_id, r.expires_at, r.rotated_at, r.revoked_at,
                  s.expires_at AS session_expires_at, s.revoked_at AS session_revoked_at
             FROM nevguard.refresh_tokens AS r
             JOIN nevguard.sessions AS s ON s.id = r.family_id
            WHERE r.token_hash = $1
              FOR UPDATE""", token_hash)
    if row is None:
        return None
    return RefreshTokenRecord(row["id"], row["family_id"], row["user_id"], row["expires_at"],
                              row["rotated_at"], row["revoked_at"], row["session_expires_at"],
                              row["session_revoked_at"])


async def mark_rotated(conn: Conn, token_id: int) -> None:
    await conn.execute("UPDATE nevguard.refresh_tokens SET rotated_at = now() WHERE id = $1",
                       token_id)


async def revoke_session(conn: Conn, session_id: uuid.UUID, reason: str) -> bool:
    """Revoke the session and every refresh token of its family; False when it was already
    revoked (the first reason is kept)."""
    revoked = await conn.fetchval(
        """UPDATE nevguard.sessions SET revoked_at = now(), revoked_reason = $2
            WHERE id = $1 AND revoked_at IS NULL RETURNING id""", session_id, reason)
    await conn.execute(
        """UPDATE nevguard.refresh_tokens SET revoked_at = now()
            WHERE family_id = $1 AND revoked_at IS NULL""", session_id)
    return revoked is not None


async def revoke_user_sessions(conn: Conn, user_id: int, reason: str) -> int:
    ids = await conn.fetch(
        """SELECT id FROM nevguard.sessions WHERE user_id = $1 AND revoked_at IS NULL""",
        user_id)
    for row in ids:
        await revoke_session(conn, row["id"], reason)
    return len(ids)


async def session_alive(conn: Conn, session_id: uuid.UUID, user_id: int, role: str) -> bool:
    """Whether access tokens of this session may still be honoured: not revoked or expired,
    its user enabled and still in ``role``, and the user's tenant (if any) not suspended."""
    alive = await conn.fetchval(
        """SELECT s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled
                  AND coalesce(t.status = 'active', true)
             FROM nevguard.sessions AS s
             JOIN nevguard.users AS u ON u.id = s.user_id
             LEFT JOIN nevguard.tenants AS t ON t.id = u.tenant_id
            WHERE s.id = $1 AND s.user_id = $2 AND u.role = $3""", session_id, user_id, role)
    return bool(alive)
