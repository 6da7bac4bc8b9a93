"""Security alerts in PostgreSQL: the audit entries the rules look at, and idempotent upserts.

An alert remembers the newest audit entry it counted (``last_seq``); a finding adds only the
entries after it, so evaluating overlapping stretches of the log again and again counts each
entry once. An acknowledged alert stays as it was: entries newer than it open a new alert.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import asyncpg

from backend.core.audit import LOGIN_OPERATIONS, ChainedEntry, Result
from backend.core.security_alerts import AlertKind, Finding
from backend.storage.audit import ALL_TENANTS, SELECT, row_to_entry
from backend.storage.db import Conn
from backend.storage.errors import InvalidAuditQuery

_LOCK: Final = "nevguard.security_alerts"
MAX_ALERTS_PAGE: Final = 500
# Under a flood the rules need the pattern, not every row; this bounds one evaluation's memory.
MAX_EVALUATED: Final = 200_000


@dataclass(frozen=True, slots=True)
class SecurityAlert:
    id: int
    kind: AlertKind
    tenant: str | None
    subject: str
    first_seen: datetime
    last_seen: datetime
    count: int
    details: dict[str, Any]
    acknowledged: bool
    acknowledged_by: str | None


def _alert(row: asyncpg.Record) -> SecurityAlert:
    return SecurityAlert(row["id"], AlertKind(row["kind"]), row["tenant"], row["subject"],
                         row["first_seen"], row["last_seen"], row["count"],
                         json.loads(row["details"]), row["acknowledged"],
                         row["acknowledged_by"])


async def entries_for_rules(conn: Conn, since: datetime) -> list[ChainedEntry]:
    """Entries since ``since`` that some rule can match: failed logins, denials and
    cross-tenant actions (newest first when the cap cuts)."""
    rows = await conn.fetch(
        f"""{SELECT}
             WHERE at >= $1
               AND ((operation = ANY($2::text[]) AND result IN ('failed', 'denied'))
                    OR result = $3
                    OR (actor_tenant IS NOT NULL AND tenant IS NOT NULL
                        AND actor_tenant <> tenant))
             ORDER BY seq DESC LIMIT $4""",
        since, sorted(LOGIN_OPERATIONS), Result.DENIED.value, MAX_EVALUATED)
    return [row_to_entry(row) for row in reversed(rows)]


async def upsert_findings(conn: Conn, findings: Sequence[Finding]) -> list[SecurityAlert]:
    """Record ``findings``; returns the alerts opened or moved on (unchanged ones are not)."""
    changed: list[SecurityAlert] = []
    async with conn.transaction():
        # One evaluator at a time: two would both see "no open alert" and both insert.
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", _LOCK)
        for finding in findings:
            latest = await conn.fetchrow(
                """SELECT id, acknowledged, last_seq FROM nevguard.security_alerts
                    WHERE kind = $1 AND tenant IS NOT DISTINCT FROM $2 AND subject = $3
                    ORDER BY last_seq DESC LIMIT 1""",
                finding.kind.value, finding.tenant, finding.subject)
            counted = 0 if latest is None else latest["last_seq"]
            new = [seq for seq in finding.seqs if seq > counted]
            if not new:
                continue
            details = json.dumps(finding.details, sort_keys=True)
            if latest is not None and not latest["acknowledged"]:
                row = await conn.fetchrow(
                    """UPDATE nevguard.security_alerts
                          SET count = count + $2, last_seq = $3, details = $4::jsonb,
                              first_seen = least(first_seen, $5),
                              last_seen = greatest(last_seen, $6)
                        WHERE id = $1 RETURNING *""",
                    latest["id"], len(new), max(new), details, finding.first_seen,
                    finding.last_seen)
            else:
                row = await conn.fetchrow(
                    """INSERT INTO nevguard.security_alerts
                           (kind, tenant, subject, first_seen, last_seen, count, last_seq, details)
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) RETURNING *""",
                    finding.kind.value, finding.tenant, finding.subject, finding.first_seen,
                    finding.last_seen, len(new), max(new), details)
            if row is not None:
                changed.append(_alert(row))
    return changed


async def raise_storage_alert(conn: Conn, tenant: str, threshold: int, at: datetime,
                              details: dict[str, Any]) -> SecurityAlert:
    """Open the tenant's storage alert for ``threshold`` (percent), or move the open one on.
    Not an audit finding: ``last_seq`` stays 0."""
    row = await conn.fetchrow(
        """INSERT INTO nevguard.security_alerts
               (kind, tenant, subject, first_seen, last_seen, count, last_seq, details)
           VALUES ($1, $2, $3, $4, $4, 1, 0, $5::jsonb)
           ON CONFLICT (kind, coalesce(tenant, ''), subject) WHERE NOT acknowledged
           DO UPDATE SET count = security_alerts.count + 1, details = excluded.details,
                         last_seen = greatest(security_alerts.last_seen, excluded.last_seen)
        RETURNING *""",
        AlertKind.STORAGE_QUOTA.value, tenant, f"{threshold}%", at,
        json.dumps(details, sort_keys=True))
    if row is None:
        raise RuntimeError("INSERT ... RETURNING gave no row")
    return _alert(row)


async def list_alerts(conn: Conn, scope: str, *, include_acknowledged: bool = False,
                      limit: int = 100) -> list[SecurityAlert]:
    """Newest first; ``scope`` is a tenant slug or ALL_TENANTS."""
    if not 1 <= limit <= MAX_ALERTS_PAGE:
        raise InvalidAuditQuery(f"page size must be between 1 and {MAX_ALERTS_PAGE}")
    rows = await conn.fetch(
        """SELECT * FROM nevguard.security_alerts
            WHERE ($1::text IS NULL OR tenant = $1) AND ($2 OR NOT acknowledged)
            ORDER BY last_seen DESC, id DESC LIMIT $3""",
        None if scope == ALL_TENANTS else scope, include_acknowledged, limit)
    return [_alert(row) for row in rows]


async def acknowledge(conn: Conn, alert_id: int, scope: str, by: str) -> SecurityAlert | None:
    """Mark an open alert of ``scope`` acknowledged; None when there is no such open alert."""
    row = await conn.fetchrow(
        """UPDATE nevguard.security_alerts
              SET acknowledged = true, acknowledged_by = $3, acknowledged_at = now()
            WHERE id = $1 AND NOT acknowledged AND ($2::text IS NULL OR tenant = $2)
        RETURNING *""",
        alert_id, None if scope == ALL_TENANTS else scope, by)
    return None if row is None else _alert(row)
