"""The audit log in PostgreSQL: append (one chain for the platform), filtered keyset reads.

Appends lock the chain head row, so they are serialized platform-wide: each append is one
short transaction of its own (never inside a caller's long transaction, which would hold every
other appender up), and busy callers hand over batches (``append_many``: one COPY per batch).
Verification and pruning are in ``audit_retention.py``.
"""

# ruff: noqa: S608 - the WHERE clauses are built from fixed fragments; values are bound.
from __future__ import annotations

import ipaddress
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import asyncpg

from backend.core.audit import AuditEntry, ChainedEntry, Result, chain
from backend.storage.db import Conn, Pool
from backend.storage.errors import InvalidAuditQuery

MAX_PAGE: Final = 500
COLUMNS: Final = ("seq", "at", "actor_kind", "actor_id", "actor_tenant", "role", "tenant",
                  "operation", "targets", "result", "ip", "user_agent", "request_id", "details",
                  "prev_hash", "hash")
SELECT: Final = f"SELECT {', '.join(COLUMNS)} FROM nevguard.audit_log"
ALL_TENANTS: Final = "*"  # the provider's scope in ``query``


def row_to_entry(row: asyncpg.Record) -> ChainedEntry:
    ip = row["ip"]
    entry = AuditEntry(
        at=row["at"], actor_kind=row["actor_kind"], actor_id=row["actor_id"],
        operation=row["operation"], result=row["result"], actor_tenant=row["actor_tenant"],
        role=row["role"], tenant=row["tenant"], targets=tuple(row["targets"]),
        ip=None if ip is None else str(ip), user_agent=row["user_agent"],
        request_id=row["request_id"], details=json.loads(row["details"]))
    return ChainedEntry(row["seq"], entry, bytes(row["prev_hash"]), bytes(row["hash"]))


def _record(item: ChainedEntry) -> tuple[object, ...]:
    entry = item.entry
    return (item.seq, entry.at, entry.actor_kind.value, entry.actor_id, entry.actor_tenant,
            entry.role, entry.tenant, entry.operation, list(entry.targets), entry.result.value,
            None if entry.ip is None else ipaddress.ip_address(entry.ip), entry.user_agent,
            entry.request_id, json.dumps(entry.details, sort_keys=True), item.prev_hash,
            item.hash)


async def append_many(target: Conn | Pool, entries: Sequence[AuditEntry]) -> list[ChainedEntry]:
    """Append ``entries`` in order in one transaction; returns them numbered and hashed."""
    if not entries:
        return []
    if isinstance(target, asyncpg.Pool):
        async with target.acquire() as conn:
            return await append_many(conn, entries)
    async with target.transaction():
        head = await target.fetchrow(
            "SELECT seq, hash FROM nevguard.audit_chain_head FOR UPDATE")
        if head is None:
            raise InvalidAuditQuery("the audit chain head is missing (migration 0005)")
        chained = chain(entries, after_seq=head["seq"], prev_hash=bytes(head["hash"]))
        if len(chained) == 1:
            # One INSERT is cheaper than COPY's setup for the common single append.
            await target.execute(
                f"INSERT INTO nevguard.audit_log ({', '.join(COLUMNS)}) VALUES "
                f"({', '.join(f'${n}' for n in range(1, len(COLUMNS) + 1))})",
                *_record(chained[0]))
        else:
            await target.copy_records_to_table(
                "audit_log", schema_name="nevguard", columns=COLUMNS,
                records=[_record(item) for item in chained])
        await target.execute("UPDATE nevguard.audit_chain_head SET seq = $1, hash = $2",
                             chained[-1].seq, chained[-1].hash)
    return chained


async def append(target: Conn | Pool, entry: AuditEntry) -> ChainedEntry:
    return (await append_many(target, [entry]))[0]


@dataclass(frozen=True, slots=True)
class AuditFilter:
    actor_id: str | None = None
    operation: str | None = None
    result: Result | None = None
    tenant: str | None = None  # the tenant acted in (the provider narrowing its view)
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[ChainedEntry]
    next_before: int | None  # pass as ``before`` for the next (older) page; None at the end


async def query(conn: Conn, scope: str, filters: AuditFilter, *, limit: int = 100,
                before: int | None = None) -> AuditPage:
    """Newest first. ``scope`` is a tenant slug (only entries visible to it, see
    AuditEntry.visible_to) or ALL_TENANTS; the caller decided which one the actor may use."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidAuditQuery(f"page size must be between 1 and {MAX_PAGE}")
    clauses: list[str] = []
    values: list[object] = []

    def where(fragment: str, value: object) -> None:
        values.append(value)
        clauses.append(fragment.format(f"${len(values)}"))

    if scope != ALL_TENANTS:
        where("coalesce(actor_tenant, tenant) = {}", scope)
    if filters.tenant is not None:
        where("tenant = {}", filters.tenant)
    if filters.actor_id is not None:
        where("actor_id = {}", filters.actor_id)
    if filters.operation is not None:
        where("operation = {}", filters.operation)
    if filters.result is not None:
        where("result = {}", Result(filters.result).value)
    if filters.since is not None:
        where("at >= {}", filters.since)
    if filters.until is not None:
        where("at < {}", filters.until)
    if before is not None:
        where("seq < {}", before)
    condition = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    values.append(limit + 1)
    rows = await conn.fetch(f"{SELECT}{condition} ORDER BY seq DESC LIMIT ${len(values)}",
                            *values)
    entries = [row_to_entry(row) for row in rows[:limit]]
    more = len(rows) > limit
    return AuditPage(entries, entries[-1].seq if more else None)
