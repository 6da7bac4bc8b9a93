"""Suspended tenants at the gateway: logins and platform-link reports of their VINs are refused
with an error answer, a tenant change notice (``Gateway.tenant_changed``) ends the open
sessions of the tenant's VINs at once, the periodic route check does the same without a
notice, and resuming restores service. The end-to-end run through PostgreSQL and Redis is
tests/ingest/test_tenant_suspension.py."""

from __future__ import annotations

import asyncio

import gateway_frames as f
from gateway_doubles import FakeRegistry
from gateway_harness import GatewayFactory, default_registry
from test_gateway_cache_and_limits import ACME, Clock, cached

from backend.storage.registry_events import changed_tenant
from gateway.protocol.model import ResponseFlag
from gateway.server.interfaces import FrameKind, SessionEvent, TenantRoute

SUSPENDED = TenantRoute("acme", "passenger", active=False)
DISCONNECTED = SessionEvent.DISCONNECTED


def _flag(answer: bytes) -> int:
    return answer[3]


async def test_login_of_a_suspended_tenant_is_refused_and_closed(
        make_gateway: GatewayFactory) -> None:
    registry = default_registry()
    registry.routes[f.VIN1] = SUSPENDED
    harness = await make_gateway(registry)
    client = await harness.client()
    assert await client.request(f.login()) == f.LOGIN_ERROR        # 0x02, not "unknown VIN"
    assert await client.closed_by_peer()
    twenty_five = await harness.client()
    answer = await twenty_five.request(f.login(marker=f.V2025))
    assert _flag(answer) == ResponseFlag.ERROR
    assert harness.sink.items == [] and harness.sink.session_frames == []
    assert harness.audit.reasons() == [(f.VIN1, "tenant_suspended")] * 2
    assert harness.metrics.rejects.get("tenant_suspended") == 2


async def test_a_notice_ends_the_tenants_sessions_and_resuming_restores_them(
        make_gateway: GatewayFactory) -> None:
    registry = default_registry()
    registry.routes[f.VIN2] = TenantRoute("acme", "bus")
    registry.routes["LOTHERTENANT00001"] = TenantRoute("zeta", "bus")
    # A long TTL: only the notice can make the change visible within the test.
    harness = await make_gateway(registry, route_ttl_s=300.0)
    vehicle = await harness.client()
    assert await vehicle.request(f.login()) == f.LOGIN_OK
    platform = await harness.client()
    assert await platform.request(f.platform_login()) == f.PLATFORM_OK
    await platform.send(f.realtime(vin=f.VIN2), f.realtime(vin="LOTHERTENANT00001"))
    assert await platform.silent()
    stored = len(harness.sink.items)

    registry.routes[f.VIN1] = SUSPENDED
    registry.routes[f.VIN2] = TenantRoute("acme", "bus", active=False)
    harness.gateway.tenant_changed("acme")
    assert await vehicle.closed_by_peer(timeout=5)
    ended = [(e.vin, e.details["reason"]) for e in harness.sink.events if e.kind is DISCONNECTED]
    assert sorted(ended) == sorted([(f.VIN1, "tenant_suspended"), (f.VIN2, "tenant_suspended")])
    assert harness.metrics.connections_closed.get("tenant_suspended") == 1
    # The platform link stays for its other tenant; the suspended VIN is refused per frame.
    assert _flag(await platform.request(f.realtime(vin=f.VIN2))) == ResponseFlag.ERROR
    await platform.send(f.realtime(vin="LOTHERTENANT00001"))
    assert await platform.silent()
    assert [item.vin for item in harness.sink.items[stored:]] == ["LOTHERTENANT00001"]
    again = await harness.client()
    assert await again.request(f.login()) == f.LOGIN_ERROR

    registry.routes[f.VIN1] = TenantRoute("acme", "passenger")
    registry.routes[f.VIN2] = TenantRoute("acme", "bus")
    harness.gateway.tenant_changed("acme")
    resumed = await harness.client()
    assert await resumed.request(f.login()) == f.LOGIN_OK
    await resumed.send(f.realtime())
    await platform.send(f.realtime(vin=f.VIN2))
    assert await resumed.silent() and await platform.silent()
    assert sorted((item.vin, item.kind) for item in harness.sink.items[-2:]) == sorted([
        (f.VIN1, FrameKind.REALTIME), (f.VIN2, FrameKind.REALTIME)])


async def test_without_a_notice_the_route_ttl_bounds_the_delay(
        make_gateway: GatewayFactory) -> None:
    harness = await make_gateway(route_ttl_s=0.3)
    vehicle = await harness.client()
    assert await vehicle.request(f.login()) == f.LOGIN_OK
    harness.registry.routes[f.VIN1] = SUSPENDED
    await asyncio.sleep(0.4)
    # The next frame finds the route check due: the session ends before the frame is
    # handled, which then gets an error answer instead of being stored silently.
    assert await vehicle.request(f.realtime()) == f.REALTIME_ERROR
    assert await vehicle.closed_by_peer(timeout=5)
    assert harness.sink.items == []
    assert [(e.vin, e.details["reason"]) for e in harness.sink.events
            if e.kind is DISCONNECTED] == [(f.VIN1, "tenant_suspended")]


async def test_invalidating_a_tenant_forgets_only_its_routes() -> None:
    zeta = TenantRoute("zeta", "bus")
    inner, clock = FakeRegistry(routes={"VIN_A": ACME, "VIN_Z": zeta}), Clock()
    registry = cached(inner, clock)
    assert await registry.route("VIN_A") == ACME and await registry.route("VIN_Z") == zeta
    inner.routes["VIN_A"] = SUSPENDED
    assert registry.invalidate_tenant("acme") == 1
    assert await registry.route("VIN_A") == SUSPENDED
    assert await registry.route("VIN_Z") == zeta
    assert inner.route_calls == ["VIN_A", "VIN_Z", "VIN_A"]
    assert registry.invalidate_tenant(None) == 2


async def test_a_lookup_that_raced_an_invalidation_is_not_cached() -> None:
    release = asyncio.Event()

    class Slow(FakeRegistry):
        async def route(self, vin: str) -> TenantRoute | None:
            self.route_calls.append(vin)
            await release.wait()
            return ACME                       # read before the suspension was committed

    inner = Slow()
    registry = cached(inner, Clock())
    lookup = asyncio.ensure_future(registry.route("VIN_A"))
    while not inner.route_calls:
        await asyncio.sleep(0)
    registry.invalidate_tenant("acme")
    release.set()
    assert await lookup == ACME
    assert await registry.route("VIN_A") == ACME
    assert inner.route_calls == ["VIN_A", "VIN_A"]


def test_only_well_formed_notices_name_a_tenant() -> None:
    assert changed_tenant(b'{"tenant": "acme"}') == "acme"
    for payload in (b"not json", b"[]", b'{"tenant": 7}', b'{"tenant": "Bad Slug"}', b"{}",
                    "\ufffd".encode()):
        assert changed_tenant(payload) is None
