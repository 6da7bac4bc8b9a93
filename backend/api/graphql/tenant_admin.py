"""A tenant admin's part of the schema: users, invitations, roles, API clients and support
grants. Every operation acts in the caller's own tenant; ids of another tenant are not found."""

from __future__ import annotations

from datetime import timedelta

import strawberry

from backend.api.errors import ApiError, Code
from backend.api.graphql.common import (
    PAGE_DEFAULT,
    ApiClientNode,
    GraphPage,
    InvitationNode,
    Me,
    PermissionName,
    RoleName,
    SupportGrantNode,
    TenantStorageNode,
    UserNode,
    api_client_node,
    checked_first,
    invitation_node,
    page,
    storage_node,
    support_grant_node,
    user_node,
)
from backend.api.graphql.context import Info
from backend.api.graphql.permissions import requires, requires_mutation
from backend.core.access import ROLE_PERMISSIONS, TENANT_USER_ROLES, Role
from backend.core.access import Permission as P
from backend.services import api_clients, directory, storage_usage, support, users

MAX_GRANT_HOURS = int(support.MAX_GRANT.total_seconds()) // 3600


@strawberry.type
class RoleInfo:
    role: RoleName  # type: ignore[valid-type]
    permissions: list[PermissionName]  # type: ignore[valid-type]


@strawberry.type
class NewInvitation:
    invitation: InvitationNode
    token: str = strawberry.field(description="Shown once: send it to the invitee.")


@strawberry.type
class NewApiClient:
    client: ApiClientNode
    client_secret: str = strawberry.field(description="Shown once; only its hash is kept.")


@strawberry.type
class TenantAdminQuery:
    @requires(None)
    async def me(self, info: Info) -> Me:
        principal = info.context.actor()
        profile = await directory.own_profile(info.context.services.db, principal)
        return Me(subject=principal.subject, role=principal.role, tenant=principal.tenant,
                  permissions=sorted(principal.permissions),
                  email=None if profile is None else profile.email,
                  display_name=None if profile is None else profile.display_name)

    @requires(P.USAGE_READ)
    async def tenant_storage(self, info: Info) -> TenantStorageNode:
        """The tenant's measured storage against its quota (as the provider sees it)."""
        context = info.context
        return storage_node(await storage_usage.tenant_usage(
            context.services.db, context.actor(), context.own_tenant()))

    @requires(P.USERS_READ)
    async def users(self, info: Info, first: int = PAGE_DEFAULT,
                    after: str | None = None) -> GraphPage[UserNode]:
        context = info.context
        found = await directory.list_users(context.services.db, context.actor(),
                                           tenant=context.own_tenant(),
                                           first=checked_first(first), after=after)
        return page(found, [user_node(user) for user in found.items])

    @requires(P.INVITATIONS_MANAGE)
    async def invitations(self, info: Info, first: int = PAGE_DEFAULT,
                          after: str | None = None) -> GraphPage[InvitationNode]:
        context = info.context
        found = await directory.list_invitations(context.services.db, context.actor(),
                                                 tenant=context.own_tenant(),
                                                 first=checked_first(first), after=after)
        return page(found, [invitation_node(item) for item in found.items])

    @requires(P.USERS_READ)
    async def roles(self, info: Info) -> list[RoleInfo]:
        """The roles of a tenant and what each may do (the fixed map of docs/auth.md)."""
        return [RoleInfo(role=role, permissions=sorted(ROLE_PERMISSIONS[role]))
                for role in sorted(TENANT_USER_ROLES)]

    @requires(P.API_CLIENTS_MANAGE)
    async def api_clients(self, info: Info, first: int = PAGE_DEFAULT,
                          after: str | None = None) -> GraphPage[ApiClientNode]:
        context = info.context
        found = await directory.list_clients(context.services.db, context.actor(),
                                             tenant=context.own_tenant(),
                                             first=checked_first(first), after=after)
        return page(found, [api_client_node(client) for client in found.items])

    @requires(P.SUPPORT_ACCESS_GRANT)
    async def support_grants(self, info: Info) -> list[SupportGrantNode]:
        context = info.context
        grants = await directory.support_grants(context.services.db, context.actor(),
                                                tenant=context.own_tenant())
        return [support_grant_node(grant) for grant in grants]


@strawberry.type
class TenantAdminMutation:
    @requires_mutation(P.INVITATIONS_MANAGE)
    async def invite_user(self, info: Info, email: str,
                          role: RoleName) -> NewInvitation:  # type: ignore[valid-type]
        context = info.context
        invitation = await users.invite(context.services.db, context.actor(),
                                        tenant=context.own_tenant(), email=email,
                                        role=Role(role))
        return NewInvitation(invitation=invitation_node(invitation.record),
                             token=invitation.token)

    @requires_mutation(P.INVITATIONS_MANAGE)
    async def revoke_invitation(self, info: Info, invitation_id: int) -> bool:
        context = info.context
        await directory.revoke_invitation(context.services.db, context.actor(),
                                          tenant=context.own_tenant(),
                                          invitation_id=invitation_id)
        return True

    @requires_mutation(P.ROLES_MANAGE)
    async def set_user_role(self, info: Info, user_id: int,
                            role: RoleName) -> UserNode:  # type: ignore[valid-type]
        context = info.context
        return user_node(await directory.set_user_role(
            context.services.db, context.actor(), tenant=context.own_tenant(),
            user_id=user_id, role=Role(role)))

    @requires_mutation(P.USERS_MANAGE)
    async def set_user_disabled(self, info: Info, user_id: int, disabled: bool) -> UserNode:
        context = info.context
        return user_node(await directory.set_user_disabled(
            context.services.db, context.actor(), tenant=context.own_tenant(),
            user_id=user_id, disabled=disabled))

    @requires_mutation(P.API_CLIENTS_MANAGE)
    async def create_api_client(self, info: Info, name: str, scopes: list[str]) -> NewApiClient:
        context = info.context
        created = await api_clients.create_client(context.services.db, context.actor(),
                                                  tenant=context.own_tenant(), name=name,
                                                  scope=" ".join(scopes))
        return NewApiClient(client=api_client_node(created.client),
                            client_secret=created.secret)

    @requires_mutation(P.API_CLIENTS_MANAGE)
    async def set_api_client_enabled(self, info: Info, client_id: str, enabled: bool) -> bool:
        context = info.context
        await api_clients.set_client_enabled(context.services.db, context.actor(),
                                             tenant=context.own_tenant(), client_id=client_id,
                                             enabled=enabled)
        return True

    @requires_mutation(P.SUPPORT_ACCESS_GRANT)
    async def grant_support(self, info: Info, email: str, reason: str,
                            hours: int) -> SupportGrantNode:
        context = info.context
        tenant = context.own_tenant()
        if not 1 <= hours <= MAX_GRANT_HOURS:
            raise ApiError(Code.BAD_USER_INPUT, f"hours between 1 and {MAX_GRANT_HOURS}")
        grant = await support.grant_support(context.services.db, context.actor(), tenant=tenant,
                                            grantee_email=email, reason=reason,
                                            duration=timedelta(hours=hours))
        views = await directory.support_grants(context.services.db, context.actor(),
                                               tenant=tenant)
        return support_grant_node(next(view for view in views if view.grant.id == grant.id))

    @requires_mutation(P.SUPPORT_ACCESS_GRANT)
    async def revoke_support(self, info: Info, grant_id: int) -> bool:
        """False when the grant had ended already."""
        context = info.context
        return await support.revoke_support(context.services.db, context.actor(),
                                            tenant=context.own_tenant(), grant_id=grant_id)
