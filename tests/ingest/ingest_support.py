"""Small helpers shared by the ingest tests."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import Callable
from pathlib import Path

import asyncpg

from backend.storage.db import connect, tenant_tx
from backend.storage.tenants import provision_tenant
from gateway.ingest.spool import SpoolSettings
from gateway.ingest.writer import WriterSettings


def writer_settings(directory: Path, **options: float) -> WriterSettings:
    """Writer settings for tests: default batching, the spool in ``directory``."""
    spool = SpoolSettings(directory, sync_interval_s=0.05)
    return WriterSettings(spool=spool, **options)  # type: ignore[arg-type]


async def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


async def count(pool: asyncpg.Pool, tenant: str, table: str) -> int:
    async with tenant_tx(pool, tenant) as conn:
        value: int = await conn.fetchval(f"SELECT count(*) FROM {table}")
        return value


async def stored_keys(pool: asyncpg.Pool, tenant: str) -> list[tuple[str, object, int]]:
    """(vin, collected_at, copies) of every realtime key, to prove "once and only once"."""
    async with tenant_tx(pool, tenant) as conn:
        rows = await conn.fetch("SELECT vin, collected_at, count(*) AS copies FROM realtime "
                                "GROUP BY vin, collected_at ORDER BY vin, collected_at")
    return [(row["vin"], row["collected_at"], row["copies"]) for row in rows]


def free_port() -> int:
    """A loopback port nobody listens on (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def refused_dsn() -> str:
    return f"postgresql://nobody@127.0.0.1:{free_port()}/nothing"


async def provision(dsn: str) -> str:
    """A new tenant (schema and tables) in an already migrated database."""
    slug = f"ing_{uuid.uuid4().hex[:10]}"
    conn = await connect(dsn)
    try:
        await provision_tenant(conn, slug)
    finally:
        await conn.close()
    return slug
