"""Several gateway processes on one port (SO_REUSEPORT): the kernel spreads the connections."""

from __future__ import annotations

import asyncio

import pytest
from gateway_doubles import Client
from gateway_harness import GatewayFactory

CONNECTIONS = 32


async def test_two_gateways_share_one_port_and_both_serve(make_gateway: GatewayFactory) -> None:
    first = await make_gateway(reuse_port=True, metrics_port=None)
    second = await make_gateway(reuse_port=True, metrics_port=None, port=first.port)
    assert second.port == first.port
    clients = [await Client.connect(first.port) for _ in range(CONNECTIONS)]
    first.clients.extend(clients)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    counts = (0, 0)
    while loop.time() < deadline:
        counts = (first.gateway.connection_count, second.gateway.connection_count)
        if sum(counts) == CONNECTIONS:
            break
        await asyncio.sleep(0.02)
    assert sum(counts) == CONNECTIONS
    # Spread by a hash of the peer address: 32 connections all on one side is a 2^-31 event.
    assert min(counts) > 0


async def test_without_reuse_port_a_second_gateway_cannot_bind(
        make_gateway: GatewayFactory) -> None:
    first = await make_gateway(metrics_port=None)
    with pytest.raises(OSError):
        await make_gateway(metrics_port=None, port=first.port)
