"""Follow the backend's tenant change notices on Redis (backend/storage/registry_events.py) and
hand them to the gateway, so a suspension reaches the route cache and the open links within
a second instead of at the end of ``route_ttl_s``.

Publish/subscribe delivers at most once: while this follower is not subscribed (Redis down,
reconnecting) notices are lost, so after every re-subscription the gateway is told that any
tenant may have changed (its cache is cleared and every link rechecked). The route TTL stays
the bound if Redis stays away.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from backend.storage.live import Subscription
from backend.storage.registry_events import REGISTRY_CHANNEL, changed_tenant

log = logging.getLogger(__name__)


class TenantChangeFollower:
    def __init__(self, redis: Redis, on_change: Callable[[str | None], None], *,
                 retry_s: float = 1.0) -> None:
        self._redis = redis
        self._on_change = on_change
        self._retry_s = retry_s
        self._task: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()   # set while subscribed (readiness, tests)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="tenant-change-follower")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        missed = False
        while True:
            try:
                await self._follow(missed)
            except (RedisError, OSError) as exc:
                log.warning("tenant change notices interrupted, retrying: %r", exc)
            self.subscribed.clear()
            missed = True
            await asyncio.sleep(self._retry_s)

    async def _follow(self, missed: bool) -> None:
        subscription = Subscription(self._redis, (REGISTRY_CHANNEL,))
        try:
            await subscription.open()
            self.subscribed.set()
            if missed:
                self._on_change(None)
            async for _channel, payload in subscription.messages():
                tenant = changed_tenant(payload)
                if tenant is None:
                    log.warning("ignoring a malformed tenant change notice (%d bytes)",
                                len(payload))
                    continue
                self._on_change(tenant)
        finally:
            await subscription.close()
