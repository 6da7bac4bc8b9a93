"""A database of its own on the real server from scripts/services for one pytest session: created
(from ``template1``, or NEVGUARD_TEST_TEMPLATE), shared schema migrated, dropped at the end.

The template is how tests exercise engines that need a superuser to install (pg_partman,
TimescaleDB): a template that already has them gives every new tenant that engine."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import asyncpg

from backend.storage.db import connect
from backend.storage.migrate import migrate_shared


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


async def _drop(admin_url: str, database: str) -> None:
    admin = await asyncpg.connect(admin_url, timeout=30)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
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
