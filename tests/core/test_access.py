"""The role x permission matrix, tenant confinement, support grants and API client scopes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.access import (
    PLATFORM_PERMISSIONS,
    PROVIDER_ROLES,
    ROLE_PERMISSIONS,
    SCOPES,
    SUPPORT_PERMISSIONS,
    TENANT_PERMISSIONS,
    TENANT_USER_ROLES,
    AccessDenied,
    Permission,
    Principal,
    Role,
    UnknownScope,
    allowed,
    assignable_roles,
    check,
    is_provider_role,
    parse_scope,
    scope_permissions,
    totp_required,
)

P = Permission
R = Role

# The expected matrix, written out independently of the map in access.py: one row per role,
# the permissions it holds in its own tenant (or on the platform for provider roles).
_VIEW = {P.VEHICLE_MODELS_READ, P.VEHICLES_READ, P.FLEET_READ, P.VEHICLE_STATE_READ,
         P.ALARMS_READ}
EXPECTED: dict[Role, set[Permission]] = {
    R.PLATFORM_ADMIN: {P.TENANTS_READ, P.TENANTS_MANAGE, P.TENANTS_SUSPEND, P.TENANTS_QUOTAS,
                       P.TENANT_ADMINS_MANAGE, P.PROVIDER_STAFF_MANAGE, P.PLATFORM_ACCOUNTS_READ,
                       P.PLATFORM_ACCOUNTS_MANAGE, P.PLATFORM_HEALTH_READ, P.PLATFORM_AUDIT_READ,
                       P.SIGNING_KEYS_ROTATE},
    R.PLATFORM_OPERATOR: {P.TENANTS_READ, P.PLATFORM_ACCOUNTS_READ, P.PLATFORM_HEALTH_READ},
    R.TENANT_ADMIN: set(Permission) - set(PLATFORM_PERMISSIONS),
    R.SAFETY_ENGINEER: _VIEW | {P.VEHICLE_HISTORY_READ, P.SESSIONS_READ, P.RAW_FRAMES_READ,
                                P.ALARMS_ACK, P.ALARMS_DISPOSE, P.ALARMS_CONFIGURE,
                                P.EXPORTS_CREATE, P.EXPORTS_READ},
    R.OPERATOR: _VIEW | {P.VEHICLE_HISTORY_READ, P.SESSIONS_READ, P.ALARMS_ACK,
                         P.ALARMS_DISPOSE},
    R.ANALYST: _VIEW | {P.VEHICLE_HISTORY_READ, P.SESSIONS_READ, P.EXPORTS_CREATE,
                        P.EXPORTS_READ},
    R.VIEWER: _VIEW,
    R.API_CLIENT: {P.VEHICLE_MODELS_READ, P.VEHICLES_READ, P.FLEET_READ, P.VEHICLE_STATE_READ,
                   P.VEHICLE_HISTORY_READ, P.SESSIONS_READ, P.RAW_FRAMES_READ,
                   P.VEHICLE_MODELS_WRITE, P.VEHICLES_WRITE, P.VEHICLES_IMPORT, P.ALARMS_READ,
                   P.ALARMS_ACK, P.ALARMS_DISPOSE, P.EXPORTS_CREATE, P.EXPORTS_READ},
}


def _actor(role: Role, tenant: str | None = "acme", scopes: frozenset[str] | None = None
           ) -> Principal:
    if is_provider_role(role):
        tenant = None
    if role is R.API_CLIENT and scopes is None:
        scopes = frozenset(SCOPES)
    return Principal(f"user:{role.value}", role, tenant, scopes)


def test_every_role_has_an_expected_row() -> None:
    assert set(EXPECTED) == set(Role) == set(ROLE_PERMISSIONS)
    for role in Role:
        assert ROLE_PERMISSIONS[role] == EXPECTED[role], role


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_role_by_permission_matrix(role: Role, permission: Permission) -> None:
    actor = _actor(role)
    tenant = None if permission in PLATFORM_PERMISSIONS else "acme"
    expected = permission in EXPECTED[role]
    assert allowed(actor, permission, tenant=tenant) is expected
    if not expected:
        with pytest.raises(AccessDenied) as caught:
            check(actor, permission, tenant=tenant)
        assert caught.value.code == "access.denied"
        assert caught.value.permission is permission


def test_provider_roles_hold_no_tenant_permission() -> None:
    for role in PROVIDER_ROLES:
        assert not ROLE_PERMISSIONS[role] & TENANT_PERMISSIONS


@pytest.mark.parametrize("role", sorted(TENANT_USER_ROLES | {R.API_CLIENT}))
@pytest.mark.parametrize("permission", sorted(TENANT_PERMISSIONS))
def test_tenant_actors_never_reach_another_tenant(role: Role, permission: Permission) -> None:
    with pytest.raises(AccessDenied) as caught:
        check(_actor(role, "acme"), permission, tenant="other")
    assert caught.value.reason == "cross-tenant access" or permission not in EXPECTED[role]


@pytest.mark.parametrize("role", sorted(TENANT_USER_ROLES))
def test_tenant_actors_hold_no_platform_permission(role: Role) -> None:
    for permission in PLATFORM_PERMISSIONS:
        assert not allowed(_actor(role), permission)


@pytest.mark.parametrize("role", sorted(PROVIDER_ROLES))
@pytest.mark.parametrize("permission", sorted(TENANT_PERMISSIONS))
def test_provider_staff_see_tenant_data_only_through_a_read_only_grant(
    role: Role, permission: Permission
) -> None:
    actor = _actor(role)
    assert not allowed(actor, permission, tenant="acme")
    granted = allowed(actor, permission, tenant="acme", support_granted=True)
    assert granted is (permission in SUPPORT_PERMISSIONS)


def test_support_permissions_only_read() -> None:
    assert all(p.value.endswith(":read") for p in SUPPORT_PERMISSIONS)


def test_tenant_permission_without_tenant_is_denied() -> None:
    with pytest.raises(AccessDenied, match="without a tenant"):
        check(_actor(R.TENANT_ADMIN), P.USERS_MANAGE)


def test_api_client_is_limited_by_its_scopes() -> None:
    client = _actor(R.API_CLIENT, scopes=frozenset({"fleet:read"}))
    assert allowed(client, P.FLEET_READ, tenant="acme")
    with pytest.raises(AccessDenied) as caught:
        check(client, P.VEHICLE_HISTORY_READ, tenant="acme")
    assert caught.value.reason == "token scopes lack the permission"
    # No scope ever reaches tenant administration.
    assert not allowed(_actor(R.API_CLIENT), P.USERS_MANAGE, tenant="acme")


@given(st.sets(st.sampled_from(sorted(SCOPES))))
def test_scopes_carry_exactly_their_permissions(scopes: set[str]) -> None:
    client = _actor(R.API_CLIENT, scopes=frozenset(scopes))
    assert client.permissions == scope_permissions(scopes)
    assert client.permissions <= ROLE_PERMISSIONS[R.API_CLIENT]


def test_scope_parsing() -> None:
    assert parse_scope("fleet:read  alarms:read") == {"fleet:read", "alarms:read"}
    assert parse_scope("") == frozenset()
    with pytest.raises(UnknownScope) as caught:
        parse_scope("fleet:read admin")
    assert caught.value.code == "access.unknown_scope"


def test_assignable_roles() -> None:
    admin = _actor(R.PLATFORM_ADMIN)
    assert assignable_roles(admin, tenant=None) == PROVIDER_ROLES
    assert assignable_roles(admin, tenant="acme") == {R.TENANT_ADMIN}
    assert assignable_roles(_actor(R.PLATFORM_OPERATOR), tenant="acme") == frozenset()
    tenant_admin = _actor(R.TENANT_ADMIN, "acme")
    assert assignable_roles(tenant_admin, tenant="acme") == TENANT_USER_ROLES
    assert assignable_roles(tenant_admin, tenant="other") == frozenset()
    assert assignable_roles(tenant_admin, tenant=None) == frozenset()
    assert assignable_roles(_actor(R.VIEWER), tenant="acme") == frozenset()


def test_second_factor_roles() -> None:
    assert {role for role in Role if totp_required(role)} == {
        R.PLATFORM_ADMIN, R.PLATFORM_OPERATOR, R.TENANT_ADMIN}
