"""Support access: a tenant admin lets one provider staff member read the tenant's data for a
limited time (docs/auth.md). Grants are listed to the tenant, and `authorize` is the one
place that turns an active grant into access."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from backend.core.access import (
    AccessDenied,
    Permission,
    Principal,
    check,
    is_provider_role,
)
from backend.services.auth_common import user_id_of
from backend.services.auth_errors import InvalidRequest, NotFound
from backend.storage.db import Conn, Pool
from backend.storage.identity import clients, shared_tx, users
from backend.storage.identity.clients import SupportGrantRecord

MAX_GRANT: Final = timedelta(days=7)


def _acting_user(actor: Principal, permission: Permission) -> int:
    user_id = user_id_of(actor)
    if user_id is None:
        raise AccessDenied(permission, "support grants are made by people, not API clients")
    return user_id


async def grant_support(db: Conn | Pool, actor: Principal, *, tenant: str,
                        grantee_email: str, reason: str,
                        duration: timedelta) -> SupportGrantRecord:
    check(actor, Permission.SUPPORT_ACCESS_GRANT, tenant=tenant)
    granted_by = _acting_user(actor, Permission.SUPPORT_ACCESS_GRANT)
    if not timedelta(0) < duration <= MAX_GRANT:
        raise InvalidRequest(f"a grant lasts more than nothing and at most {MAX_GRANT}")
    if not reason.strip():
        raise InvalidRequest("say why support needs access")
    async with shared_tx(db) as conn:
        grantee = await users.user_by_email(conn, grantee_email.strip().lower())
        if grantee is None or grantee.disabled or not is_provider_role(grantee.role):
            raise NotFound("no such provider staff member")
        return await clients.insert_grant(conn, tenant=tenant, grantee_id=grantee.id,
                                          granted_by=granted_by, reason=reason.strip(),
                                          expires_at=datetime.now(UTC) + duration)


async def revoke_support(db: Conn | Pool, actor: Principal, *, tenant: str,
                         grant_id: int) -> bool:
    """End a grant early; False when it had already been revoked."""
    check(actor, Permission.SUPPORT_ACCESS_GRANT, tenant=tenant)
    revoked_by = _acting_user(actor, Permission.SUPPORT_ACCESS_GRANT)
    async with shared_tx(db) as conn:
        grant = await clients.grant_by_id(conn, grant_id)
        if grant is None or grant.tenant != tenant:
            raise NotFound("no such grant in this tenant")
        return await clients.revoke_grant(conn, grant_id, revoked_by)


async def support_grants(db: Conn | Pool, actor: Principal, *,
                         tenant: str) -> list[SupportGrantRecord]:
    check(actor, Permission.SUPPORT_ACCESS_GRANT, tenant=tenant)
    async with shared_tx(db) as conn:
        return await clients.grants_of_tenant(conn, tenant)


async def authorize(db: Conn | Pool, actor: Principal, permission: Permission, *,
                    tenant: str | None = None) -> None:
    """The service-side permission check: ``access.check`` plus, for provider staff asking
    for tenant data, whether the tenant granted them support access right now."""
    granted = False
    user_id = user_id_of(actor)
    if tenant is not None and is_provider_role(actor.role) and user_id is not None:
        async with shared_tx(db) as conn:
            granted = await clients.active_grant_exists(conn, tenant, user_id)
    check(actor, permission, tenant=tenant, support_granted=granted)
