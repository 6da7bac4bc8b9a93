"""CachedRegistry (TTL, negative cache, single flight, stale-if-error) and the token buckets."""

from __future__ import annotations

import asyncio

import pytest
from gateway_doubles import FakeRegistry

from backend.metrics.registry import MetricsRegistry
from gateway.protocol.crypto import KeyRing
from gateway.server.cached_registry import CachedRegistry
from gateway.server.interfaces import RegistryUnavailable, TenantRoute
from gateway.server.ratelimit import FrameRateLimiter, TokenBucket
from gateway.server.settings import GatewaySettings, RateLimit

ACME = TenantRoute("acme", "passenger")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def cached(inner: FakeRegistry, clock: Clock, max_entries: int = 100) -> CachedRegistry:
    lookups = MetricsRegistry().counter("lookups_total", "x", ["result"])
    return CachedRegistry(inner, ttl_s=60, negative_ttl_s=5, max_entries=max_entries,
                          keys_ttl_s=30, lookups=lookups, monotonic=clock)


async def test_positive_and_negative_ttl() -> None:
    inner, clock = FakeRegistry(routes={"VIN_A": ACME}), Clock()
    registry = cached(inner, clock)
    assert await registry.route("VIN_A") == ACME
    assert await registry.route("VIN_X") is None
    clock.now += 4
    assert await registry.route("VIN_A") == ACME and await registry.route("VIN_X") is None
    assert inner.route_calls == ["VIN_A", "VIN_X"]
    clock.now += 2                                     # negative entry expired, positive not
    inner.routes["VIN_X"] = ACME                       # registered in the meantime
    assert await registry.route("VIN_X") == ACME
    assert await registry.route("VIN_A") == ACME
    assert inner.route_calls == ["VIN_A", "VIN_X", "VIN_X"]
    clock.now += 61
    await registry.route("VIN_A")
    assert inner.route_calls[-1] == "VIN_A"


async def test_concurrent_lookups_share_one_query() -> None:
    release = asyncio.Event()
    calls: list[str] = []

    class Slow(FakeRegistry):
        async def route(self, vin: str) -> TenantRoute | None:
            calls.append(vin)
            await release.wait()
            return ACME

    registry = cached(Slow(), Clock())
    waiting = [asyncio.create_task(registry.route("VIN_A")) for _ in range(20)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*waiting) == [ACME] * 20
    assert calls == ["VIN_A"]


async def test_stale_answer_served_while_the_registry_is_down() -> None:
    inner, clock = FakeRegistry(routes={"VIN_A": ACME}), Clock()
    registry = cached(inner, clock)
    await registry.route("VIN_A")
    clock.now += 120
    inner.failing = True
    assert await registry.route("VIN_A") == ACME       # expired, but better than refusing
    with pytest.raises(RegistryUnavailable):
        await registry.route("VIN_B")                  # never seen: no answer to give


async def test_cache_is_bounded() -> None:
    inner, clock = FakeRegistry(routes={"A": ACME, "B": ACME, "C": ACME}), Clock()
    registry = cached(inner, clock, max_entries=2)
    for vin in ("A", "B", "C", "C", "B", "A"):
        await registry.route(vin)
    assert inner.route_calls == ["A", "B", "C", "A"]   # A was evicted by C


async def test_keys_are_cached_and_kept_on_refresh_failure() -> None:
    ring = KeyRing()
    inner, clock = FakeRegistry(key_ring=ring), Clock()
    registry = cached(inner, clock)
    assert await registry.keys() is ring
    inner.key_ring = None
    assert await registry.keys() is ring               # within the TTL
    clock.now += 31
    assert await registry.keys() is None               # refreshed


def test_token_bucket() -> None:
    bucket = TokenBucket(rate=10, capacity=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(0.0) == pytest.approx(0.1)      # the 4th waits one refill interval
    assert bucket.take(0.1) == pytest.approx(0.1)
    assert bucket.take(10.0) == 0.0                    # refilled, but never above capacity
    assert bucket.try_take(10.0) and bucket.try_take(10.0) and not bucket.try_take(10.0)


def test_frame_rate_limiter_closes_after_sustained_excess() -> None:
    limiter = FrameRateLimiter(RateLimit(10.0, 2, 3, abuse_window_s=30.0), now=0.0)
    assert [limiter.admit(0.0) for _ in range(2)] == [0.0, 0.0]
    delays = [limiter.admit(0.0) for _ in range(3)]
    assert all(delay is not None and delay > 0 for delay in delays)
    assert limiter.admit(0.0) is None
    assert limiter.limited == 4


def test_rate_limit_validation() -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimit(0.0, 1, 1)


def test_settings_derived_timeouts_and_validation() -> None:
    settings = GatewaySettings(heartbeat_interval_s=60.0)
    assert settings.effective_idle_timeout == 180.0        # §10: about 3 heartbeat periods
    assert settings.effective_stale_link == 90.0
    with pytest.raises(ValueError, match="max_frame_size"):
        GatewaySettings(max_frame_size=70_000)
    with pytest.raises(ValueError, match="timeouts"):
        GatewaySettings(drain_timeout_s=0)
