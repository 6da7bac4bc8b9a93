"""Fixtures for the ingest tests: a database of their own on the real PostgreSQL, a fresh tenant
per test, a pool, the real Redis, and a writer wired to them (scripts/services)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import redis.asyncio as redis_asyncio
from ingest_support import writer_settings

from backend.settings import Settings
from backend.storage.db import SERVER_SETTINGS, connect
from backend.storage.migrate import migrate_shared
from backend.storage.tenants import provision_tenant
from gateway.ingest.metrics import IngestMetrics
from gateway.ingest.store import PostgresStore
from gateway.ingest.writer import IngestWriter
from gateway.server.metrics import MetricsRegistry


async def _admin(dsn: str, statement: str) -> None:
    conn = await connect(dsn)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def _migrate(dsn: str) -> None:
    conn = await connect(dsn)
    try:
        await migrate_shared(conn)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def ingest_dsn(service_settings: Settings) -> Iterator[str]:
    """A database of its own on the real server, migrated, dropped at the end: the ingest
    tests neither see nor disturb what other tests keep in the shared database."""
    server = service_settings.database_url.reveal()
    name = f"nevguard_ingest_{uuid.uuid4().hex[:8]}"
    dsn = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    asyncio.run(_admin(server, f"CREATE DATABASE {name}"))
    try:
        asyncio.run(_migrate(dsn))
        yield dsn
    finally:
        asyncio.run(_admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


async def provision(dsn: str) -> str:
    """A new tenant (schema and tables) in an already migrated database."""
    slug = f"ing_{uuid.uuid4().hex[:10]}"
    conn = await connect(dsn)
    try:
        await provision_tenant(conn, slug)
    finally:
        await conn.close()
    return slug


@pytest.fixture
async def tenant(ingest_dsn: str) -> str:
    return await provision(ingest_dsn)


@pytest.fixture
async def pool(ingest_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    created = await asyncpg.create_pool(ingest_dsn, min_size=1, max_size=4,
                                        server_settings=SERVER_SETTINGS)
    yield created
    await created.close()


@pytest.fixture
async def redis(service_settings: Settings) -> AsyncIterator[redis_asyncio.Redis]:
    client = redis_asyncio.Redis.from_url(service_settings.redis_url.reveal())
    yield client
    await client.aclose()


@pytest.fixture
async def writer(pool: asyncpg.Pool, redis: redis_asyncio.Redis,
                 tmp_path: Path) -> AsyncIterator[IngestWriter]:
    created = IngestWriter(PostgresStore(pool), writer_settings(tmp_path / "spool"),
                           IngestMetrics(MetricsRegistry()), redis=redis)
    await created.start()
    yield created
    await created.drain()
