"""Reading alarm events for people and systems: filtered keyset pages, one event, flags.
Call inside ``tenant_tx``."""

# ruff: noqa: S608 - SQL text is built from the constants and placeholders below only.
from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Final

from backend.core.alarms.compliance import FlagKind
from backend.core.alarms.query import AlarmEventView, ComplianceFlagView, EventFilter
from backend.storage.alarms import EVENT_COLUMNS, event_of
from backend.storage.db import Conn

# Events of VINs the tenant no longer has registered stay readable: the model is then NULL.
_FROM: Final = f"""
    SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)}, v.model_id
      FROM alarm_events AS e
      LEFT JOIN (nevguard.vehicles AS v JOIN nevguard.tenants AS t
                 ON t.id = v.tenant_id AND t.slug = $1) ON v.vin = e.vin"""


def _conditions(filters: EventFilter) -> tuple[list[str], list[Any]]:
    parts: list[str] = []
    values: list[Any] = []

    def add(template: str, value: Any) -> None:
        values.append(value)
        parts.append(template.format(f"${len(values) + 1}"))

    if filters.vin is not None:
        add("e.vin = {}", filters.vin)
    if filters.model_id is not None:
        add("v.model_id = {}", filters.model_id)
    if filters.min_level is not None:
        add("e.peak_level >= {}", filters.min_level)
    if filters.source is not None:
        add("e.source = {}", filters.source.value)
    if filters.code is not None:
        add("e.code = {}", filters.code)
    if filters.state is not None:
        add("e.state = {}", filters.state.value)
    if filters.opened_from is not None:
        add("e.opened_at >= {}", filters.opened_from)
    if filters.opened_to is not None:
        add("e.opened_at < {}", filters.opened_to)
    return parts, values


async def _flags(conn: Conn, ids: Collection[uuid.UUID]) -> dict[str, list[ComplianceFlagView]]:
    rows = await conn.fetch(
        """SELECT event_id, kind, detected_at, details FROM compliance_flags
            WHERE event_id = ANY($1::uuid[]) ORDER BY detected_at, id""", list(ids))
    found: dict[str, list[ComplianceFlagView]] = {}
    for row in rows:
        found.setdefault(str(row["event_id"]), []).append(ComplianceFlagView(
            FlagKind(row["kind"]), row["detected_at"], json.loads(row["details"])))
    return found


async def _views(conn: Conn, rows: Sequence[Any]) -> list[AlarmEventView]:
    flags = await _flags(conn, [row["id"] for row in rows])
    return [AlarmEventView(event_of(row), row["model_id"],
                           tuple(flags.get(str(row["id"]), ()))) for row in rows]


async def event_page(conn: Conn, tenant: str, filters: EventFilter,
                     after: tuple[datetime, str] | None, limit: int) -> list[AlarmEventView]:
    """Newest first by (opened_at, id), after the keyset position ``after``."""
    parts, values = _conditions(filters)
    if after is not None:
        values += [after[0], uuid.UUID(after[1])]
        parts.append(f"(e.opened_at, e.id) < (${len(values)}, ${len(values) + 1})")
    where = " AND ".join(parts) or "true"
    rows = await conn.fetch(
        f"{_FROM} WHERE {where} ORDER BY e.opened_at DESC, e.id DESC LIMIT ${len(values) + 2}",
        tenant, *values, limit)
    return await _views(conn, rows)


async def event_by_id(conn: Conn, tenant: str, event_id: uuid.UUID) -> AlarmEventView | None:
    rows = await conn.fetch(f"{_FROM} WHERE e.id = $2", tenant, event_id)
    views = await _views(conn, rows)
    return views[0] if views else None
