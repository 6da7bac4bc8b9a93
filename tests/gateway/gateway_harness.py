"""A gateway on 127.0.0.1 (port 0) with recording test doubles, torn down after each test.

Imported by name (not as `conftest`) so it never collides with another folder's conftest."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from gateway_doubles import Client, FakeRegistry, RecordingAudit, RecordingSink
from gateway_frames import PLATFORM_PASSWORD, PLATFORM_USER, VIN1, VIN2

from gateway.server.gateway import Gateway
from gateway.server.instruments import GatewayMetrics
from gateway.server.interfaces import PlatformAccount, TenantRoute
from gateway.server.settings import GatewaySettings

# The platform clock of every test gateway: 2024-06-02 12:00:05 UTC (20:00:05 UTC+8).
NOW = datetime(2024, 6, 2, 12, 0, 5, tzinfo=UTC)

BASE_SETTINGS = GatewaySettings(host="127.0.0.1", port=0, metrics_port=0, handshake_timeout_s=5.0,
                                heartbeat_interval_s=10.0, shutdown_grace_s=2.0)


@dataclass
class Harness:
    gateway: Gateway
    port: int
    registry: FakeRegistry
    sink: RecordingSink
    audit: RecordingAudit
    clients: list[Client] = field(default_factory=list)

    async def client(self) -> Client:
        client = await Client.connect(self.port)
        self.clients.append(client)
        return client

    @property
    def metrics(self) -> GatewayMetrics:
        return self.gateway.metrics


def default_registry() -> FakeRegistry:
    return FakeRegistry(
        routes={VIN1: TenantRoute("acme", "passenger"), VIN2: TenantRoute("zeta", "bus")},
        platforms={(PLATFORM_USER, PLATFORM_PASSWORD): PlatformAccount(PLATFORM_USER)})


GatewayFactory = Callable[..., Awaitable[Harness]]


@pytest.fixture
async def make_gateway() -> AsyncIterator[GatewayFactory]:
    harnesses: list[Harness] = []

    async def factory(registry: FakeRegistry | None = None, sink: RecordingSink | None = None,
                      **overrides: Any) -> Harness:
        settings = dataclasses.replace(BASE_SETTINGS, **overrides)
        harness_registry = registry or default_registry()
        harness_sink = sink or RecordingSink()
        audit = RecordingAudit()
        gateway = Gateway(settings, harness_registry, harness_sink, audit, clock=lambda: NOW)
        port = await gateway.start()
        harness = Harness(gateway, port, harness_registry, harness_sink, audit)
        harnesses.append(harness)
        return harness

    yield factory
    for harness in harnesses:
        for client in harness.clients:
            await client.close()
        if harness.sink.gate is not None:
            harness.sink.gate.set()
        await harness.gateway.stop()


@pytest.fixture
async def harness(make_gateway: GatewayFactory) -> Harness:
    return await make_gateway()
