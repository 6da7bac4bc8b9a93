"""A fresh PostgreSQL database per test session (``nevguard_test_<random>``) on the real server
from scripts/services, with the shared schema migrated; dropped at the end of the session.

The database is copied from ``template1`` unless NEVGUARD_TEST_TEMPLATE names another template
database: creating extensions needs a superuser, so a template that already has pg_partman or
TimescaleDB is how these tests exercise those engines (new tenants use what the database has).
Tests get their own tenants (``fresh_slug``) so they never see each other's rows.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
import redis.asyncio as redis_asyncio

from backend.settings import Settings
from backend.storage.db import connect, create_pool_for
from tests.session_database import session_database


@pytest.fixture(scope="session")
def test_database_url(service_settings: Settings) -> Iterator[str]:
    """DSN of this session's database (shared schema migrated)."""
    with session_database(service_settings.database_url.reveal(), "nevguard_test") as dsn:
        yield dsn


@pytest.fixture
async def db(test_database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await connect(test_database_url)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
def fresh_slug() -> str:
    return f"t{secrets.token_hex(5)}"


@pytest.fixture
async def pool(test_database_url: str) -> AsyncIterator[asyncpg.Pool]:
    created = await create_pool_for(test_database_url, max_size=4)
    yield created
    await created.close()


@pytest.fixture
async def stream(redis: redis_asyncio.Redis) -> AsyncIterator[str]:
    """An alarm-feed stream of the test's own (the shared Redis serves other tests too)."""
    name = f"test:alarm-feed:{secrets.token_hex(6)}"
    yield name
    await redis.delete(name)
