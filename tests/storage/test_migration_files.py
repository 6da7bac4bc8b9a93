"""The migration files and the ingest column lists, checked without a database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend.storage import ingest
from backend.storage.errors import MigrationFileError
from backend.storage.migrate import (
    SHARED_MIGRATIONS,
    TENANT_MIGRATIONS,
    load_migrations,
)
from gateway.ingest import columns as gateway_columns


@pytest.mark.parametrize("directory", [SHARED_MIGRATIONS, TENANT_MIGRATIONS])
def test_versions_start_at_one_without_gaps(directory: Path) -> None:
    migrations = load_migrations(directory)
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert all(len(m.checksum) == 64 for m in migrations)


def test_tenant_migrations_name_no_schema_of_their_own() -> None:
    # Tenant files are applied to every t_<slug> schema through search_path: a tenant schema
    # prefix would pin them to one tenant, and from the shared schema they may only call the
    # helper functions (never reach its tables).
    shared_sql = "\n".join(m.sql for m in load_migrations(SHARED_MIGRATIONS))
    helpers = set(re.findall(r"CREATE FUNCTION nevguard\.(\w+)\(", shared_sql))
    assert {"timescale_enabled", "create_time_series", "is_hypertable"} <= helpers
    for migration in load_migrations(TENANT_MIGRATIONS):
        assert re.search(r"\bt_[a-z0-9_]*\.", migration.sql) is None, migration.name
        called = set(re.findall(r"\bnevguard\.(\w+)", migration.sql))
        assert called <= helpers, migration.name


def test_checksum_covers_the_bytes(tmp_path: Path) -> None:
    (tmp_path / "0001_first.sql").write_text("SELECT 1;\n")
    before = load_migrations(tmp_path)[0].checksum
    (tmp_path / "0001_first.sql").write_text("SELECT 1; \n")
    assert load_migrations(tmp_path)[0].checksum != before


@pytest.mark.parametrize(
    "names",
    [
        ["0001_first.sql", "README.md"],
        ["1_first.sql"],
        ["0001_First.sql"],
        ["0001_first.sql", "0001_again.sql"],
    ],
)
def test_bad_directory_contents_are_refused(tmp_path: Path, names: list[str]) -> None:
    for name in names:
        (tmp_path / name).write_text("SELECT 1;\n")
    with pytest.raises(MigrationFileError):
        load_migrations(tmp_path)


def _declared_columns(sql: str, table: str) -> tuple[str, ...]:
    """Column names of a create_time_series('<table>', ...) or CREATE TABLE <table> block."""
    match = re.search(
        rf"create_time_series\('{table}',[^$]*\$columns\$(.*?)\$columns\$"
        rf"|CREATE TABLE {table} \((.*?)\n\);",
        sql,
        re.S,
    )
    assert match is not None, table
    body = match.group(1) or match.group(2)
    names = []
    for line in body.splitlines():
        words = line.strip().split()
        if words and words[0] not in {"PRIMARY", "CONSTRAINT", "UNIQUE", "--"}:
            names.append(words[0])
    return tuple(names)


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("realtime", ingest.REALTIME_COLUMNS),
        ("raw_frames", ingest.RAW_FRAME_COLUMNS),
        ("vehicle_events", ingest.EVENT_COLUMNS),
        ("latest_state", ingest.LATEST_COLUMNS),
    ],
)
def test_ingest_columns_are_the_table_columns_in_order(
    table: str, columns: tuple[str, ...]
) -> None:
    sql = "\n".join(m.sql for m in load_migrations(TENANT_MIGRATIONS))
    assert _declared_columns(sql, table) == columns


def test_gateway_builds_rows_in_the_storage_column_order() -> None:
    assert gateway_columns.REALTIME_COLUMNS == ingest.REALTIME_COLUMNS
    assert gateway_columns.RAW_FRAME_COLUMNS == ingest.RAW_FRAME_COLUMNS
    assert gateway_columns.EVENT_COLUMNS == ingest.EVENT_COLUMNS
    assert gateway_columns.LATEST_COLUMNS == ingest.LATEST_COLUMNS
