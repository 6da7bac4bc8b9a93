"""Databases of their own for the tests that compare the storage engines: copied from
``template0`` (no extension, and a template that accepts no connections, so a TimescaleDB
server does not restart a scheduler on it first), dropped afterwards."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from backend.storage.db import connect
from tests.session_database import drop_database, with_database


async def timescale_preloaded(admin_url: str) -> bool:
    """Whether the server preloads TimescaleDB, so a database owner can install it (it is a
    trusted extension)."""
    admin = await connect(admin_url)
    try:
        # The loader's own setting exists in a fresh session only when it was preloaded
        # (shared_preload_libraries itself is hidden from non-superusers).
        return bool(await admin.fetchval(
            """SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'timescaledb')
                      AND current_setting('timescaledb.disable_load', true) = 'off'"""))
    finally:
        await admin.close()


@asynccontextmanager
async def fresh_databases(admin_url: str, *labels: str) -> AsyncIterator[dict[str, str]]:
    """One new empty database per label: label -> DSN."""
    token = secrets.token_hex(5)
    names = {label: f"nevguard_engines_{token}_{label}" for label in labels}
    admin = await connect(admin_url)
    try:
        for name in names.values():
            await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        yield {label: with_database(admin_url, name) for label, name in names.items()}
    finally:
        try:
            for name in names.values():
                await drop_database(admin, name)
        finally:
            await admin.close()
