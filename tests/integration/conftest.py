"""A fresh PostgreSQL database per test session (``nevguard_test_<random>``) on the real server
from scripts/services, with the shared schema migrated; dropped at the end of the session.

The database is copied from ``template1`` unless NEVGUARD_TEST_TEMPLATE names another template
database: creating extensions needs a superuser, so a template that already has pg_partman or
TimescaleDB is how these tests exercise those engines (new tenants use what the database has).
Tests get their own tenants (``fresh_slug``) so they never see each other's rows.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import asyncpg
import pytest

from backend.settings import Settings
from backend.storage.db import connect
from backend.storage.migrate import migrate_shared


def _with_database(url: str, database: str) -> str:
    return urlsplit(url)._replace(path=f"/{database}").geturl()


async def _create(admin_url: str, database: str) -> None:
    template = os.environ.get("NEVGUARD_TEST_TEMPLATE", "template1")
    admin = await asyncpg.connect(admin_url, timeout=30)
    try:
        await admin.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
    finally:
        await admin.close()
    conn = await connect(_with_database(admin_url, database))
    try:
        await migrate_shared(conn)
    finally:
        await conn.close()


async def _drop(admin_url: str, database: str) -> None:
    admin = await asyncpg.connect(admin_url, timeout=30)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
def test_database_url(service_settings: Settings) -> Iterator[str]:
    """DSN of this session's database (shared schema migrated)."""
    admin_url = service_settings.database_url.reveal()
    database = f"nevguard_test_{secrets.token_hex(6)}"
    asyncio.run(_create(admin_url, database))
    try:
        yield _with_database(admin_url, database)
    finally:
        asyncio.run(_drop(admin_url, database))


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
