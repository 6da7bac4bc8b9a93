"""The provider's tenant administration: listing, creation (which provisions the tenant's
schema), suspension and quotas, and the platform overview built from what exists today."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from redis.asyncio import Redis
from redis.exceptions import RedisError

from backend.core.access import Permission, Principal, check
from backend.core.tenancy import is_tenant_slug
from backend.services.errors import Conflict, InvalidInput, NotFound
from backend.services.paging import Page, page_of, page_size
from backend.storage import tenants as tenant_store
from backend.storage.db import Conn, Pool, lift_statement_timeout
from backend.storage.errors import UnknownTenant
from backend.storage.identity import shared_tx
from backend.storage.migrate import migrate_shared
from backend.storage.registry_events import publish_tenant_change
from backend.storage.tenants import Tenant

log = logging.getLogger(__name__)

# Quota name -> largest value accepted. Vehicles are counted against `vehicles` at
# registration, stored bytes against `storage_gb`, API calls against the minute rate.
QUOTA_LIMITS: Final[Mapping[str, int]] = {
    "vehicles": 10_000_000,
    "storage_gb": 1_000_000,
    "api_requests_per_minute": 1_000_000,
}
MAX_NAME: Final = 200


@dataclass(frozen=True, slots=True)
class PlatformOverview:
    tenants: int
    active_tenants: int
    suspended_tenants: int
    vehicles: int


def check_quotas(quotas: Mapping[str, int | None]) -> dict[str, int]:
    """Known names with whole positive values; None removes a quota (no limit)."""
    checked: dict[str, int] = {}
    for name, value in quotas.items():
        limit = QUOTA_LIMITS.get(name)
        if limit is None:
            raise InvalidInput(f"unknown quota {name!r}")
        if value is None:
            continue
        if isinstance(value, bool) or not 1 <= value <= limit:
            raise InvalidInput(f"quota {name} must be between 1 and {limit}")
        checked[name] = value
    return checked


def _slug(slug: str) -> str:
    if not is_tenant_slug(slug):
        raise InvalidInput("a tenant slug is a lower-case letter then 1-39 of [a-z0-9_]")
    return slug


async def list_tenants(db: Conn | Pool, actor: Principal, *, first: int,
                       after: str | None) -> Page[Tenant]:
    check(actor, Permission.TENANTS_READ)
    size = page_size(first)
    async with shared_tx(db) as conn:
        rows = await tenant_store.tenants_page(conn, after=after, limit=size + 1)
    return page_of(rows, size, lambda tenant: tenant.slug)


async def get_tenant(db: Conn | Pool, actor: Principal, slug: str) -> Tenant:
    check(actor, Permission.TENANTS_READ)
    async with shared_tx(db) as conn:
        try:
            return await tenant_store.get_tenant(conn, _slug(slug))
        except UnknownTenant:
            raise NotFound(f"no tenant {slug!r}") from None


async def create_tenant(db: Pool, actor: Principal, *, slug: str, name: str,
                        quotas: Mapping[str, int | None]) -> Tenant:
    """Register the tenant and build its schema. An existing slug is a conflict: provisioning
    itself is idempotent, but creating twice is almost always a typo worth reporting."""
    check(actor, Permission.TENANTS_MANAGE)
    checked = check_quotas(quotas)
    if not name.strip() or len(name) > MAX_NAME:
        raise InvalidInput(f"a tenant name has 1 to {MAX_NAME} characters")
    async with db.acquire() as conn:
        # Migrations may outlast the request statement timeout the pool sets.
        await lift_statement_timeout(conn)
        if await tenant_store.tenant_exists(conn, _slug(slug)):
            raise Conflict(f"tenant {slug!r} exists")
        await migrate_shared(conn)
        tenant, _report = await tenant_store.provision_tenant(conn, slug, name=name.strip(),
                                                              quotas=checked)
    return tenant


async def set_suspended(db: Conn | Pool, redis: Redis, actor: Principal, slug: str, *,
                        suspended: bool) -> Tenant:
    """A suspended tenant's users and clients stop authenticating at their next request; its
    vehicles are refused by the gateways as soon as they hear the change notice, published
    once the status is committed (docs/gateway.md "Suspended tenants")."""
    check(actor, Permission.TENANTS_SUSPEND)
    async with shared_tx(db) as conn:
        try:
            tenant = await tenant_store.set_tenant_status(
                conn, _slug(slug), "suspended" if suspended else "active")
        except UnknownTenant:
            raise NotFound(f"no tenant {slug!r}") from None
    try:
        await publish_tenant_change(redis, tenant.slug)
    except (RedisError, OSError):
        # The status is committed; gateways still apply it within their route TTL.
        log.warning("could not announce the status change of tenant %s to the gateways",
                    tenant.slug, exc_info=True)
    return tenant


async def set_quotas(db: Conn | Pool, actor: Principal, slug: str,
                     quotas: Mapping[str, int | None]) -> Tenant:
    """Merge ``quotas`` into the tenant's (a None value removes that quota)."""
    check(actor, Permission.TENANTS_QUOTAS)
    checked = check_quotas(quotas)
    async with shared_tx(db) as conn:
        try:
            tenant = await tenant_store.get_tenant(conn, _slug(slug))
        except UnknownTenant:
            raise NotFound(f"no tenant {slug!r}") from None
        merged = {name: value for name, value in tenant.quotas.items() if name not in quotas}
        return await tenant_store.set_tenant_quotas(conn, slug, {**merged, **checked})


async def vehicle_counts(db: Conn | Pool, actor: Principal,
                         slugs: list[str]) -> dict[str, int]:
    check(actor, Permission.TENANTS_READ)
    async with shared_tx(db) as conn:
        return await tenant_store.vehicle_counts(conn, slugs)


async def platform_overview(db: Conn | Pool, actor: Principal) -> PlatformOverview:
    check(actor, Permission.PLATFORM_HEALTH_READ)
    async with shared_tx(db) as conn:
        tenants = await tenant_store.list_tenants(conn)
        counts = await tenant_store.vehicle_counts(conn)
    suspended = sum(tenant.status == "suspended" for tenant in tenants)
    return PlatformOverview(len(tenants), len(tenants) - suspended, suspended,
                            sum(counts.values()))


async def api_rate_quota(db: Conn | Pool, slug: str) -> int | None:
    """The tenant's own requests-per-minute quota, for the transport's rate limiter (which
    runs after authentication, so the tenant is the caller's own)."""
    async with shared_tx(db) as conn:
        try:
            tenant = await tenant_store.get_tenant(conn, slug)
        except UnknownTenant:
            return None
    value = tenant.quotas.get("api_requests_per_minute")
    return value if isinstance(value, int) else None
