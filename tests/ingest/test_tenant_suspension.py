"""Suspending a tenant reaches the gateway in seconds, end to end: the provider suspends it
through the tenants service (what the suspendTenant mutation calls), which commits the status
and publishes the change notice on Redis; the real gateway, routed by PostgreSQL with a
route TTL far longer than the test, ends the tenant's open vehicle link and answers its next
login with an error; resuming restores the service. Nothing is stored while suspended."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as redis_asyncio
from ingest_frames import LOGIN_2016, realtime_at, wire
from pipeline_stack import fetch, register, running_stack

from backend.core.access import Principal, Role
from backend.services import tenants
from gateway.protocol.model import ResponseFlag

pytestmark = pytest.mark.services

VIN = "LSUSPEND000000001"
WITHIN_S = 3.0            # the notice path; the route TTL below is 300 s
STAFF = Principal("user:1", Role.PLATFORM_ADMIN, None)


class Terminal:
    """One T-Box link: send a frame, read the gateway's answer or its close."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int) -> Terminal:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def request(self, frame: bytes) -> int:
        """The answer's response flag (§4)."""
        self.writer.write(frame)
        await self.writer.drain()
        async with asyncio.timeout(WITHIN_S):
            head = await self.reader.readexactly(24)
            await self.reader.readexactly(int.from_bytes(head[22:24], "big") + 1)
        return head[3]

    async def send(self, frame: bytes) -> None:
        self.writer.write(frame)
        await self.writer.drain()

    async def closed_by_gateway(self) -> bool:
        try:
            async with asyncio.timeout(WITHIN_S):
                while await self.reader.read(4096):
                    pass
        except TimeoutError:
            return False
        except ConnectionError:
            pass
        return True

    def close(self) -> None:
        self.writer.close()


async def _login(port: int) -> tuple[Terminal, int]:
    terminal = await Terminal.connect(port)
    return terminal, await terminal.request(wire("##", 0x01, LOGIN_2016, VIN))


async def test_suspension_refuses_the_tenants_vehicles_within_seconds_and_resume_restores(
        pool: asyncpg.Pool, redis: redis_asyncio.Redis, tenant: str, tmp_path: Path) -> None:
    async with pool.acquire() as conn:
        await register(conn, tenant, [VIN])
    async with running_stack(pool, redis, tmp_path / "spool", route_ttl_s=300.0) as stack:
        async with asyncio.timeout(5):
            await stack.tenant_changes.subscribed.wait()
        vehicle, answer = await _login(stack.port)
        assert answer == ResponseFlag.SUCCESS
        await vehicle.send(realtime_at(VIN, 1))

        await tenants.set_suspended(pool, redis, STAFF, tenant, suspended=True)
        suspended_at = time.monotonic()
        assert await vehicle.closed_by_gateway(), "the open link was not ended"
        refused, answer = await _login(stack.port)
        assert answer == ResponseFlag.ERROR
        assert await refused.closed_by_gateway()
        assert time.monotonic() - suspended_at < WITHIN_S

        await tenants.set_suspended(pool, redis, STAFF, tenant, suspended=False)
        resumed_at = time.monotonic()
        resumed, answer = await _login(stack.port)
        while answer != ResponseFlag.SUCCESS:
            # The notice and this login race: a login handled before the gateway heard the
            # notice is refused and closed, and the terminal tries again.
            assert time.monotonic() - resumed_at < WITHIN_S, "resume did not reach the gateway"
            resumed.close()
            await asyncio.sleep(0.1)
            resumed, answer = await _login(stack.port)
        await resumed.send(realtime_at(VIN, 2))
        await asyncio.sleep(0.2)
        for terminal in (vehicle, refused, resumed):
            terminal.close()
    stored = await fetch(pool, tenant, "SELECT collected_at FROM realtime ORDER BY 1")
    assert len(stored) == 2, "the frame before suspension and the one after resuming"
    async with pool.acquire() as conn:
        reasons = await conn.fetchval(
            "SELECT array_agg(reason) FROM nevguard.gateway_rejections WHERE unique_id = $1", VIN)
    assert reasons == ["tenant_suspended"]
    events = await fetch(pool, tenant, "SELECT kind, details->>'reason' AS reason"
                                       " FROM vehicle_events ORDER BY at, kind")
    # The open link's session ends with the suspension as its reason; then a new session.
    assert [(row["kind"], row["reason"]) for row in events][:2] == [
        ("login", None), ("disconnected", "tenant_suspended")]
    assert [row["kind"] for row in events][2:] == ["login", "disconnected"]
    # The open link, and the refused login (reject-then-close).
    assert stack.gateway.metrics.connections_closed.get("tenant_suspended") == 2
