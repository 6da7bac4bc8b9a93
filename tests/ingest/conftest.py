"""Fixtures for the ingest tests: a database of their own on the real PostgreSQL, a fresh tenant
per test, a pool, the real Redis, and a writer wired to them (scripts/services)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as redis_asyncio
from ingest_support import provision, writer_settings

from backend.metrics.registry import MetricsRegistry
from backend.settings import Settings
from backend.storage.db import SERVER_SETTINGS
from gateway.ingest.metrics import IngestMetrics
from gateway.ingest.store import PostgresStore
from gateway.ingest.writer import IngestWriter
from tests.session_database import session_database


@pytest.fixture(scope="session")
def ingest_dsn(service_settings: Settings) -> Iterator[str]:
    """A database of its own on the real server, migrated, dropped at the end: the ingest
    tests neither see nor disturb what other tests keep in the shared database."""
    with session_database(service_settings.database_url.reveal(), "nevguard_ingest") as dsn:
        yield dsn


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
async def writer(pool: asyncpg.Pool, redis: redis_asyncio.Redis,
                 tmp_path: Path) -> AsyncIterator[IngestWriter]:
    created = IngestWriter(PostgresStore(pool), writer_settings(tmp_path / "spool"),
                           IngestMetrics(MetricsRegistry()), redis=redis)
    await created.start()
    yield created
    await created.drain()
