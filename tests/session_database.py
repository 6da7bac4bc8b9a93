"""A database of its own on the real server from scripts/services for one pytest session: created
(from ``template1``, or NEVGUARD_TEST_TEMPLATE), shared schema migrated, dropped at the end.

The template is how tests exercise engines that need a superuser to install (pg_partman,
TimescaleDB): a template that already has them gives every new tenant that engine."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from urllib.parse import urlsplit

import asyncpg

from backend.storage.db import connect
from backend.storage.migrate import migrate_shared

# Five seconds of patience for an autovacuum worker visiting a database being dropped.
_DROP_ATTEMPTS = 25


def with_database(url: str, database: str) -> str:
    return urlsplit(url)._replace(path=f"/{database}").geturl()


async def _create(admin_url: str, database: str) -> None:
    template = os.environ.get("NEVGUARD_TEST_TEMPLATE", "template1")
    admin = await asyncpg.connect(admin_url, timeout=30)
    try:
        await admin.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
    finally:
        await admin.close()
    conn = await connect(with_database(admin_url, database))
    try:
        await migrate_shared(conn)
    finally:
        await conn.close()


async def drop_database(admin: asyncpg.Connection, database: str) -> None:
    """DROP DATABASE ... WITH (FORCE) ends the other sessions on it, but an autovacuum worker that
    happens to be visiting the database is not the test role's to end (InsufficientPrivilege);
    such a worker is done within moments, so wait for it instead of failing the test."""
    for attempt in range(_DROP_ATTEMPTS):
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            return
        except asyncpg.InsufficientPrivilegeError:
            if attempt == _DROP_ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.2)


async def _drop(admin_url: str, database: str) -> None:
    admin = await asyncpg.connect(admin_url, timeout=30)
    try:
        await drop_database(admin, database)
    finally:
        await admin.close()


@asynccontextmanager
async def migrated_database(url: str, prefix: str, *, target: int | None = None
                            ) -> AsyncIterator[tuple[str, asyncpg.Connection]]:
    """A database of its own next to ``url``'s, shared schema migrated (up to ``target``), with a
    connection to it; dropped afterwards. For tests that break platform-wide state on purpose."""
    name = f"{prefix}_{secrets.token_hex(5)}"
    admin = await connect(url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template1')
        dsn = with_database(url, name)
        conn = await connect(dsn)
        try:
            await migrate_shared(conn, target=target)
            yield dsn, conn
        finally:
            await conn.close()
    finally:
        try:
            await drop_database(admin, name)
        finally:
            await admin.close()


@contextmanager
def session_database(admin_url: str, prefix: str) -> Iterator[str]:
    """DSN of a fresh migrated database named ``<prefix>_<random>``; dropped on exit."""
    database = f"{prefix}_{secrets.token_hex(6)}"
    asyncio.run(_create(admin_url, database))
    try:
        yield with_database(admin_url, database)
    finally:
        asyncio.run(_drop(admin_url, database))
