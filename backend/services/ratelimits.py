"""Request rate limits per client IP (anonymous callers, login attempts), per principal and
per tenant, counted in one-minute fixed windows in Redis so every API process shares them.

A tenant's own ``api_requests_per_minute`` quota replaces the configured tenant default; it is
read at most every QUOTA_CACHE_S seconds per process, so a quota change takes that long.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar, Final

from redis.asyncio import Redis

from backend.core.access import Principal
from backend.services import tenants
from backend.services.errors import ServiceError
from backend.settings import ApiSettings
from backend.storage.db import Conn, Pool
from backend.storage.ratelimit import count_hit

WINDOW_S: Final = 60
QUOTA_CACHE_S: Final = 30.0


class RateLimited(ServiceError):
    """``limit`` names the limit that fired (as in the settings), ``quota`` its value."""

    code: ClassVar[str] = "rate.limited"

    def __init__(self, limit: str, quota: int, retry_after_s: int) -> None:
        super().__init__(f"{limit} of {quota} reached; retry in {retry_after_s} s")
        self.limit = limit
        self.quota = quota
        self.retry_after_s = retry_after_s


class RateLimiter:
    def __init__(self, redis: Redis, db: Conn | Pool, settings: ApiSettings, *,
                 namespace: str, clock: Callable[[], float] = time.time) -> None:
        """``namespace`` keeps deployments that share one Redis apart (the database name)."""
        self._namespace = namespace
        self._redis = redis
        self._db = db
        self._settings = settings
        self._clock = clock
        self._quotas: dict[str, tuple[float, int | None]] = {}

    async def login_attempt(self, ip: str) -> None:
        await self._hit("login_attempts_per_minute", f"login:{ip}",
                        self._settings.login_attempts_per_minute)

    async def request(self, principal: Principal | None, ip: str) -> None:
        if principal is None:
            await self._hit("anonymous_requests_per_minute", f"ip:{ip}",
                            self._settings.anonymous_requests_per_minute)
            return
        await self._hit("principal_requests_per_minute", f"sub:{principal.subject}",
                        self._settings.principal_requests_per_minute)
        if principal.tenant is not None:
            quota = await self._tenant_quota(principal.tenant)
            await self._hit("tenant_requests_per_minute", f"tenant:{principal.tenant}", quota)

    async def _tenant_quota(self, tenant: str) -> int:
        now = self._clock()
        cached = self._quotas.get(tenant)
        if cached is None or now - cached[0] > QUOTA_CACHE_S:
            cached = (now, await tenants.api_rate_quota(self._db, tenant))
            self._quotas[tenant] = cached
        return cached[1] or self._settings.tenant_requests_per_minute

    async def _hit(self, limit: str, key: str, quota: int) -> None:
        now = self._clock()
        count = await count_hit(self._redis, f"{self._namespace}:{key}", window_s=WINDOW_S, now=now)
        if count > quota:
            raise RateLimited(limit, quota, max(1, WINDOW_S - int(now % WINDOW_S)))
