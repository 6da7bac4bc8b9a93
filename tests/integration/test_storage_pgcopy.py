"""The binary COPY encoder against the real server: the declared column types are the migrated
ones, and values of every type come back from PostgreSQL as they went in."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.storage import ingest
from backend.storage.pgcopy import copy_payload, row_encoder
from backend.storage.tenants import provision_tenant

pytestmark = pytest.mark.services

SPECS = {"realtime": ingest.REALTIME_TYPES, "raw_frames": ingest.RAW_FRAME_TYPES,
         "vehicle_events": ingest.EVENT_TYPES, "latest_state": ingest.LATEST_TYPES}


async def test_declared_types_are_the_migrated_tables_types(
        db: asyncpg.Connection, fresh_slug: str) -> None:
    await provision_tenant(db, fresh_slug)
    for table, spec in SPECS.items():
        rows = await db.fetch(
            "SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute "
            "WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped",
            f"t_{fresh_slug}.{table}")
        migrated = {row["attname"]: row["type"] for row in rows}
        assert {name: migrated.get(name) for name, _ in spec} == dict(spec), table


ROUND_TRIP_TYPES = (("t", "text"), ("j", "jsonb"), ("b", "bytea"), ("f", "boolean"),
                    ("s", "smallint"), ("i", "integer"), ("l", "bigint"), ("r", "real"),
                    ("d", "double precision"), ("ts", "timestamp with time zone"),
                    ("sa", "smallint[]"), ("ia", "integer[]"))
_ZONES = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))])
# PostgreSQL text and jsonb hold no NUL character (jsonb refuses \u0000).
_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
_JSON = st.recursive(st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _TEXT,
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=8)
ROWS = st.tuples(
    st.none() | _TEXT,
    st.none() | _JSON.map(lambda value: json.dumps(value, ensure_ascii=False)),
    st.none() | st.binary(max_size=40),
    st.none() | st.booleans(),
    st.none() | st.integers(-(2**15), 2**15 - 1),
    st.none() | st.integers(-(2**31), 2**31 - 1),
    st.none() | st.integers(-(2**63), 2**63 - 1),
    st.none() | st.floats(width=32, allow_nan=False),
    st.none() | st.floats(allow_nan=False),
    st.none() | st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1), timezones=_ZONES),
    st.none() | st.lists(st.none() | st.integers(-(2**15), 2**15 - 1), max_size=20),
    st.none() | st.lists(st.none() | st.integers(-(2**31), 2**31 - 1), max_size=200),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROWS, min_size=1, max_size=20))
async def test_values_come_back_as_they_went_in(db: asyncpg.Connection,
                                                rows: list[tuple[Any, ...]]) -> None:
    columns = ", ".join(f"{name} {sql_type}" for name, sql_type in ROUND_TRIP_TYPES)
    names = [name for name, _ in ROUND_TRIP_TYPES]
    async with db.transaction():
        await db.execute(f"CREATE TEMP TABLE copied (n serial, {columns}) ON COMMIT DROP")

        async def payload() -> Any:
            yield copy_payload(row_encoder(ROUND_TRIP_TYPES), rows)
        await db.copy_to_table("copied", source=payload(), columns=names, format="binary")
        back = await db.fetch(f"SELECT {', '.join(names)} FROM copied ORDER BY n")
    for sent, got in zip(rows, back, strict=True):
        expected = list(sent)
        if expected[1] is not None:  # jsonb normalises the text: compare the values
            expected[1] = json.loads(expected[1])
        received = list(got)
        if received[1] is not None:
            received[1] = json.loads(received[1])
        assert received == expected
