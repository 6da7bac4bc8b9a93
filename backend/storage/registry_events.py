"""Registry change notices on Redis: the backend tells every gateway that a tenant's routing
changed (suspended or resumed), so their VIN route caches forget that tenant now instead of
at the end of their TTL. Publish/subscribe is at-most-once; a gateway that was not listening
clears its whole cache when it subscribes again (gateway/server/tenant_changes.py)."""

from __future__ import annotations

import json
from typing import Final

from redis.asyncio import Redis

from backend.core.tenancy import is_tenant_slug, tenant_schema

REGISTRY_CHANNEL: Final = "nevguard:registry:invalidate"


async def publish_tenant_change(redis: Redis, tenant: str) -> int:
    """Announce that ``tenant``'s routes changed; returns how many gateways heard it."""
    tenant_schema(tenant)  # InvalidTenantSlug before anything reaches Redis
    listeners: int = await redis.publish(REGISTRY_CHANNEL, json.dumps({"tenant": tenant}))
    return listeners


def changed_tenant(payload: bytes | str) -> str | None:
    """The tenant a notice names, or None for anything that is not a well-formed notice."""
    try:
        notice = json.loads(payload)
    except ValueError:
        return None
    tenant = notice.get("tenant") if isinstance(notice, dict) else None
    return tenant if isinstance(tenant, str) and is_tenant_slug(tenant) else None
