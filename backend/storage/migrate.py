"""Versioned SQL migrations for the shared schema and every tenant schema.

``migrations/shared/NNNN_name.sql`` builds the ``nevguard`` schema, ``migrations/tenant/`` is
applied to each ``t_<slug>`` schema. Each schema records what it has in
``<schema>.schema_migrations``. Every migration runs in its own transaction that first takes a
transaction-scoped advisory lock derived from the schema (two runners on one schema take turns,
runners on different tenants do not wait for each other) and sets ``search_path`` to the
schema transaction-locally, so tenant files carry no schema prefix. Already applied versions
are skipped; an applied file whose checksum changed is refused (MigrationChecksumMismatch).
"""

# ruff: noqa: S608 - schema names are validated by _SCHEMA_NAME; values are bound.
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from backend.core.tenancy import tenant_schema
from backend.storage.db import SHARED_SCHEMA, Conn
from backend.storage.errors import (
    MigrationChecksumMismatch,
    MigrationFileError,
    MigrationUnknown,
    NestedTransaction,
)

MIGRATIONS_ROOT: Final = Path(__file__).resolve().parents[2] / "migrations"
SHARED_MIGRATIONS: Final = MIGRATIONS_ROOT / "shared"
TENANT_MIGRATIONS: Final = MIGRATIONS_ROOT / "tenant"

_FILE_NAME: Final = re.compile(r"(\d{4})_([a-z0-9_]+)\.sql")
# Only names we generate ourselves (nevguard, t_<slug>): no quoting needed or allowed.
_SCHEMA_NAME: Final = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_LOCK_NAMESPACE: Final = "nevguard.migrations:"


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str
    checksum: str  # sha256 of the file's bytes, hex


@dataclass(frozen=True, slots=True)
class MigrationReport:
    schema: str
    applied: tuple[int, ...]
    skipped: tuple[int, ...]


def load_migrations(directory: Path) -> tuple[Migration, ...]:
    """The ``NNNN_name.sql`` files of a directory in version order. Anything else in the
    directory, or two files with one version, is a MigrationFileError."""
    migrations: dict[int, Migration] = {}
    for path in sorted(directory.iterdir()):
        match = _FILE_NAME.fullmatch(path.name)
        if match is None or not path.is_file():
            raise MigrationFileError(f"{path}: expected a file named NNNN_name.sql")
        version = int(match.group(1))
        if version in migrations:
            raise MigrationFileError(f"{path}: version {version:04d} appears twice")
        data = path.read_bytes()
        migrations[version] = Migration(
            version=version,
            name=match.group(2),
            sql=data.decode("utf-8"),
            checksum=hashlib.sha256(data).hexdigest(),
        )
    return tuple(migrations[version] for version in sorted(migrations))


async def timescale_available(conn: Conn) -> bool:
    """Whether TimescaleDB is installed in this database (new time-series tables become
    hypertables); installing it is the administrator's job (scripts/services does it)."""
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'timescaledb')"
        )
    )


async def apply_migrations(
    conn: Conn, schema: str, migrations: tuple[Migration, ...], *, target: int | None = None
) -> MigrationReport:
    """Bring ``schema`` up to ``target`` (default: the newest migration). Idempotent."""
    if _SCHEMA_NAME.fullmatch(schema) is None:
        raise MigrationFileError(f"{schema!r} is not a schema name this runner manages")
    if conn.is_in_transaction():
        raise NestedTransaction("migrations run one transaction each, outside any other")
    await _prepare(conn, schema)
    known = {migration.version: migration for migration in migrations}
    for row in await conn.fetch(f"SELECT version, checksum FROM {schema}.schema_migrations"):
        migration = known.get(row["version"])
        if migration is None:
            raise MigrationUnknown(schema, row["version"])
        if migration.checksum != row["checksum"]:
            raise MigrationChecksumMismatch(schema, migration.version, migration.name)
    applied: list[int] = []
    skipped: list[int] = []
    for migration in migrations:
        if target is not None and migration.version > target:
            break
        if await _apply_one(conn, schema, migration):
            applied.append(migration.version)
        else:
            skipped.append(migration.version)
    return MigrationReport(schema, tuple(applied), tuple(skipped))


async def migrate_shared(conn: Conn, *, target: int | None = None) -> MigrationReport:
    return await apply_migrations(
        conn, SHARED_SCHEMA, load_migrations(SHARED_MIGRATIONS), target=target
    )


async def migrate_tenant(
    conn: Conn, tenant_slug: str, *, target: int | None = None
) -> MigrationReport:
    return await apply_migrations(
        conn, tenant_schema(tenant_slug), load_migrations(TENANT_MIGRATIONS), target=target
    )


async def migrate_all(conn: Conn) -> list[MigrationReport]:
    """The shared schema, then every tenant's schema in creation order."""
    reports = [await migrate_shared(conn)]
    tenant_migrations = load_migrations(TENANT_MIGRATIONS)
    for slug in await conn.fetch("SELECT slug FROM nevguard.tenants ORDER BY id"):
        reports.append(
            await apply_migrations(conn, tenant_schema(slug["slug"]), tenant_migrations)
        )
    return reports


async def _lock(conn: Conn, schema: str) -> None:
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", _LOCK_NAMESPACE + schema
    )


async def _prepare(conn: Conn, schema: str) -> None:
    # Under the lock too: concurrent CREATE ... IF NOT EXISTS can still collide in the catalog.
    async with conn.transaction():
        await _lock(conn, schema)
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        await conn.execute(
            f"""CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())"""
        )


async def _apply_one(conn: Conn, schema: str, migration: Migration) -> bool:
    """Apply one migration unless present; False when it was already there."""
    async with conn.transaction():
        await _lock(conn, schema)
        # Re-read under the lock: another runner may have applied it since we looked.
        checksum = await conn.fetchval(
            f"SELECT checksum FROM {schema}.schema_migrations WHERE version = $1",
            migration.version,
        )
        if checksum is not None:
            if checksum != migration.checksum:
                raise MigrationChecksumMismatch(schema, migration.version, migration.name)
            return False
        await conn.execute("SELECT set_config('search_path', $1, true)", schema)
        await conn.execute(migration.sql)
        await conn.execute(
            f"INSERT INTO {schema}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
            migration.version,
            migration.name,
            migration.checksum,
        )
    return True
