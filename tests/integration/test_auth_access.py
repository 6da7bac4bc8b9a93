"""Who may create whom, invitations, API clients with client credentials, key rotation and
support grants, including cross-tenant attempts, on the real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from backend.core.access import AccessDenied, Permission, Principal, Role
from backend.core.passwords import PasswordRejected
from backend.core.tokens import TokenUnknownKey
from backend.services import api_clients, auth, signing_keys, support, users
from backend.services.auth_errors import (
    InvalidClient,
    InvalidInvitation,
    InvalidRequest,
    InvalidScope,
    NotFound,
    SessionRevoked,
)
from backend.storage.identity import IdentityConflict
from backend.storage.tenants import provision_tenant
from tests.integration.auth_support import CONFIG, PASSWORD, email, make_user

pytestmark = pytest.mark.services


@pytest.fixture
async def tenants(db: asyncpg.Connection, fresh_slug: str) -> tuple[str, str]:
    await provision_tenant(db, fresh_slug + "a")
    await provision_tenant(db, fresh_slug + "b")
    return fresh_slug + "a", fresh_slug + "b"


async def test_who_may_create_whom(db: asyncpg.Connection, tenants: tuple[str, str]) -> None:
    a, b = tenants
    admin_a, _ = await make_user(db, Role.TENANT_ADMIN, a)
    viewer_a, _ = await make_user(db, Role.VIEWER, a)
    operator, _ = await make_user(db, Role.PLATFORM_OPERATOR, None)
    provider, _ = await make_user(db, Role.PLATFORM_ADMIN, None)
    refused: list[tuple[Principal, str | None, Role]] = [
        (admin_a, b, Role.VIEWER),  # another tenant
        (admin_a, None, Role.PLATFORM_OPERATOR),  # provider staff
        (viewer_a, a, Role.VIEWER),  # no users:manage
        (operator, a, Role.TENANT_ADMIN),  # operators do not make admins
        (provider, a, Role.VIEWER),  # provider makes only a tenant's admins
        (admin_a, a, Role.API_CLIENT),
    ]
    for actor, tenant, role in refused:
        with pytest.raises(AccessDenied):
            await users.create_user(db, CONFIG, actor, tenant=tenant, email=email(),
                                    role=role, password=PASSWORD)
    created = await users.create_user(db, CONFIG, admin_a, tenant=a, email=email(),
                                      role=Role.ANALYST, password=PASSWORD)
    assert created.user.tenant == a and created.totp_uri is None
    staff = await users.create_user(db, CONFIG, provider, tenant=None, email=email(),
                                    role=Role.PLATFORM_OPERATOR, password=PASSWORD)
    assert staff.user.tenant is None and staff.totp_uri is not None
    with pytest.raises(IdentityConflict):
        await users.create_user(db, CONFIG, admin_a, tenant=a, email=created.user.email.upper(),
                                role=Role.VIEWER, password=PASSWORD)
    address = email("kim")
    with pytest.raises(PasswordRejected) as caught:
        await users.create_user(db, CONFIG, admin_a, tenant=a, email=address,
                                role=Role.VIEWER, password="password1234")
    assert caught.value.code == "password.common"


async def test_invitation_is_accepted_once(db: asyncpg.Connection,
                                           tenants: tuple[str, str]) -> None:
    a, b = tenants
    admin_a, _ = await make_user(db, Role.TENANT_ADMIN, a)
    with pytest.raises(AccessDenied):
        await users.invite(db, admin_a, tenant=b, email=email(), role=Role.VIEWER)
    invitation = await users.invite(db, admin_a, tenant=a, email="New.Person@Example.TEST",
                                    role=Role.OPERATOR)
    assert invitation.record.email == "new.person@example.test"
    with pytest.raises(PasswordRejected):  # the policy applies; the invitation survives
        await users.accept_invitation(db, CONFIG, invitation.token, password="new.person-1234")
    created = await users.accept_invitation(db, CONFIG, invitation.token, password=PASSWORD)
    assert (created.user.tenant, created.user.role) == (a, Role.OPERATOR)
    for token in (invitation.token, "nvi_unknown"):
        with pytest.raises(InvalidInvitation):
            await users.accept_invitation(db, CONFIG, token, password=PASSWORD)
    assert await auth.login(db, CONFIG, created.user.email, PASSWORD)


async def test_api_client_credentials_and_scopes(db: asyncpg.Connection,
                                                 tenants: tuple[str, str]) -> None:
    a, b = tenants
    admin_a, _ = await make_user(db, Role.TENANT_ADMIN, a)
    admin_b, _ = await make_user(db, Role.TENANT_ADMIN, b)
    with pytest.raises(AccessDenied):
        await api_clients.create_client(db, admin_b, tenant=a, name="etl", scope="fleet:read")
    with pytest.raises(InvalidScope):
        await api_clients.create_client(db, admin_a, tenant=a, name="etl", scope="root")
    new = await api_clients.create_client(db, admin_a, tenant=a, name="OEM ETL",
                                          scope="fleet:read telemetry:read")
    client_id = new.client.client_id
    token = await api_clients.client_credentials_token(
        db, CONFIG, client_id=client_id, client_secret=new.secret, scope="fleet:read")
    assert token.scope == "fleet:read"
    principal = await auth.authenticate(db, CONFIG, token.access_token)
    assert (principal.role, principal.tenant, principal.scopes) == (
        Role.API_CLIENT, a, frozenset({"fleet:read"}))
    await support.authorize(db, principal, Permission.FLEET_READ, tenant=a)
    for permission, tenant in ((Permission.VEHICLE_HISTORY_READ, a),
                               (Permission.FLEET_READ, b), (Permission.USERS_MANAGE, a)):
        with pytest.raises(AccessDenied):
            await support.authorize(db, principal, permission, tenant=tenant)

    with pytest.raises(InvalidScope):
        await api_clients.client_credentials_token(
            db, CONFIG, client_id=client_id, client_secret=new.secret, scope="raw_frames:read")
    for cid, secret in ((client_id, new.secret + "x"), ("nobody-000000", new.secret)):
        with pytest.raises(InvalidClient):
            await api_clients.client_credentials_token(db, CONFIG, client_id=cid,
                                                       client_secret=secret)
    with pytest.raises(NotFound):
        await api_clients.set_client_enabled(db, admin_b, tenant=b, client_id=client_id,
                                             enabled=False)
    await api_clients.set_client_enabled(db, admin_a, tenant=a, client_id=client_id,
                                         enabled=False)
    with pytest.raises(SessionRevoked):
        await auth.authenticate(db, CONFIG, token.access_token)
    with pytest.raises(InvalidClient):
        await api_clients.client_credentials_token(db, CONFIG, client_id=client_id,
                                                   client_secret=new.secret)


async def test_key_rotation_keeps_old_tokens_valid(db: asyncpg.Connection,
                                                   tenants: tuple[str, str]) -> None:
    provider, _ = await make_user(db, Role.PLATFORM_ADMIN, None)
    admin_a, address = await make_user(db, Role.ANALYST, tenants[0])
    before = await auth.login(db, CONFIG, address, PASSWORD)
    with pytest.raises(AccessDenied):
        await signing_keys.rotate_signing_key(db, admin_a, CONFIG.keyring)
    kid = await signing_keys.rotate_signing_key(db, provider, CONFIG.keyring)
    after = await auth.login(db, CONFIG, address, PASSWORD)
    published = {key["kid"] for key in (await signing_keys.jwks_document(db))["keys"]}
    assert kid in published and len(published) >= 2
    assert all("d" not in key for key in (await signing_keys.jwks_document(db))["keys"])
    assert await auth.authenticate(db, CONFIG, before.access_token)
    assert await auth.authenticate(db, CONFIG, after.access_token)
    # Once the old key's grace period is over it is no longer published.
    await db.execute("UPDATE nevguard.signing_keys SET retired_at = now() "
                     "WHERE retired_at IS NOT NULL")
    with pytest.raises(TokenUnknownKey):
        await auth.authenticate(db, CONFIG, before.access_token)


async def test_support_grant_is_time_limited_read_only_and_revocable(
    db: asyncpg.Connection, tenants: tuple[str, str]
) -> None:
    a, b = tenants
    admin_a, _ = await make_user(db, Role.TENANT_ADMIN, a)
    admin_b, _ = await make_user(db, Role.TENANT_ADMIN, b)
    staff, staff_email = await make_user(db, Role.PLATFORM_OPERATOR, None)
    _, viewer_email = await make_user(db, Role.VIEWER, a)

    with pytest.raises(AccessDenied):
        await support.authorize(db, staff, Permission.FLEET_READ, tenant=a)
    with pytest.raises(NotFound):  # only provider staff can be granted access
        await support.grant_support(db, admin_a, tenant=a, grantee_email=viewer_email,
                                    reason="x", duration=timedelta(hours=1))
    with pytest.raises(AccessDenied):
        await support.grant_support(db, admin_b, tenant=a, grantee_email=staff_email,
                                    reason="ticket 7", duration=timedelta(hours=1))
    grant = await support.grant_support(db, admin_a, tenant=a, grantee_email=staff_email,
                                        reason="ticket 7", duration=timedelta(hours=2))
    assert [g.id for g in await support.support_grants(db, admin_a, tenant=a)] == [grant.id]
    await support.authorize(db, staff, Permission.FLEET_READ, tenant=a)
    await support.authorize(db, staff, Permission.RAW_FRAMES_READ, tenant=a)
    for permission, tenant in ((Permission.VEHICLES_WRITE, a), (Permission.USERS_MANAGE, a),
                               (Permission.FLEET_READ, b)):
        with pytest.raises(AccessDenied):
            await support.authorize(db, staff, permission, tenant=tenant)

    with pytest.raises(NotFound):
        await support.revoke_support(db, admin_b, tenant=b, grant_id=grant.id)
    assert await support.revoke_support(db, admin_a, tenant=a, grant_id=grant.id)
    with pytest.raises(AccessDenied):
        await support.authorize(db, staff, Permission.FLEET_READ, tenant=a)

    expiring = await support.grant_support(db, admin_a, tenant=a, grantee_email=staff_email,
                                           reason="ticket 8", duration=timedelta(hours=1))
    await support.authorize(db, staff, Permission.FLEET_READ, tenant=a)
    await db.execute("UPDATE nevguard.support_grants SET created_at = now() - interval '2 h', "
                     "expires_at = now() - interval '1 s' WHERE id = $1", expiring.id)
    with pytest.raises(AccessDenied):
        await support.authorize(db, staff, Permission.FLEET_READ, tenant=a)
    for duration in (timedelta(0), timedelta(days=8)):
        with pytest.raises(InvalidRequest):
            await support.grant_support(db, admin_a, tenant=a, grantee_email=staff_email,
                                        reason="too long", duration=duration)
