"""A caching front for the VIN registry: TTL, negative caching, single flight, stale-if-error.

Every login and every platform-link frame needs a VIN → tenant answer; the database must not
see one query per frame, a storm of logins for one VIN must cost one query, and a short
database outage must not refuse vehicles that were known a minute ago.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Final

from backend.metrics.registry import Counter
from gateway.protocol.crypto import KeyRing

from .interfaces import PlatformAccount, Registry, RegistryUnavailable, TenantRoute

log = logging.getLogger(__name__)

_NEVER: Final = float("-inf")


class CachedRegistry:
    """Wraps a ``Registry``. ``check_platform`` is never cached: credentials are checked by
    the registry every time, and a failed check is not remembered either."""

    def __init__(self, inner: Registry, *, ttl_s: float, negative_ttl_s: float, max_entries: int,
                 keys_ttl_s: float, lookups: Counter | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._inner = inner
        self._ttl = ttl_s
        self._negative_ttl = negative_ttl_s
        self._max_entries = max_entries
        self._keys_ttl = keys_ttl_s
        self._lookups = lookups
        self._now = monotonic
        # vin -> (route or None for "not registered", expiry). Expired entries stay until
        # evicted so they can be served while the registry is down.
        self._routes: dict[str, tuple[TenantRoute | None, float]] = {}
        self._pending: dict[str, asyncio.Task[TenantRoute | None]] = {}
        # Bumped by every tenant invalidation: a lookup that started before it may have read
        # the old status, so its answer is returned but not cached.
        self._generation = 0
        self._keys: KeyRing | None = None
        self._keys_expiry = _NEVER
        self._keys_task: asyncio.Task[KeyRing | None] | None = None

    def _count(self, result: str) -> None:
        if self._lookups is not None:
            self._lookups.inc(result)

    async def route(self, vin: str) -> TenantRoute | None:
        cached = self._routes.get(vin)
        if cached is not None and cached[1] > self._now():
            self._count("hit" if cached[0] is not None else "negative_hit")
            return cached[0]
        task = self._pending.get(vin)
        if task is None:
            self._count("miss")
            task = asyncio.ensure_future(self._fetch_route(vin))
            self._pending[vin] = task
            task.add_done_callback(lambda _: self._pending.pop(vin, None))
        # shield: one caller giving up (its connection closed) must not cancel the others.
        return await asyncio.shield(task)

    async def _fetch_route(self, vin: str) -> TenantRoute | None:
        generation = self._generation
        try:
            route = await self._inner.route(vin)
        except Exception as exc:
            stale = self._routes.get(vin)
            if stale is not None:
                self._count("stale")
                log.warning("registry lookup failed, serving the cached answer: %r", exc)
                return stale[0]
            self._count("error")
            raise RegistryUnavailable(f"registry lookup failed: {exc!r}") from exc
        if generation == self._generation:
            ttl = self._ttl if route is not None else self._negative_ttl
            self._store(vin, route, self._now() + ttl)
        return route

    def _store(self, vin: str, route: TenantRoute | None, expiry: float) -> None:
        self._routes.pop(vin, None)
        self._routes[vin] = (route, expiry)
        if len(self._routes) > self._max_entries:
            # Dicts keep insertion order and every store re-inserts: the first key is the
            # entry refreshed longest ago.
            del self._routes[next(iter(self._routes))]

    def invalidate(self, vin: str) -> None:
        """Forget a VIN."""
        self._routes.pop(vin, None)

    def invalidate_tenant(self, tenant: str | None) -> int:
        """Forget every cached route of ``tenant`` (suspended or resumed), or every route when
        None (change notices may have been missed); return how many were forgotten. Negative
        entries stay: a VIN a tenant registers is found after ``negative_ttl_s``."""
        self._generation += 1
        stale = [vin for vin, (route, _) in self._routes.items()
                 if route is not None and (tenant is None or route.tenant == tenant)]
        for vin in stale:
            del self._routes[vin]
        return len(stale)

    async def check_platform(self, username: str, password: str) -> PlatformAccount | None:
        try:
            return await self._inner.check_platform(username, password)
        except Exception as exc:
            raise RegistryUnavailable(f"platform check failed: {exc!r}") from exc

    async def keys(self) -> KeyRing | None:
        if self._keys_expiry > self._now():
            return self._keys
        if self._keys_task is None:
            self._keys_task = asyncio.ensure_future(self._fetch_keys())
            self._keys_task.add_done_callback(self._forget_keys_task)
        return await asyncio.shield(self._keys_task)

    def _forget_keys_task(self, _: asyncio.Task[KeyRing | None]) -> None:
        self._keys_task = None

    async def _fetch_keys(self) -> KeyRing | None:
        try:
            keys = await self._inner.keys()
        except Exception as exc:
            if self._keys_expiry != _NEVER:
                log.warning("key ring refresh failed, keeping the previous ring: %r", exc)
                return self._keys
            raise RegistryUnavailable(f"key ring load failed: {exc!r}") from exc
        self._keys = keys
        self._keys_expiry = self._now() + self._keys_ttl
        return keys
