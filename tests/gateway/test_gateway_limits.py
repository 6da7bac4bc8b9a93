"""One bad client must not hurt the others: noise, broken frames, timeouts, rate and size limits."""

from __future__ import annotations

import asyncio
import socket

import gateway_frames as f
from gateway_doubles import Client
from gateway_harness import GatewayFactory, Harness

from gateway.server.interfaces import SessionEvent
from gateway.server.settings import RateLimit


async def _closed_reason(harness: Harness, reason: str) -> None:
    async with asyncio.timeout(3):
        while harness.metrics.connections_closed.get(reason) < 1:
            await asyncio.sleep(0.01)


async def test_garbage_before_a_frame_is_skipped(harness: Harness) -> None:
    noisy, healthy = await harness.client(), await harness.client()
    await noisy.send(b"GET / HTTP/1.1\r\n\r\n" + f.login())
    assert await noisy.frame() == f.LOGIN_OK
    assert await healthy.request(f.heartbeat(f.VIN2)) == f.build(0x07, vin=f.VIN2, flag=0x01)
    assert harness.metrics.framer_garbage_bytes.value == 18


async def test_bad_checksum_is_dropped_silently(harness: Harness) -> None:
    client = await harness.client()
    broken = bytearray(f.login())
    broken[-1] ^= 0xFF
    await client.send(bytes(broken))
    assert await client.request(f.heartbeat()) == f.HEARTBEAT_OK      # no answer to the bad one
    assert harness.metrics.framer_rejections.get("bad_checksum") == 1
    assert harness.sink.events == []


async def test_oversize_length_is_rejected_from_the_header(harness: Harness) -> None:
    client = await harness.client()
    oversize = bytes.fromhex(f"23 23 02 FE {f.VIN1_HEX} 01 FF FF")      # N = 65535 > max
    await client.send(oversize)
    assert await client.request(f.heartbeat()) == f.HEARTBEAT_OK      # no wait for 64 KiB
    assert harness.metrics.framer_rejections.get("oversize") == 1


async def test_half_frame_with_bogus_length_expires_and_frees_the_frame_behind_it(
        make_gateway: GatewayFactory) -> None:
    harness = await make_gateway(partial_frame_timeout_s=0.3)
    client = await harness.client()
    bogus = bytes.fromhex(f"23 23 02 FE {f.VIN1_HEX} 01 03 E8")        # announces N = 1000
    await client.send(bogus + f.heartbeat())
    assert await client.silent(0.15)                    # the heartbeat is inside the "frame"
    assert await client.frame() == f.HEARTBEAT_OK       # §2.2 step 4: expired, rescanned
    assert harness.metrics.framer_rejections.get("expired_partial") == 1


async def test_idle_connection_is_closed(make_gateway: GatewayFactory) -> None:
    harness = await make_gateway(idle_timeout_s=0.3)
    client = await harness.client()
    await client.request(f.login())
    assert await client.closed_by_peer()
    await _closed_reason(harness, "idle_timeout")
    assert harness.sink.kinds()[-1] == (f.VIN1, SessionEvent.DISCONNECTED)


async def test_handshake_timeout_closes_a_link_that_never_logs_in(
        make_gateway: GatewayFactory) -> None:
    harness = await make_gateway(handshake_timeout_s=0.4)
    lurker, vehicle = await harness.client(), await harness.client()
    await vehicle.request(f.login())
    await lurker.send(f.heartbeat(f.VIN2))             # answered, but a heartbeat is no login
    assert await lurker.closed_by_peer()
    await _closed_reason(harness, "handshake_timeout")
    assert await vehicle.request(f.heartbeat()) == f.HEARTBEAT_OK   # logged in: not affected


async def test_endless_garbage_closes_the_link(make_gateway: GatewayFactory) -> None:
    harness = await make_gateway(max_garbage_bytes=1000)
    client = await harness.client()
    await client.send(b"\x00" * 4000)
    assert await client.closed_by_peer()
    await _closed_reason(harness, "garbage")


async def test_rate_limit_throttles_then_closes_an_abuser(make_gateway: GatewayFactory) -> None:
    harness = await make_gateway(vehicle_rate=RateLimit(20.0, 5, 10, abuse_window_s=60.0))
    abuser, neighbour = await harness.client(), await harness.client()
    await neighbour.request(f.login(f.VIN2))
    await abuser.send(f.heartbeat() * 200)
    assert await abuser.closed_by_peer(timeout=5)
    await _closed_reason(harness, "rate_limit")
    # 5 in the burst, then 10 delayed ones drained the abuse allowance; the 16th closed the link.
    assert harness.metrics.answers.get("success") <= 1 + 5 + 10
    assert harness.metrics.rejects.get("rate_limited") == 11
    assert await neighbour.request(f.heartbeat(f.VIN2)) == f.build(0x07, vin=f.VIN2, flag=0x01)


async def test_max_connections(make_gateway: GatewayFactory) -> None:
    harness = await make_gateway(max_connections=2)
    first, second = await harness.client(), await harness.client()
    assert await first.request(f.heartbeat()) == f.HEARTBEAT_OK
    third = await harness.client()
    assert await third.closed_by_peer()
    assert harness.metrics.connections_rejected.get("max_connections") == 1
    assert await second.request(f.heartbeat()) == f.HEARTBEAT_OK
    assert harness.metrics.connections.value == 2


async def test_peer_that_does_not_read_answers_is_disconnected(
        make_gateway: GatewayFactory) -> None:
    unlimited = RateLimit(1e6, 1_000_000, 1_000_000)
    harness = await make_gateway(drain_timeout_s=0.3, write_buffer_high=1024,
                                 socket_send_buffer=4096, vehicle_rate=unlimited)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)   # before connect: small window
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", harness.port))
    reader, writer = await asyncio.open_connection(sock=sock)
    slow = Client(reader, writer)
    harness.clients.append(slow)
    slow.writer.write(f.heartbeat() * 40_000)         # 1 MB of requests, 1 MB of answers unread
    await _closed_reason(harness, "slow_reader")
    neighbour = await harness.client()
    assert await neighbour.request(f.heartbeat()) == f.HEARTBEAT_OK


async def test_registry_outage_closes_without_an_answer(harness: Harness) -> None:
    harness.registry.failing = True
    client = await harness.client()
    await client.send(f.login())
    assert await client.closed_by_peer()
    await _closed_reason(harness, "registry_unavailable")
    assert harness.metrics.answers.get("error") == 0  # no false "unknown VIN" to the terminal
