"""The tenant's alarm cases, their steps and evidence rows (migrations/tenant/0008). Call
inside ``tenant_tx``."""

# ruff: noqa: S608 - SQL text is built from the constants and placeholders below only.
from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any, Final

import asyncpg

from backend.core.alarm_cases.query import CaseFilter, CaseView, Evidence
from backend.core.alarm_cases.workflow import Case, CaseState, Disposition, Step, StepKind
from backend.core.alarms.conditions import Source
from backend.storage.db import Conn

CASE_COLUMNS: Final = (
    "id", "event_id", "vin", "level", "state", "opened_at", "confirm_due", "dispose_due",
    "acknowledged_at", "acknowledged_by", "assignee", "assigned_at", "disposed_at",
    "disposed_by", "disposition", "ack_escalations", "last_escalated_at", "dispose_escalated",
    "reopen_count")
_MUTABLE: Final = CASE_COLUMNS[3:]
_VIEW_FROM: Final = f"""
    SELECT {', '.join('c.' + name for name in CASE_COLUMNS)}, e.source, e.code,
           e.state AS event_state, v.model_id
      FROM alarm_cases AS c
      JOIN alarm_events AS e ON e.id = c.event_id
      LEFT JOIN (nevguard.vehicles AS v JOIN nevguard.tenants AS t
                 ON t.id = v.tenant_id AND t.slug = $1) ON v.vin = c.vin"""


def _values(case: Case) -> list[Any]:
    return [uuid.UUID(case.id), uuid.UUID(case.event_id), case.vin, case.level,
            case.state.value, case.opened_at, case.confirm_due, case.dispose_due,
            case.acknowledged_at, case.acknowledged_by, case.assignee, case.assigned_at,
            case.disposed_at, case.disposed_by,
            None if case.disposition is None else case.disposition.value,
            case.ack_escalations, case.last_escalated_at, case.dispose_escalated,
            case.reopen_count]


def case_of(row: asyncpg.Record) -> Case:
    return Case(
        id=str(row["id"]), event_id=str(row["event_id"]), vin=row["vin"], level=row["level"],
        state=CaseState(row["state"]), opened_at=row["opened_at"],
        confirm_due=row["confirm_due"], dispose_due=row["dispose_due"],
        acknowledged_at=row["acknowledged_at"], acknowledged_by=row["acknowledged_by"],
        assignee=row["assignee"], assigned_at=row["assigned_at"],
        disposed_at=row["disposed_at"], disposed_by=row["disposed_by"],
        disposition=None if row["disposition"] is None else Disposition(row["disposition"]),
        ack_escalations=row["ack_escalations"], last_escalated_at=row["last_escalated_at"],
        dispose_escalated=row["dispose_escalated"], reopen_count=row["reopen_count"])


def view_of(row: asyncpg.Record) -> CaseView:
    return CaseView(case_of(row), Source(row["source"]), row["code"], row["model_id"],
                    row["event_state"])


async def insert_case(conn: Conn, case: Case) -> bool:
    """False when the event already has a case (handled before)."""
    placeholders = ", ".join(f"${n}" for n in range(1, len(CASE_COLUMNS) + 1))
    inserted = await conn.fetchval(
        f"INSERT INTO alarm_cases ({', '.join(CASE_COLUMNS)}) VALUES ({placeholders}) "
        "ON CONFLICT (event_id) DO NOTHING RETURNING true", *_values(case))
    return bool(inserted)


async def save_case(conn: Conn, case: Case) -> None:
    sets = ", ".join(f"{name} = ${n}" for n, name in enumerate(_MUTABLE, 2))
    await conn.execute(f"UPDATE alarm_cases SET {sets}, updated_at = now() WHERE id = $1",
                       uuid.UUID(case.id), *_values(case)[3:])


async def lock_case(conn: Conn, case_id: uuid.UUID) -> Case | None:
    row = await conn.fetchrow(
        f"SELECT {', '.join(CASE_COLUMNS)} FROM alarm_cases WHERE id = $1 FOR UPDATE", case_id)
    return None if row is None else case_of(row)


async def case_for_event(conn: Conn, event_id: uuid.UUID) -> Case | None:
    row = await conn.fetchrow(
        f"SELECT {', '.join(CASE_COLUMNS)} FROM alarm_cases WHERE event_id = $1 FOR UPDATE",
        event_id)
    return None if row is None else case_of(row)


async def waiting_cases(conn: Conn, now: datetime, limit: int) -> list[Case]:
    """Cases past a deadline and not disposed (the escalation check), locked."""
    rows = await conn.fetch(
        f"""SELECT {', '.join(CASE_COLUMNS)} FROM alarm_cases
             WHERE state <> 'disposed' AND (confirm_due <= $1 OR dispose_due <= $1)
             ORDER BY confirm_due LIMIT $2 FOR UPDATE SKIP LOCKED""", now, limit)
    return [case_of(row) for row in rows]


async def add_step(conn: Conn, case_id: str, step: Step,
                   details: dict[str, Any] | None = None) -> None:
    await conn.execute(
        """INSERT INTO alarm_case_steps (case_id, kind, actor, at, comment, assignee,
                                         disposition, details)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
        uuid.UUID(case_id), step.kind.value, step.actor, step.at, step.comment, step.assignee,
        None if step.disposition is None else step.disposition.value,
        json.dumps(details or {}))


async def steps(conn: Conn, case_id: uuid.UUID) -> list[tuple[Step, dict[str, Any]]]:
    rows = await conn.fetch(
        """SELECT kind, actor, at, comment, assignee, disposition, details
             FROM alarm_case_steps WHERE case_id = $1 ORDER BY id""", case_id)
    return [(Step(StepKind(row["kind"]), row["actor"], row["at"], row["comment"],
                  row["assignee"],
                  None if row["disposition"] is None else Disposition(row["disposition"])),
             json.loads(row["details"])) for row in rows]


async def add_evidence(conn: Conn, case_id: str, evidence: Evidence) -> None:
    await conn.execute(
        """INSERT INTO alarm_case_evidence (id, case_id, object_key, file_name, content_type,
                                            added_by, added_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        uuid.UUID(evidence.id), uuid.UUID(case_id), evidence.object_key, evidence.file_name,
        evidence.content_type, evidence.added_by, evidence.added_at)


async def evidence(conn: Conn, case_id: uuid.UUID) -> list[Evidence]:
    rows = await conn.fetch(
        """SELECT id, file_name, content_type, added_by, added_at, object_key
             FROM alarm_case_evidence WHERE case_id = $1 ORDER BY added_at, id""", case_id)
    return [Evidence(str(row["id"]), row["file_name"], row["content_type"], row["added_by"],
                     row["added_at"], row["object_key"]) for row in rows]


async def case_view(conn: Conn, tenant: str, case_id: uuid.UUID) -> CaseView | None:
    row = await conn.fetchrow(_VIEW_FROM + " WHERE c.id = $2", tenant, case_id)
    return None if row is None else view_of(row)


def _conditions(filters: CaseFilter) -> tuple[list[str], list[Any]]:
    parts: list[str] = []
    values: list[Any] = []

    def add(template: str, value: Any) -> None:
        values.append(value)
        parts.append(template.format(f"${len(values) + 1}"))

    for column, value in (("c.vin", filters.vin), ("v.model_id", filters.model_id),
                          ("c.level", filters.level), ("e.code", filters.code),
                          ("c.assignee", filters.assignee)):
        if value is not None:
            add(column + " = {}", value)
    if filters.state is not None:
        add("c.state = {}", filters.state.value)
    if filters.opened_from is not None:
        add("c.opened_at >= {}", filters.opened_from)
    if filters.opened_to is not None:
        add("c.opened_at < {}", filters.opened_to)
    return parts, values


async def case_page(conn: Conn, tenant: str, filters: CaseFilter,
                    position: tuple[datetime, str] | None, limit: int) -> list[CaseView]:
    """Newest first, keyset on (opened_at, id)."""
    parts, values = _conditions(filters)
    if position is not None:
        values += [position[0], uuid.UUID(position[1])]
        parts.append(f"(c.opened_at, c.id) < (${len(values)}, ${len(values) + 1})")
    where = f" WHERE {' AND '.join(parts)}" if parts else ""
    values.append(limit)
    rows = await conn.fetch(
        f"{_VIEW_FROM}{where} ORDER BY c.opened_at DESC, c.id DESC LIMIT ${len(values) + 1}",
        tenant, *values)
    return [view_of(row) for row in rows]
