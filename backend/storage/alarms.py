"""The tenant's alarm tables (migrations/tenant/0006): events, rule overrides, compliance
flags. Call inside ``tenant_tx``."""

# ruff: noqa: S608 - SQL text is built from the constants and placeholders below only.
from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any, Final

import asyncpg

from backend.core.alarms.compliance import Flag
from backend.core.alarms.conditions import Source
from backend.core.alarms.lifecycle import AlarmEvent, EventState
from backend.core.alarms.rules import RULE_CODES, RuleCode, RuleOverride
from backend.storage.db import Conn, registry_vins

EVENT_COLUMNS: Final = (
    "id", "vin", "source", "code", "state", "level", "peak_level", "opened_at", "last_seen_at",
    "cleared_at", "closed_at", "frame_count", "reopen_count", "flapping", "historical",
    "fault_codes", "feed_position")
_TYPES: Final = ("uuid", "text", "text", "text", "text", "smallint", "smallint", "timestamptz",
                 "timestamptz", "timestamptz", "timestamptz", "integer", "integer", "boolean",
                 "boolean", "text", "text")
_UPDATED: Final = [name for name in EVENT_COLUMNS if name not in {"id", "vin", "source", "code"}]
# fault_codes travels as array-literal text: unnest cannot take an array of arrays of different
# lengths, so each event's codes are one text value cast back here.
_SELECTED: Final = ", ".join(f"u.{c}::bigint[]" if c == "fault_codes" else f"u.{c}"
                            for c in EVENT_COLUMNS)
_UPSERT: Final = (
    f"INSERT INTO alarm_events ({', '.join(EVENT_COLUMNS)}) SELECT {_SELECTED} "
    f"FROM unnest({', '.join(f'${n}::{t}[]' for n, t in enumerate(_TYPES, 1))}) "
    f"AS u({', '.join(EVENT_COLUMNS)}) "
    f"ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in _UPDATED)}, "
    "updated_at = now()")


def _codes_text(codes: frozenset[int]) -> str:
    return "{" + ",".join(str(code) for code in sorted(codes)) + "}"


async def save_events(conn: Conn, events: Sequence[AlarmEvent]) -> None:
    """Insert or update the events (by id) in one statement."""
    if not events:
        return
    columns: list[list[Any]] = [[] for _ in EVENT_COLUMNS]
    for event in events:
        values = (uuid.UUID(event.id), event.vin, event.source.value, event.code,
                  event.state.value, event.level, event.peak_level, event.opened_at,
                  event.last_seen_at, event.cleared_at, event.closed_at, event.frame_count,
                  event.reopen_count, event.flapping, event.historical,
                  _codes_text(event.fault_codes), event.feed_position)
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    await conn.execute(_UPSERT, *columns)


def event_of(row: asyncpg.Record) -> AlarmEvent:
    return AlarmEvent(
        id=str(row["id"]), vin=row["vin"], source=Source(row["source"]), code=row["code"],
        state=EventState(row["state"]), opened_at=row["opened_at"],
        last_seen_at=row["last_seen_at"], level=row["level"], peak_level=row["peak_level"],
        frame_count=row["frame_count"], reopen_count=row["reopen_count"],
        flapping=row["flapping"], historical=row["historical"], cleared_at=row["cleared_at"],
        closed_at=row["closed_at"], fault_codes=frozenset(row["fault_codes"]),
        feed_position=row["feed_position"])


_SELECT: Final = f"SELECT {', '.join(EVENT_COLUMNS)} FROM alarm_events"


async def live_events(conn: Conn, written_since: datetime) -> list[AlarmEvent]:
    """What the engine starts from: open events, and closed events written at or after
    ``written_since`` (they can still reopen; the engine drops those too old by data time)."""
    rows = await conn.fetch(
        _SELECT + " WHERE state = 'open' OR (state = 'closed' AND updated_at >= $1)",
        written_since)
    return [event_of(row) for row in rows]


async def save_flags(conn: Conn, flags: Iterable[Flag]) -> int:
    """Insert the flags not recorded yet (one per event and kind); returns how many were new."""
    rows = [(uuid.UUID(flag.event_id), flag.vin, flag.kind.value, flag.detected_at,
             json.dumps(flag.details)) for flag in flags]
    if not rows:
        return 0
    inserted = await conn.fetch(
        """INSERT INTO compliance_flags (event_id, vin, kind, detected_at, details)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[],
                                $5::jsonb[])
           ON CONFLICT (event_id, kind) DO NOTHING RETURNING id""",
        *(list(column) for column in zip(*rows, strict=True)))
    return len(inserted)


async def rule_overrides(conn: Conn) -> list[RuleOverride]:
    rows = await conn.fetch(
        "SELECT code, model_id, threshold, level, enabled FROM alarm_rules ORDER BY id")
    return [RuleOverride(RuleCode(row["code"]), row["model_id"], row["threshold"], row["level"],
                         row["enabled"]) for row in rows if row["code"] in RULE_CODES]


async def put_rule_override(conn: Conn, override: RuleOverride, actor: str) -> None:
    """Set (or, with every part unset, remove) the tenant's override of one rule."""
    if override.threshold is None and override.level is None and override.enabled is None:
        await conn.execute(
            "DELETE FROM alarm_rules WHERE code = $1 AND model_id IS NOT DISTINCT FROM $2",
            override.code.value, override.model_id)
        return
    await conn.execute(
        """INSERT INTO alarm_rules (code, model_id, threshold, level, enabled, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (code, model_id) DO UPDATE SET threshold = EXCLUDED.threshold,
               level = EXCLUDED.level, enabled = EXCLUDED.enabled,
               updated_by = EXCLUDED.updated_by, updated_at = now()""",
        override.code.value, override.model_id, override.threshold, override.level,
        override.enabled, actor)


async def model_exists(conn: Conn, model_id: int) -> bool:
    return bool(await conn.fetchval("SELECT EXISTS (SELECT 1 FROM vehicle_models WHERE id = $1)",
                                    model_id))


async def vehicle_models(conn: Conn, tenant: str, vins: Collection[str]) -> dict[str, int | None]:
    """The model of each of ``vins`` the tenant has registered."""
    rows = await conn.fetch(
        f"""SELECT v.vin::text AS vin, v.model_id FROM nevguard.vehicles AS v
             JOIN nevguard.tenants AS t ON t.id = v.tenant_id AND t.slug = $1
            WHERE v.vin = ANY({registry_vins('$2')})""", tenant, list(vins))
    return {row["vin"]: row["model_id"] for row in rows}
