"""Login, lockout, TOTP, refresh rotation with reuse detection, logout and verification of
access tokens on the real PostgreSQL."""

from __future__ import annotations

import time
from dataclasses import replace

import asyncpg
import pytest

from backend.core.access import Principal, Role
from backend.core.tokens import TokenError
from backend.core.totp import hotp, time_step
from backend.services import auth
from backend.services.auth_errors import (
    AccountLocked,
    InvalidCredentials,
    InvalidRefreshToken,
    InvalidTotp,
    RefreshTokenReused,
    ReplayedTotp,
    SessionRevoked,
    TotpRequired,
)
from backend.services.users import create_user
from backend.storage.tenants import provision_tenant
from tests.integration.auth_support import CONFIG, PASSWORD, email, make_user, totp_secret

pytestmark = pytest.mark.services


@pytest.fixture
async def tenant(db: asyncpg.Connection, fresh_slug: str) -> str:
    await provision_tenant(db, fresh_slug)
    return fresh_slug


@pytest.fixture
async def viewer(db: asyncpg.Connection, tenant: str) -> tuple[Principal, str]:
    return await make_user(db, Role.VIEWER, tenant)


async def test_login_refresh_and_reuse_revokes_the_family(
    db: asyncpg.Connection, viewer: tuple[Principal, str]
) -> None:
    principal, address = viewer
    pair = await auth.login(db, CONFIG, address.upper(), PASSWORD,
                            client=auth.ClientInfo("pytest", "127.0.0.1"))
    assert pair.principal.subject == principal.subject and pair.principal.session_id
    assert 0 < pair.expires_in <= 300
    assert await auth.authenticate(db, CONFIG, pair.access_token) == pair.principal

    second = await auth.refresh(db, CONFIG, pair.refresh_token)
    assert second.refresh_token != pair.refresh_token
    assert second.principal.session_id == pair.principal.session_id
    assert await auth.authenticate(db, CONFIG, second.access_token) == pair.principal

    # The first refresh token comes back: a thief has a copy. The whole session ends.
    with pytest.raises(RefreshTokenReused) as caught:
        await auth.refresh(db, CONFIG, pair.refresh_token)
    assert caught.value.code == "auth.refresh_reused"
    with pytest.raises(InvalidRefreshToken):
        await auth.refresh(db, CONFIG, second.refresh_token)
    with pytest.raises(SessionRevoked):
        await auth.authenticate(db, CONFIG, second.access_token)
    reason = await db.fetchval("SELECT revoked_reason FROM nevguard.sessions WHERE id = $1::uuid",
                               pair.principal.session_id)
    assert reason == "refresh_reuse"


async def test_logout_really_revokes(db: asyncpg.Connection,
                                     viewer: tuple[Principal, str]) -> None:
    pair = await auth.login(db, CONFIG, viewer[1], PASSWORD)
    other = await auth.login(db, CONFIG, viewer[1], PASSWORD)
    assert await auth.logout(db, pair.principal)
    assert not await auth.logout(db, pair.principal)
    with pytest.raises(SessionRevoked):
        await auth.authenticate(db, CONFIG, pair.access_token)
    with pytest.raises(InvalidRefreshToken):
        await auth.refresh(db, CONFIG, pair.refresh_token)
    # Another device's session is untouched.
    assert await auth.authenticate(db, CONFIG, other.access_token)


async def test_unknown_user_and_wrong_password_look_alike(
    db: asyncpg.Connection, viewer: tuple[Principal, str]
) -> None:
    codes = set()
    for address, password in ((email("nobody"), PASSWORD), (viewer[1], "wrong-password-1")):
        with pytest.raises(InvalidCredentials) as caught:
            await auth.login(db, CONFIG, address, password)
        codes.add(str(caught.value))
    assert len(codes) == 1


async def test_lockout_after_repeated_failures(db: asyncpg.Connection,
                                               viewer: tuple[Principal, str]) -> None:
    address = viewer[1]
    for _ in range(CONFIG.lockout.free_attempts):
        with pytest.raises(InvalidCredentials):
            await auth.login(db, CONFIG, address, "not-the-password")
    with pytest.raises(AccountLocked) as caught:
        await auth.login(db, CONFIG, address, PASSWORD)
    assert caught.value.code == "auth.locked"
    row = await db.fetchrow("SELECT failed_attempts, locked_until - now() AS left "
                            "FROM nevguard.users WHERE email = $1", address)
    assert row["failed_attempts"] == 5 and 50 < row["left"].total_seconds() <= 60
    # Once the lock has passed, the right password works and the count resets.
    await db.execute("UPDATE nevguard.users SET locked_until = now() - interval '1 second' "
                     "WHERE email = $1", address)
    await auth.login(db, CONFIG, address, PASSWORD)
    assert await db.fetchval("SELECT failed_attempts FROM nevguard.users WHERE email = $1",
                             address) == 0


async def test_tenant_admin_needs_totp_and_codes_do_not_replay(
    db: asyncpg.Connection, tenant: str
) -> None:
    admin, _ = await make_user(db, Role.PLATFORM_ADMIN, None)
    address = email("admin")
    created = await create_user(db, CONFIG, admin, tenant=tenant, email=address,
                                role=Role.TENANT_ADMIN, password=PASSWORD)
    assert created.user.totp_required and created.totp_uri is not None
    secret = totp_secret(created.totp_uri)

    with pytest.raises(TotpRequired):
        await auth.login(db, CONFIG, address, PASSWORD)
    step = time_step(time.time())
    window = {hotp(secret, step + offset) for offset in (-1, 0, 1, 2)}
    wrong = next(code for code in ("000000", "111111", "222222", "333333") if code not in window)
    with pytest.raises(InvalidTotp):
        await auth.login(db, CONFIG, address, PASSWORD, totp_code=wrong)
    with pytest.raises(InvalidTotp):
        await auth.login(db, CONFIG, address, PASSWORD, totp_code="12ab56")
    code = hotp(secret, time_step(time.time()))
    pair = await auth.login(db, CONFIG, address, PASSWORD, totp_code=code)
    assert pair.principal.role is Role.TENANT_ADMIN and pair.principal.tenant == tenant
    with pytest.raises(ReplayedTotp):
        await auth.login(db, CONFIG, address, PASSWORD, totp_code=code)


async def test_tampered_foreign_and_expired_tokens(
    db: asyncpg.Connection, viewer: tuple[Principal, str]
) -> None:
    pair = await auth.login(db, CONFIG, viewer[1], PASSWORD)
    header, body, signature = pair.access_token.split(".")
    for token in (f"{header}.{body}x.{signature}", f"{header}.{body}.", "garbage",
                  f"eyJhbGciOiJub25lIn0.{body}.{signature}"):
        with pytest.raises(TokenError):
            await auth.authenticate(db, CONFIG, token)
    with pytest.raises(TokenError) as caught:
        await auth.authenticate(db, replace(CONFIG, audience="other"), pair.access_token)
    assert caught.value.code == "token.audience"
    with pytest.raises(TokenError) as caught:
        await auth.authenticate(db, replace(CONFIG, issuer="https://evil"), pair.access_token)
    assert caught.value.code == "token.issuer"
    with pytest.raises(TokenError) as caught:
        await auth.authenticate(db, CONFIG, pair.access_token, now=int(time.time()) + 400)
    assert caught.value.code == "token.expired"


async def test_disabled_user_role_change_and_suspended_tenant_end_sessions(
    db: asyncpg.Connection, tenant: str
) -> None:
    tokens = []
    for _ in range(3):
        _, address = await make_user(db, Role.OPERATOR, tenant)
        tokens.append((address, (await auth.login(db, CONFIG, address, PASSWORD)).access_token))
    await db.execute("UPDATE nevguard.users SET disabled = true WHERE email = $1", tokens[0][0])
    await db.execute("UPDATE nevguard.users SET role = 'viewer' WHERE email = $1", tokens[1][0])
    assert await auth.authenticate(db, CONFIG, tokens[2][1])
    await db.execute("UPDATE nevguard.tenants SET status = 'suspended' WHERE slug = $1", tenant)
    for address, token in tokens:
        with pytest.raises(SessionRevoked):
            await auth.authenticate(db, CONFIG, token)
        with pytest.raises(InvalidCredentials):
            await auth.login(db, CONFIG, address, PASSWORD)
