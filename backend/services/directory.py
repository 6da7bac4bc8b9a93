"""A tenant admin's view of the tenant's people and systems: users, pending invitations, role
changes, disabling, API clients and the support grants made to provider staff. Every lookup
is filtered by the tenant, so another tenant's ids are simply not found."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from backend.core.access import TENANT_USER_ROLES, Permission, Principal, Role, check
from backend.services.auth_common import user_id_of
from backend.services.errors import Conflict, InvalidInput, NotFound
from backend.services.paging import Page, id_cursor, page_of, page_size
from backend.storage.db import Conn, Pool
from backend.storage.identity import clients, directory, shared_tx, users
from backend.storage.identity.clients import ApiClientRecord, SupportGrantRecord
from backend.storage.identity.directory import UserSummary
from backend.storage.identity.users import InvitationRecord

# Promotion to tenant_admin needs a second factor enrolled at creation, so new admins are
# invited rather than promoted; every other tenant role may be given by a role change.
CHANGEABLE_ROLES: Final = TENANT_USER_ROLES - {Role.TENANT_ADMIN}


@dataclass(frozen=True, slots=True)
class SupportGrantView:
    grant: SupportGrantRecord
    grantee_email: str | None
    granted_by_email: str | None


@dataclass(frozen=True, slots=True)
class Profile:
    email: str
    display_name: str


async def own_profile(db: Conn | Pool, actor: Principal) -> Profile | None:
    """The caller's own e-mail and display name; None for an API client, which has neither.
    Needs no permission: everyone may read who they are."""
    user_id = user_id_of(actor)
    if user_id is None:
        return None
    async with shared_tx(db) as conn:
        user = await users.user_by_id(conn, user_id)
    return None if user is None else Profile(user.email, user.display_name)


def _not_self(actor: Principal, user_id: int) -> None:
    # An admin locking themselves out (or demoting the last admin, themselves) needs support.
    if user_id_of(actor) == user_id:
        raise Conflict("admins do not change their own role or access")


async def list_users(db: Conn | Pool, actor: Principal, *, tenant: str, first: int,
                     after: str | None) -> Page[UserSummary]:
    check(actor, Permission.USERS_READ, tenant=tenant)
    size = page_size(first)
    async with shared_tx(db) as conn:
        rows = await directory.users_page(conn, tenant, after_id=id_cursor(after),
                                          limit=size + 1)
    return page_of(rows, size, lambda user: user.id)


async def set_user_role(db: Conn | Pool, actor: Principal, *, tenant: str, user_id: int,
                        role: Role) -> UserSummary:
    """The user's tokens carry the old role and stop verifying at their next use."""
    check(actor, Permission.ROLES_MANAGE, tenant=tenant)
    if role not in CHANGEABLE_ROLES:
        raise InvalidInput(f"role {role.value} cannot be given by a role change")
    _not_self(actor, user_id)
    return await _change_user(db, tenant, user_id,
                              lambda conn: directory.set_user_role(conn, user_id, role))


async def set_user_disabled(db: Conn | Pool, actor: Principal, *, tenant: str, user_id: int,
                            disabled: bool) -> UserSummary:
    """A disabled user's sessions end at their next request (authentication checks it)."""
    check(actor, Permission.USERS_MANAGE, tenant=tenant)
    _not_self(actor, user_id)
    return await _change_user(db, tenant, user_id,
                              lambda conn: users.set_disabled(conn, user_id, disabled))


async def _change_user(db: Conn | Pool, tenant: str, user_id: int,
                       change: Callable[[Conn], Awaitable[object]]) -> UserSummary:
    """Lock the tenant's user, apply ``change``, return the user as it is now; another
    tenant's user is NOT_FOUND, never changed."""
    async with shared_tx(db) as conn:
        user = await directory.user_in_tenant(conn, tenant, user_id, for_update=True)
        if user is None:
            raise NotFound("no such user in this tenant")
        await change(conn)
        changed = await directory.user_in_tenant(conn, tenant, user_id)
    if changed is None:
        raise NotFound("no such user in this tenant")
    return changed


async def list_invitations(db: Conn | Pool, actor: Principal, *, tenant: str, first: int,
                           after: str | None) -> Page[InvitationRecord]:
    check(actor, Permission.INVITATIONS_MANAGE, tenant=tenant)
    size = page_size(first)
    async with shared_tx(db) as conn:
        rows = await directory.pending_invitations_page(conn, tenant, after_id=id_cursor(after),
                                                        limit=size + 1)
    return page_of(rows, size, lambda invitation: invitation.id)


async def revoke_invitation(db: Conn | Pool, actor: Principal, *, tenant: str,
                            invitation_id: int) -> None:
    check(actor, Permission.INVITATIONS_MANAGE, tenant=tenant)
    async with shared_tx(db) as conn:
        if not await directory.revoke_invitation(conn, tenant, invitation_id):
            raise NotFound("no open invitation with this id in this tenant")


async def list_clients(db: Conn | Pool, actor: Principal, *, tenant: str, first: int,
                       after: str | None) -> Page[ApiClientRecord]:
    check(actor, Permission.API_CLIENTS_MANAGE, tenant=tenant)
    size = page_size(first)
    async with shared_tx(db) as conn:
        rows = await directory.clients_page(conn, tenant, after_id=id_cursor(after),
                                            limit=size + 1)
    return page_of(rows, size, lambda client: client.id)


async def support_grants(db: Conn | Pool, actor: Principal, *,
                         tenant: str) -> list[SupportGrantView]:
    """Every grant the tenant made with the people involved, in one round of queries."""
    check(actor, Permission.SUPPORT_ACCESS_GRANT, tenant=tenant)
    async with shared_tx(db) as conn:
        grants = await clients.grants_of_tenant(conn, tenant)
        people = {user.id: user.email for user in await directory.users_by_ids(
            conn, sorted({g.grantee_id for g in grants} | {g.granted_by for g in grants}))}
    return [SupportGrantView(grant, people.get(grant.grantee_id), people.get(grant.granted_by))
            for grant in grants]
