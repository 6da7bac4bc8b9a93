"""PostgreSQL connections and the tenant transaction.

Every connection runs in UTC (day partitions and hour buckets are UTC, see docs/storage.md) and
keeps the server's default search path; tenant tables are only reached inside ``tenant_tx``,
which sets the path for one transaction. Only ``tenant_tx`` and the migration runner set a
search path, and always transaction-locally.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Final, TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from backend.core.tenancy import tenant_schema
from backend.settings import Settings
from backend.storage.errors import NestedTransaction

Conn: TypeAlias = asyncpg.Connection | PoolConnectionProxy
Pool: TypeAlias = asyncpg.Pool

SHARED_SCHEMA: Final = "nevguard"
SERVER_SETTINGS: Final = {"timezone": "UTC", "application_name": "nevguard"}


async def connect(dsn: str, *, application: str = "nevguard") -> asyncpg.Connection:
    """One connection (CLI, migrations, tests)."""
    return await asyncpg.connect(
        dsn, server_settings={**SERVER_SETTINGS, "application_name": application}
    )


async def create_pool(
    settings: Settings, *, min_size: int = 1, max_size: int = 10, application: str = "nevguard",
    statement_timeout: timedelta | None = None,
) -> Pool:
    """The process's pool; the DSN (with its password) is revealed only here."""
    return await create_pool_for(
        settings.database_url.reveal(), min_size=min_size, max_size=max_size,
        application=application, statement_timeout=statement_timeout,
    )


async def create_pool_for(
    dsn: str, *, min_size: int = 1, max_size: int = 10, application: str = "nevguard",
    statement_timeout: timedelta | None = None,
) -> Pool:
    server_settings = {**SERVER_SETTINGS, "application_name": application}
    if statement_timeout is not None:
        # Server-side: a runaway query is cancelled by PostgreSQL even if its client hangs.
        server_settings["statement_timeout"] = str(int(statement_timeout.total_seconds() * 1000))
    return await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, server_settings=server_settings,
    )


@asynccontextmanager
async def tenant_tx(target: Conn | Pool, tenant_slug: str) -> AsyncIterator[Conn]:
    """A transaction on the tenant's schema: its first statement sets ``search_path``
    transaction-locally, so the connection goes back to the pool with its default path.

    Given a connection, it must not already be in a transaction: a nested savepoint would
    inherit, and leak into, the outer transaction's path.
    """
    schema = tenant_schema(tenant_slug)
    if isinstance(target, asyncpg.Pool):
        async with target.acquire() as pooled, _schema_transaction(pooled, schema) as conn:
            yield conn
    else:
        async with _schema_transaction(target, schema) as conn:
            yield conn


@asynccontextmanager
async def _schema_transaction(conn: Conn, schema: str) -> AsyncIterator[Conn]:
    if conn.is_in_transaction():
        raise NestedTransaction("tenant_tx needs a connection outside any transaction")
    async with conn.transaction():
        await conn.execute("SELECT set_config('search_path', $1, true)", schema)
        yield conn


async def lift_statement_timeout(conn: Conn) -> None:
    """For the rest of this pooled connection's checkout (the pool's reset restores the
    configured timeout): long administrative work such as migrations."""
    await conn.execute("SET statement_timeout = 0")


def registry_vins(parameter: str) -> str:
    """SQL for the VINs in the ``text[]`` query parameter ``parameter`` (e.g. ``$2``) as
    ``char(17)[]``, the type of ``nevguard.vehicles.vin``: ``v.vin = ANY(...)`` then uses the
    registry's primary key instead of comparing every row as text. Items that are not 17
    characters are dropped first, since a cast to char(17) would cut them to another VIN."""
    if not parameter.startswith("$") or not parameter[1:].isdigit():
        raise ValueError(f"not a query parameter: {parameter!r}")
    return (f"ARRAY(SELECT item::char(17) FROM unnest({parameter}::text[]) AS item"  # noqa: S608
            " WHERE length(item) = 17)")
