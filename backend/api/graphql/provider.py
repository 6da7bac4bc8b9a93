"""The provider's part of the schema: tenants and their quotas, tenant admins, upstream
platform accounts, signing keys and the platform overview."""

from __future__ import annotations

import strawberry

from backend.api.graphql.common import (
    PAGE_DEFAULT,
    GraphPage,
    PlatformAccountNode,
    TenantNode,
    checked_first,
    page,
    platform_account_node,
    tenant_node,
)
from backend.api.graphql.context import Info
from backend.api.graphql.permissions import requires, requires_mutation
from backend.core.access import Permission as P
from backend.core.access import Role
from backend.services import platform_accounts, platform_health, signing_keys, tenants, users


@strawberry.input
class QuotasInput:
    """Omitted: unchanged; null: no limit."""

    vehicles: int | None = strawberry.UNSET
    storage_gb: int | None = strawberry.UNSET
    api_requests_per_minute: int | None = strawberry.UNSET


def _quotas(given: QuotasInput | None) -> dict[str, int | None]:
    if given is None:
        return {}
    return {name: value for name, value in vars(given).items() if value is not strawberry.UNSET}


@strawberry.type
class GatewayHealth:
    """One running gateway instance, from the report it keeps in Redis (every few seconds; a
    gateway that stops reporting drops out within three intervals)."""

    gateway: str
    report_age_s: float
    connections: int
    spool_records: int = strawberry.field(
        description="Frames and events waiting on the gateway's disk for the database.")


@strawberry.type
class TenantIngestHealth:
    tenant: str
    connected_vehicles: int
    frames_per_second: float = strawberry.field(description="Committed, over the last minute.")
    commit_lag_s: float | None = strawberry.field(
        description="Receipt of the newest committed frame to its commit (worst gateway).")
    newest_commit_age_s: float | None


@strawberry.type
class PlatformHealth:
    """Tenant and vehicle counts from the database; connections, ingest rate, lag and spool
    depth from the gateways' reports (docs/api.md)."""

    tenants: int
    active_tenants: int
    suspended_tenants: int
    vehicles: int
    gateways: list[GatewayHealth]
    ingest: list[TenantIngestHealth]


@strawberry.type
class TenantAdminInvitation:
    email: str
    tenant: str
    token: str = strawberry.field(description="Shown once: send it to the new admin.")


@strawberry.type
class ProviderQuery:
    @requires(P.TENANTS_READ)
    async def tenants(self, info: Info, first: int = PAGE_DEFAULT,
                      after: str | None = None) -> GraphPage[TenantNode]:
        context = info.context
        found = await tenants.list_tenants(context.services.db, context.actor(),
                                           first=checked_first(first), after=after)
        return page(found, [tenant_node(tenant) for tenant in found.items])

    @requires(P.TENANTS_READ)
    async def tenant(self, info: Info, slug: str) -> TenantNode:
        context = info.context
        return tenant_node(await tenants.get_tenant(context.services.db, context.actor(), slug))

    @requires(P.PLATFORM_ACCOUNTS_READ)
    async def platform_accounts(self, info: Info, first: int = PAGE_DEFAULT,
                                after: str | None = None) -> GraphPage[PlatformAccountNode]:
        context = info.context
        found = await platform_accounts.list_accounts(context.services.db, context.actor(),
                                                      first=checked_first(first), after=after)
        return page(found, [platform_account_node(account) for account in found.items])

    @requires(P.PLATFORM_HEALTH_READ)
    async def platform_health(self, info: Info) -> PlatformHealth:
        context = info.context
        overview = await tenants.platform_overview(context.services.db, context.actor())
        live = await platform_health.platform_health(context.services.redis, context.actor())
        return PlatformHealth(
            tenants=overview.tenants, active_tenants=overview.active_tenants,
            suspended_tenants=overview.suspended_tenants, vehicles=overview.vehicles,
            gateways=[GatewayHealth(gateway=g.gateway, report_age_s=g.report_age_s,
                                    connections=g.connections, spool_records=g.spool_records)
                      for g in live.gateways],
            ingest=[TenantIngestHealth(
                tenant=t.tenant, connected_vehicles=t.vehicles,
                frames_per_second=t.frames_per_second, commit_lag_s=t.commit_lag_s,
                newest_commit_age_s=t.newest_commit_age_s) for t in live.tenants])


@strawberry.type
class ProviderMutation:
    @requires_mutation(P.TENANTS_MANAGE)
    async def create_tenant(self, info: Info, slug: str, name: str,
                            quotas: QuotasInput | None = None) -> TenantNode:
        context = info.context
        return tenant_node(await tenants.create_tenant(context.services.db, context.actor(),
                                                       slug=slug, name=name,
                                                       quotas=_quotas(quotas)))

    @requires_mutation(P.TENANTS_SUSPEND)
    async def suspend_tenant(self, info: Info, slug: str) -> TenantNode:
        context = info.context
        return tenant_node(await tenants.set_suspended(
            context.services.db, context.services.redis, context.actor(), slug,
            suspended=True))

    @requires_mutation(P.TENANTS_SUSPEND)
    async def resume_tenant(self, info: Info, slug: str) -> TenantNode:
        context = info.context
        return tenant_node(await tenants.set_suspended(
            context.services.db, context.services.redis, context.actor(), slug,
            suspended=False))

    @requires_mutation(P.TENANTS_QUOTAS)
    async def set_tenant_quotas(self, info: Info, slug: str,
                                quotas: QuotasInput) -> TenantNode:
        context = info.context
        return tenant_node(await tenants.set_quotas(context.services.db, context.actor(), slug,
                                                    _quotas(quotas)))

    @requires_mutation(P.TENANT_ADMINS_MANAGE)
    async def invite_tenant_admin(self, info: Info, tenant: str,
                                  email: str) -> TenantAdminInvitation:
        """The first (or another) admin of a tenant chooses their own password and enrols
        their authenticator when accepting (POST /auth/invitations/accept)."""
        context = info.context
        invitation = await users.invite(context.services.db, context.actor(), tenant=tenant,
                                        email=email, role=Role.TENANT_ADMIN)
        return TenantAdminInvitation(email=invitation.record.email, tenant=tenant,
                                     token=invitation.token)

    @requires_mutation(P.PLATFORM_ACCOUNTS_MANAGE)
    async def create_platform_account(self, info: Info, *, username: str, password: str,
                                      tenant: str | None = None, max_vins: int | None = None,
                                      frames_per_second: float | None = None
                                      ) -> PlatformAccountNode:
        context = info.context
        account = await platform_accounts.create_account(
            context.services.db, context.actor(), username=username, password=password,
            tenant=tenant, max_vins=max_vins, frames_per_second=frames_per_second)
        return platform_account_node(account)

    @requires_mutation(P.SIGNING_KEYS_ROTATE)
    async def rotate_signing_key(self, info: Info) -> str:
        """The new key's id; the previous key stays published until its tokens expire."""
        context = info.context
        return await signing_keys.rotate_signing_key(context.services.db, context.actor(),
                                                     context.services.auth.keyring)
