"""Roles, permissions and the access decision: the one permission enum every GraphQL field,
mutation and service checks against (issue 4).

Permissions come in two kinds. Platform permissions act on the provider's own objects (tenants,
platform accounts, health, the platform audit log). Tenant permissions act inside one tenant and
are only ever granted for the actor's own tenant. Provider roles hold no tenant data permission
at all: provider staff see a tenant's data only through a time-limited support grant made by that
tenant's admin, and then only what SUPPORT_PERMISSIONS lists (read-only).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar, Final


class Permission(enum.StrEnum):
    # Provider side.
    TENANTS_READ = "tenants:read"
    TENANTS_MANAGE = "tenants:manage"  # create (provisions the schema), rename
    TENANTS_SUSPEND = "tenants:suspend"  # suspend and resume
    TENANTS_QUOTAS = "tenants:quotas"
    TENANT_ADMINS_MANAGE = "tenant_admins:manage"  # the first admin of a new tenant
    PROVIDER_STAFF_MANAGE = "provider_staff:manage"
    PLATFORM_ACCOUNTS_READ = "platform_accounts:read"
    PLATFORM_ACCOUNTS_MANAGE = "platform_accounts:manage"
    PLATFORM_HEALTH_READ = "platform_health:read"
    PLATFORM_AUDIT_READ = "platform_audit:read"
    SIGNING_KEYS_ROTATE = "signing_keys:rotate"
    # Tenant administration.
    USERS_READ = "users:read"
    USERS_MANAGE = "users:manage"
    INVITATIONS_MANAGE = "invitations:manage"
    ROLES_MANAGE = "roles:manage"
    API_CLIENTS_MANAGE = "api_clients:manage"
    SUPPORT_ACCESS_GRANT = "support_access:grant"
    AUDIT_READ = "audit:read"
    USAGE_READ = "usage:read"  # the tenant's quotas and measured usage
    # Vehicle registry.
    VEHICLE_MODELS_READ = "vehicle_models:read"
    VEHICLE_MODELS_WRITE = "vehicle_models:write"
    VEHICLES_READ = "vehicles:read"
    VEHICLES_WRITE = "vehicles:write"
    VEHICLES_IMPORT = "vehicles:import"
    # Vehicle data.
    FLEET_READ = "fleet:read"
    VEHICLE_STATE_READ = "vehicle_state:read"
    VEHICLE_HISTORY_READ = "vehicle_history:read"
    RAW_FRAMES_READ = "raw_frames:read"
    SESSIONS_READ = "sessions:read"
    ALARMS_READ = "alarms:read"
    ALARMS_ACK = "alarms:ack"
    ALARMS_DISPOSE = "alarms:dispose"
    ALARMS_CONFIGURE = "alarms:configure"
    EXPORTS_CREATE = "exports:create"
    EXPORTS_READ = "exports:read"


class Role(enum.StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    PLATFORM_OPERATOR = "platform_operator"
    TENANT_ADMIN = "tenant_admin"
    SAFETY_ENGINEER = "safety_engineer"
    OPERATOR = "operator"
    ANALYST = "analyst"
    VIEWER = "viewer"
    API_CLIENT = "api_client"


P = Permission

PLATFORM_PERMISSIONS: Final = frozenset({
    P.TENANTS_READ, P.TENANTS_MANAGE, P.TENANTS_SUSPEND, P.TENANTS_QUOTAS,
    P.TENANT_ADMINS_MANAGE, P.PROVIDER_STAFF_MANAGE, P.PLATFORM_ACCOUNTS_READ,
    P.PLATFORM_ACCOUNTS_MANAGE, P.PLATFORM_HEALTH_READ, P.PLATFORM_AUDIT_READ,
    P.SIGNING_KEYS_ROTATE,
})
TENANT_PERMISSIONS: Final = frozenset(Permission) - PLATFORM_PERMISSIONS

# What a support grant lets provider staff do inside the granting tenant: look, never change.
SUPPORT_PERMISSIONS: Final = frozenset({
    P.VEHICLE_MODELS_READ, P.VEHICLES_READ, P.FLEET_READ, P.VEHICLE_STATE_READ,
    P.VEHICLE_HISTORY_READ, P.RAW_FRAMES_READ, P.SESSIONS_READ, P.ALARMS_READ,
})

_VIEWER: Final = frozenset({
    P.VEHICLE_MODELS_READ, P.VEHICLES_READ, P.FLEET_READ, P.VEHICLE_STATE_READ, P.ALARMS_READ,
})
_ANALYST: Final = _VIEWER | {
    P.VEHICLE_HISTORY_READ, P.SESSIONS_READ, P.EXPORTS_CREATE, P.EXPORTS_READ,
}
_OPERATOR: Final = _VIEWER | {
    P.VEHICLE_HISTORY_READ, P.SESSIONS_READ, P.ALARMS_ACK, P.ALARMS_DISPOSE,
}
_SAFETY_ENGINEER: Final = _ANALYST | _OPERATOR | {P.RAW_FRAMES_READ, P.ALARMS_CONFIGURE}

# OAuth2 scopes an API client may be given, and the permissions each one carries. A client's
# token holds the permissions of the scopes it asked for, limited to the client's own scopes.
SCOPES: Final[Mapping[str, frozenset[Permission]]] = {
    "fleet:read": frozenset({P.VEHICLE_MODELS_READ, P.VEHICLES_READ, P.FLEET_READ,
                             P.VEHICLE_STATE_READ}),
    "telemetry:read": frozenset({P.VEHICLE_HISTORY_READ, P.SESSIONS_READ}),
    "raw_frames:read": frozenset({P.RAW_FRAMES_READ}),
    "registry:write": frozenset({P.VEHICLE_MODELS_WRITE, P.VEHICLES_WRITE, P.VEHICLES_IMPORT}),
    "alarms:read": frozenset({P.ALARMS_READ}),
    "alarms:write": frozenset({P.ALARMS_ACK, P.ALARMS_DISPOSE}),
    "exports": frozenset({P.EXPORTS_CREATE, P.EXPORTS_READ}),
}

ROLE_PERMISSIONS: Final[Mapping[Role, frozenset[Permission]]] = {
    Role.PLATFORM_ADMIN: PLATFORM_PERMISSIONS,
    Role.PLATFORM_OPERATOR: frozenset({P.TENANTS_READ, P.PLATFORM_ACCOUNTS_READ,
                                       P.PLATFORM_HEALTH_READ}),
    Role.TENANT_ADMIN: TENANT_PERMISSIONS,
    Role.SAFETY_ENGINEER: _SAFETY_ENGINEER,
    Role.OPERATOR: _OPERATOR,
    Role.ANALYST: _ANALYST,
    Role.VIEWER: _VIEWER,
    Role.API_CLIENT: frozenset().union(*SCOPES.values()),
}

PROVIDER_ROLES: Final = frozenset({Role.PLATFORM_ADMIN, Role.PLATFORM_OPERATOR})
TENANT_USER_ROLES: Final = frozenset({Role.TENANT_ADMIN, Role.SAFETY_ENGINEER, Role.OPERATOR,
                                      Role.ANALYST, Role.VIEWER})
# The second factor is mandatory where one stolen password would do the most harm.
TOTP_REQUIRED_ROLES: Final = PROVIDER_ROLES | {Role.TENANT_ADMIN}


def is_provider_role(role: Role) -> bool:
    return role in PROVIDER_ROLES


def totp_required(role: Role) -> bool:
    return role in TOTP_REQUIRED_ROLES


class AccessError(Exception):
    code: ClassVar[str] = "access.error"

    def __init__(self, detail: str) -> None:
        super().__init__(f"{self.code}: {detail}")
        self.detail = detail


class AccessDenied(AccessError):
    """The actor may not do this. `reason` says why for the audit log; callers show the user
    only `code` (a tenant's resources are reported as not found by the API)."""

    code = "access.denied"

    def __init__(self, permission: Permission, reason: str) -> None:
        super().__init__(f"{permission.value}: {reason}")
        self.permission = permission
        self.reason = reason


class UnknownScope(AccessError):
    code = "access.unknown_scope"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who acts: a user (subject ``user:<id>``) or an API client (``client:<client_id>``).

    ``tenant`` is the tenant slug, None for provider staff. ``scopes`` is None for users; for
    API clients it is the granted scope set, which limits the role's permissions.
    """

    subject: str
    role: Role
    tenant: str | None
    scopes: frozenset[str] | None = None
    session_id: str | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        granted = ROLE_PERMISSIONS[self.role]
        if self.scopes is not None:
            granted = granted & scope_permissions(self.scopes)
        return granted


def scope_permissions(scopes: Iterable[str]) -> frozenset[Permission]:
    """The permissions a set of scopes carries; an unknown scope is refused, not ignored."""
    permissions: set[Permission] = set()
    for scope in scopes:
        carried = SCOPES.get(scope)
        if carried is None:
            raise UnknownScope(f"{scope!r}")
        permissions |= carried
    return frozenset(permissions)


def parse_scope(text: str) -> frozenset[str]:
    """An OAuth2 ``scope`` parameter (space-separated, RFC 6749 §3.3) as a checked set."""
    scopes = frozenset(text.split())
    scope_permissions(scopes)
    return scopes


def check(principal: Principal, permission: Permission, *, tenant: str | None = None,
          support_granted: bool = False) -> None:
    """Raise AccessDenied unless ``principal`` may use ``permission`` (inside ``tenant`` for
    tenant permissions). ``support_granted`` tells whether the tenant has an active support
    grant for this principal; the caller looks it up, this function only decides."""
    if permission in PLATFORM_PERMISSIONS:
        if not is_provider_role(principal.role):
            raise AccessDenied(permission, "platform permission for a tenant actor")
        if permission not in principal.permissions:
            raise AccessDenied(permission, "role lacks the permission")
        return
    if tenant is None:
        raise AccessDenied(permission, "tenant permission checked without a tenant")
    if is_provider_role(principal.role):
        if not support_granted:
            raise AccessDenied(permission, "provider staff without a support grant")
        if permission not in SUPPORT_PERMISSIONS:
            raise AccessDenied(permission, "a support grant is read-only")
        return
    if principal.tenant != tenant:
        raise AccessDenied(permission, "cross-tenant access")
    if permission not in ROLE_PERMISSIONS[principal.role]:
        raise AccessDenied(permission, "role lacks the permission")
    if permission not in principal.permissions:
        raise AccessDenied(permission, "token scopes lack the permission")


def allowed(principal: Principal, permission: Permission, *, tenant: str | None = None,
            support_granted: bool = False) -> bool:
    try:
        check(principal, permission, tenant=tenant, support_granted=support_granted)
    except AccessDenied:
        return False
    return True


def assignable_roles(principal: Principal, *, tenant: str | None) -> frozenset[Role]:
    """Roles ``principal`` may give to a user of ``tenant`` (None: provider staff). Nobody
    creates api_client users: clients are their own kind of identity."""
    if tenant is None:
        return PROVIDER_ROLES if allowed(principal, P.PROVIDER_STAFF_MANAGE) else frozenset()
    roles: set[Role] = set()
    if allowed(principal, P.TENANT_ADMINS_MANAGE):
        roles.add(Role.TENANT_ADMIN)
    if allowed(principal, P.USERS_MANAGE, tenant=tenant):
        roles |= TENANT_USER_ROLES
    return frozenset(roles)
