"""Orderly shutdown: stop accepting, close idle links at once, finish in-flight frames, drain."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal

import gateway_frames as f
from gateway_doubles import Client, RecordingAudit, RecordingSink
from gateway_harness import BASE_SETTINGS, GatewayFactory, default_registry

from gateway.server.gateway import Gateway
from gateway.server.interfaces import SessionEvent
from gateway.server.main import serve


async def test_stop_closes_idle_links_and_waits_for_the_slow_sink(
        make_gateway: GatewayFactory) -> None:
    sink = RecordingSink(gate=asyncio.Event())
    harness = await make_gateway(sink=sink)
    busy, idle = await harness.client(), await harness.client()
    await busy.request(f.login(f.VIN1))
    await idle.request(f.login(f.VIN2))
    await busy.send(f.realtime(f.VIN1))
    async with asyncio.timeout(2):
        while sink.waiting == 0:                       # the frame is inside submit()
            await asyncio.sleep(0.01)

    stopping = asyncio.create_task(harness.gateway.stop())
    assert await idle.closed_by_peer(timeout=5)        # idle: closed right away
    drained_early = sink.drained
    assert not stopping.done() and not drained_early   # busy: its frame is not lost
    sink.gate.set()                                    # type: ignore[union-attr]
    await asyncio.wait_for(stopping, 3)

    assert [item.vin for item in sink.items] == [f.VIN1]
    assert sink.drained
    assert sorted(sink.kinds()) == sorted([
        (f.VIN1, SessionEvent.LOGIN), (f.VIN2, SessionEvent.LOGIN),
        (f.VIN1, SessionEvent.DISCONNECTED), (f.VIN2, SessionEvent.DISCONNECTED)])
    assert harness.metrics.connections_closed.get("shutdown") == 2
    assert await busy.closed_by_peer(timeout=5)


async def test_no_new_connections_after_stop(make_gateway: GatewayFactory) -> None:
    harness = await make_gateway()
    await harness.gateway.stop()
    try:
        client = await Client.connect(harness.port)
    except ConnectionError:
        return                                         # the listening socket is gone
    harness.clients.append(client)
    assert await client.closed_by_peer(timeout=5)


async def test_stop_cancels_links_stuck_past_the_grace_period(
        make_gateway: GatewayFactory) -> None:
    sink = RecordingSink(gate=asyncio.Event())         # never opened before stop returns
    harness = await make_gateway(sink=sink, shutdown_grace_s=0.2)
    client = await harness.client()
    await client.request(f.login())
    await client.send(f.realtime())
    async with asyncio.timeout(2):
        while sink.waiting == 0:
            await asyncio.sleep(0.01)
    await asyncio.wait_for(harness.gateway.stop(), 3)
    assert sink.drained
    assert harness.metrics.connections_closed.get("cancelled") == 1


async def test_serve_stops_on_sigterm() -> None:
    registry, sink = default_registry(), RecordingSink()
    settings = dataclasses.replace(BASE_SETTINGS, metrics_port=None)
    started: asyncio.Queue[Gateway] = asyncio.Queue()
    task = asyncio.create_task(serve(settings, registry, sink, RecordingAudit(),
                                     started=started.put_nowait))
    gateway = await asyncio.wait_for(started.get(), 2)
    if gateway.port is None:
        raise AssertionError("gateway did not bind")
    client = await Client.connect(gateway.port)
    try:
        assert await client.request(f.login()) == f.LOGIN_OK
        os.kill(os.getpid(), signal.SIGTERM)
        stopped = await asyncio.wait_for(task, 3)
        assert stopped is gateway
        assert sink.drained
        assert sink.kinds()[-1] == (f.VIN1, SessionEvent.DISCONNECTED)
        assert await client.closed_by_peer(timeout=5)
    finally:
        await client.close()
