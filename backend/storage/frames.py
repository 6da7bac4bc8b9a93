"""Raw frames, the decoded realtime rows beside them, and link events of one vehicle. Call
inside ``tenant_tx``."""

# ruff: noqa: S608 - column names come from the ingest column list; values are bound.
from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final

from backend.core.raw_frames import DecodedRecord, RawFrame
from backend.core.sessions import LINK_KINDS, LinkEvent
from backend.storage.db import Conn
from backend.storage.ingest import REALTIME_COLUMNS

# Every realtime column but the VIN (the caller knows it) in the order of the table.
RECORD_COLUMNS: Final = tuple(column for column in REALTIME_COLUMNS if column != "vin")
_JSONB: Final = frozenset({"fault_codes", "alarm_levels", "battery", "motors", "fuel_cell",
                           "engine", "extras", "sentinels"})


async def raw_frame_page(conn: Conn, vin: str, start: datetime, end: datetime, *,
                         after: Sequence[Any] | None, limit: int) -> list[RawFrame]:
    """Frames received in [start, end), oldest first, after the keyset position ``after``
    ((received_at, frame_hash)); at most ``limit``; without their decoded records."""
    rows = await conn.fetch(
        """SELECT received_at, collected_at, command, edition, frame, frame_hash
             FROM raw_frames
            WHERE vin = $1 AND received_at >= $2 AND received_at < $3
              AND ($4::timestamptz IS NULL OR (received_at, frame_hash) > ($4, $5::bytea))
            ORDER BY received_at, frame_hash LIMIT $6""",
        vin, start, end, *(after or (None, None)), limit)
    return [RawFrame(row["received_at"], row["collected_at"], row["command"], row["edition"],
                     row["frame"], row["frame_hash"]) for row in rows]


def _plain(column: str, value: Any) -> Any:
    """A database value as the API shows it: JSON parsed, bytes as hex, arrays as tuples."""
    if value is None:
        return None
    if column in _JSONB:
        return json.loads(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list):
        return tuple(value)
    return value


async def records_at(conn: Conn, vin: str,
                     times: Collection[datetime]) -> list[DecodedRecord]:
    """The realtime rows collected at any of ``times``."""
    rows = await conn.fetch(
        f"""SELECT {", ".join(RECORD_COLUMNS)} FROM realtime
             WHERE vin = $1 AND collected_at = ANY($2::timestamptz[])
             ORDER BY collected_at, content_hash""", vin, list(times))
    return [DecodedRecord(row["collected_at"], row["content_hash"],
                          MappingProxyType({c: _plain(c, row[c]) for c in RECORD_COLUMNS}))
            for row in rows]


async def link_events(conn: Conn, vin: str, start: datetime, end: datetime, *,
                      limit: int) -> list[LinkEvent]:
    """Up to ``limit`` link events in [start, end), plus the newest before ``start`` and the
    first from ``end`` on, so periods crossing either edge get their true start and end."""
    rows = await conn.fetch(
        """(SELECT at, kind, details FROM vehicle_events
             WHERE vin = $1 AND at < $2 AND kind = ANY($4::text[])
             ORDER BY at DESC LIMIT 1)
           UNION ALL
           (SELECT at, kind, details FROM vehicle_events
             WHERE vin = $1 AND at >= $2 AND at < $3 AND kind = ANY($4::text[])
             ORDER BY at LIMIT $5)
           UNION ALL
           (SELECT at, kind, details FROM vehicle_events
             WHERE vin = $1 AND at >= $3 AND kind = ANY($4::text[])
             ORDER BY at LIMIT 1)""",
        vin, start, end, sorted(LINK_KINDS), limit)
    return [LinkEvent(row["at"], row["kind"], json.loads(row["details"])) for row in rows]
