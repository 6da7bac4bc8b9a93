"""Sessions: password (+ TOTP) login, refresh-token rotation with reuse detection, logout,
and access-token verification (docs/auth.md).

Failures that change state (a failed attempt counted, a family revoked for reuse) are written
in the transaction and the error is raised after it commits; raising inside would roll the
evidence back.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from backend.core.access import Principal, Role
from backend.core.passwords import MAX_LENGTH, normalize_password
from backend.core.tokens import AccessClaims, TokenClaims, verify_access_token
from backend.core.totp import TotpError, TotpReplayed, verify_totp
from backend.services.auth_common import (
    AuthConfig,
    mint_access_token,
    new_opaque_token,
    token_hash,
    user_principal,
    verify_secret,
)
from backend.services.auth_errors import (
    AccountLocked,
    AuthError,
    InvalidCredentials,
    InvalidRefreshToken,
    InvalidTotp,
    RefreshTokenReused,
    ReplayedTotp,
    SessionRevoked,
    TotpEnrollmentRequired,
    TotpRequired,
)
from backend.storage.db import Conn, Pool
from backend.storage.identity import keys as key_store
from backend.storage.identity import sessions, shared_tx, users
from backend.storage.identity.clients import client_by_id
from backend.storage.identity.users import UserRecord

REFRESH_PREFIX = "nvr_"


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds until the access token expires
    principal: Principal


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """Where a login or refresh came from, kept on the session for the user's device list."""

    user_agent: str | None = None
    ip: str | None = None


async def login(db: Conn | Pool, config: AuthConfig, email: str, password: str, *,
                totp_code: str | None = None, client: ClientInfo | None = None) -> TokenPair:
    now = datetime.now(UTC)
    # An over-long password cannot be right and must not cost an argon2 run of that length.
    candidate = normalize_password(password)[:MAX_LENGTH + 1]
    outcome: TokenPair | AuthError
    async with shared_tx(db) as conn:
        user = await users.user_by_email(conn, email.strip().lower(), for_update=True)
        if user is not None and user.locked_until is not None and user.locked_until > now:
            outcome = AccountLocked(user.locked_until)
        else:
            checked = await _check_login(conn, config, user, candidate, totp_code=totp_code,
                                         now=now)
            outcome = checked if isinstance(checked, AuthError) else \
                await _open_session(conn, config, checked, client or ClientInfo())
    if isinstance(outcome, AuthError):
        raise outcome
    return outcome


async def _check_login(conn: Conn, config: AuthConfig, user: UserRecord | None,
                       password: str, *, totp_code: str | None,
                       now: datetime) -> UserRecord | AuthError:
    matches = await verify_secret(None if user is None else user.password_hash, password)
    if user is None:
        return InvalidCredentials("wrong e-mail or password")
    if not matches:
        await _fail(conn, config, user, now)
        return InvalidCredentials("wrong e-mail or password")
    if user.disabled or not user.tenant_active:
        return InvalidCredentials("wrong e-mail or password")
    if not user.totp_required and user.totp_secret is None:
        await users.record_success(conn, user.id)
        return user
    if user.totp_secret is None:
        return TotpEnrollmentRequired("this account needs an authenticator")
    if totp_code is None:
        return TotpRequired("enter the code from the authenticator")
    try:
        step = verify_totp(user.totp_secret.reveal(config.keyring), totp_code, now,
                           last_used_step=user.last_totp_step)
    except TotpReplayed:
        await _fail(conn, config, user, now)
        return ReplayedTotp("code already used")
    except TotpError:
        await _fail(conn, config, user, now)
        return InvalidTotp("wrong code")
    if not await users.spend_totp_step(conn, user.id, step):
        return ReplayedTotp("code already used")
    await users.record_success(conn, user.id)
    return user


async def _fail(conn: Conn, config: AuthConfig, user: UserRecord, now: datetime) -> None:
    await users.record_failure(
        conn, user.id, config.lockout.locked_until(user.failed_attempts + 1, now))


async def _open_session(conn: Conn, config: AuthConfig, user: UserRecord,
                        client: ClientInfo) -> TokenPair:
    session_id = uuid.uuid4()
    expires_at = datetime.now(UTC) + config.refresh_token_ttl
    await sessions.insert_session(conn, session_id=session_id, user_id=user.id,
                                  expires_at=expires_at, user_agent=client.user_agent,
                                  ip=client.ip)
    return await _issue(conn, config, user, session_id=session_id, parent_id=None,
                        expires_at=expires_at, client=client)


async def _issue(conn: Conn, config: AuthConfig, user: UserRecord, *, session_id: uuid.UUID,
                 parent_id: int | None, expires_at: datetime, client: ClientInfo) -> TokenPair:
    # A refresh token never outlives its session: the session lifetime is absolute.
    refresh = new_opaque_token(REFRESH_PREFIX)
    await sessions.insert_refresh_token(conn, token_hash=token_hash(refresh),
                                        family_id=session_id, parent_id=parent_id,
                                        expires_at=expires_at, user_agent=client.user_agent,
                                        ip=client.ip)
    principal = user_principal(user, str(session_id))
    access, claims = await mint_access_token(conn, config, principal)
    return TokenPair(access, refresh, claims.expires_at - claims.issued_at, principal)


async def refresh(db: Conn | Pool, config: AuthConfig, refresh_token: str, *,
                  client: ClientInfo | None = None) -> TokenPair:
    """Exchange a refresh token for a new pair. The old one is spent; presenting a spent one
    again means two parties hold it, and the whole session is revoked (RFC 9700 §4.14.2)."""
    now = datetime.now(UTC)
    outcome: TokenPair | AuthError
    async with shared_tx(db) as conn:
        record = await sessions.refresh_token_by_hash(conn, token_hash(refresh_token))
        user = None if record is None else await users.user_by_id(conn, record.user_id)
        if record is None or user is None:
            outcome = InvalidRefreshToken("unknown refresh token")
        elif record.revoked_at is not None or record.session_revoked_at is not None:
            outcome = InvalidRefreshToken("session ended")
        elif record.rotated_at is not None:
            await sessions.revoke_session(conn, record.family_id, "refresh_reuse")
            outcome = RefreshTokenReused("refresh token used twice; session revoked")
        elif record.expires_at <= now or record.session_expires_at <= now:
            outcome = InvalidRefreshToken("session expired")
        elif user.disabled or not user.tenant_active:
            await sessions.revoke_session(conn, record.family_id, "account_disabled")
            outcome = InvalidRefreshToken("session ended")
        else:
            await sessions.mark_rotated(conn, record.id)
            outcome = await _issue(conn, config, user, session_id=record.family_id,
                                   parent_id=record.id, expires_at=record.session_expires_at,
                                   client=client or ClientInfo())
    if isinstance(outcome, AuthError):
        raise outcome
    return outcome


async def logout(db: Conn | Pool, principal: Principal) -> bool:
    """End the principal's session: its refresh tokens stop working at once and its access
    tokens at their next verification. False when it had ended already."""
    if principal.session_id is None:
        return False
    async with shared_tx(db) as conn:
        return await sessions.revoke_session(conn, uuid.UUID(principal.session_id), "logout")


async def authenticate(db: Conn | Pool, config: AuthConfig, token: str, *,
                       now: int | None = None) -> Principal:
    """The principal behind a bearer access token, or TokenError / SessionRevoked. Beyond the
    signature and claims, the session (users) or the client (API clients) must still be
    alive, and the role in the token must still be the user's role."""
    return (await verified_claims(db, config, token, now=now)).principal()


async def verified_claims(db: Conn | Pool, config: AuthConfig, token: str, *,
                          now: int | None = None) -> AccessClaims:
    """``authenticate``, keeping the claims: a running subscription needs the expiry."""
    async with shared_tx(db) as conn:
        keys = await key_store.published_keys(conn)
        claims = verify_access_token(token, keys, issuer=config.issuer,
                                     audience=config.audience,
                                     now=int(time.time()) if now is None else now)
        if claims.role is Role.API_CLIENT:
            record = await client_by_id(conn, claims.subject.partition(":")[2])
            alive = record is not None and record.enabled and record.tenant_active and \
                record.tenant == claims.tenant
        else:
            alive = await _session_alive(conn, claims.session_id, claims.subject, claims.role)
    if not alive:
        raise SessionRevoked("session or client no longer valid")
    return claims


async def _session_alive(conn: Conn, session_id: str | None, subject: str,
                         role: Role) -> bool:
    user_id = subject.partition(":")[2]
    try:
        session = uuid.UUID(str(session_id))
    except ValueError:
        raise TokenClaims("bad session id") from None
    if not user_id.isdigit():
        raise TokenClaims("bad subject")
    return await sessions.session_alive(conn, session, int(user_id), role.value)
