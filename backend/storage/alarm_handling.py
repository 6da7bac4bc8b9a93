"""The handling queue the alarm-event trigger fills, the tenant's handling settings and rota
documents, notification channels and the delivery outbox (migrations/tenant/0008). Call inside
``tenant_tx``."""

# ruff: noqa: S608 - SQL text is built from the constants and placeholders below only.
from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from backend.core.alarm_cases.delivery import DeliveryStatus
from backend.core.alarm_cases.policy import Channel
from backend.core.alarms.lifecycle import AlarmEvent
from backend.storage.alarms import EVENT_COLUMNS, event_of
from backend.storage.db import Conn


@dataclass(frozen=True, slots=True)
class QueuedChange:
    id: int
    change: str  # opened, level_raised, closed, reopened
    level: int
    event: AlarmEvent


async def queued_changes(conn: Conn, limit: int) -> list[QueuedChange]:
    """The oldest unhandled changes with their events, locked (another worker skips them)."""
    rows = await conn.fetch(
        f"""SELECT q.id AS queue_id, q.change, q.level AS queued_level,
                   {', '.join('e.' + c for c in EVENT_COLUMNS)}
              FROM alarm_handling_queue AS q JOIN alarm_events AS e ON e.id = q.event_id
             WHERE q.handled_at IS NULL
             ORDER BY q.id LIMIT $1 FOR UPDATE OF q SKIP LOCKED""", limit)
    return [QueuedChange(row["queue_id"], row["change"], row["queued_level"], event_of(row))
            for row in rows]


async def events_by_id(conn: Conn, ids: Sequence[uuid.UUID]) -> list[AlarmEvent]:
    rows = await conn.fetch(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM alarm_events WHERE id = ANY($1::uuid[])",
        list(ids))
    return [event_of(row) for row in rows]


async def mark_handled(conn: Conn, ids: Sequence[int], now: datetime) -> None:
    await conn.execute("UPDATE alarm_handling_queue SET handled_at = $2 WHERE id = ANY($1)",
                       list(ids), now)


async def settings_document(conn: Conn, name: str) -> dict[str, Any] | None:
    raw = await conn.fetchval("SELECT document FROM alarm_handling_settings WHERE name = $1",
                              name)
    return None if raw is None else dict(json.loads(raw))


async def put_settings_document(conn: Conn, name: str, document: dict[str, Any],
                                actor: str) -> None:
    await conn.execute(
        """INSERT INTO alarm_handling_settings (name, document, updated_by) VALUES ($1, $2, $3)
           ON CONFLICT (name) DO UPDATE SET document = EXCLUDED.document,
               updated_by = EXCLUDED.updated_by, updated_at = now()""",
        name, json.dumps(document), actor)


@dataclass(frozen=True, slots=True)
class ChannelRow:
    kind: Channel
    enabled: bool
    target: str
    settings: dict[str, Any]
    secret_sealed: bytes | None
    updated_by: str
    updated_at: datetime


async def channels(conn: Conn) -> list[ChannelRow]:
    rows = await conn.fetch(
        """SELECT kind, enabled, target, settings, secret_sealed, updated_by, updated_at
             FROM notification_channels ORDER BY kind""")
    return [ChannelRow(Channel(row["kind"]), row["enabled"], row["target"],
                       json.loads(row["settings"]), row["secret_sealed"], row["updated_by"],
                       row["updated_at"]) for row in rows]


async def put_channel(conn: Conn, kind: Channel, *, enabled: bool, target: str,
                      settings: dict[str, Any], secret_sealed: bytes | None,
                      keep_secret: bool, actor: str) -> None:
    """``keep_secret``: leave the stored secret as it is (an edit that does not repeat it)."""
    await conn.execute(
        """INSERT INTO notification_channels (kind, enabled, target, settings, secret_sealed,
                                              updated_by)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (kind) DO UPDATE SET enabled = EXCLUDED.enabled,
               target = EXCLUDED.target, settings = EXCLUDED.settings,
               secret_sealed = CASE WHEN $7 THEN notification_channels.secret_sealed
                                    ELSE EXCLUDED.secret_sealed END,
               updated_by = EXCLUDED.updated_by, updated_at = now()""",
        kind.value, enabled, target, json.dumps(settings), secret_sealed, actor, keep_secret)


async def delete_channel(conn: Conn, kind: Channel) -> bool:
    return bool(await conn.fetchval(
        "DELETE FROM notification_channels WHERE kind = $1 RETURNING true", kind.value))


@dataclass(frozen=True, slots=True)
class NewDelivery:
    dedupe_key: str
    event_id: str
    case_id: str | None
    channel: Channel
    recipient: str
    purpose: str
    payload: dict[str, Any]


async def add_deliveries(conn: Conn, deliveries: Sequence[NewDelivery], now: datetime) -> int:
    """Insert the deliveries not made before (by dedupe key), due at once; how many were new."""
    if not deliveries:
        return 0
    rows = await conn.fetch(
        """INSERT INTO notification_deliveries (dedupe_key, event_id, case_id, channel,
                                                recipient, purpose, payload, next_try_at,
                                                created_at)
           SELECT d.*, $8::timestamptz, $8::timestamptz
             FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
                         $6::text[], $7::jsonb[]) AS d
           ON CONFLICT (dedupe_key) DO NOTHING RETURNING id""",
        [d.dedupe_key for d in deliveries], [uuid.UUID(d.event_id) for d in deliveries],
        [None if d.case_id is None else uuid.UUID(d.case_id) for d in deliveries],
        [d.channel.value for d in deliveries], [d.recipient for d in deliveries],
        [d.purpose for d in deliveries], [json.dumps(d.payload) for d in deliveries], now)
    return len(rows)


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    channel: Channel
    recipient: str
    payload: dict[str, Any]
    attempts: int  # including the one this lease is for
    status: DeliveryStatus
    last_error: str | None
    next_try_at: datetime | None
    sent_at: datetime | None
    created_at: datetime
    purpose: str
    case_id: str | None


def _delivery(row: Any) -> Delivery:
    return Delivery(row["id"], Channel(row["channel"]), row["recipient"],
                    json.loads(row["payload"]), row["attempts"], DeliveryStatus(row["status"]),
                    row["last_error"], row["next_try_at"], row["sent_at"], row["created_at"],
                    row["purpose"], None if row["case_id"] is None else str(row["case_id"]))


_DELIVERY_COLUMNS: Final = ("id, channel, recipient, payload, attempts, status, last_error, "
                     "next_try_at, sent_at, created_at, purpose, case_id")


async def lease_due(conn: Conn, now: datetime, lease_until: datetime,
                    limit: int) -> list[Delivery]:
    """Take the due deliveries: count the attempt and push next_try_at to the lease's end, so
    a sender that dies mid-attempt leaves them due again later, never lost."""
    rows = await conn.fetch(
        f"""UPDATE notification_deliveries AS d
               SET attempts = attempts + 1, next_try_at = $2
             WHERE id IN (SELECT id FROM notification_deliveries
                           WHERE status = 'pending' AND next_try_at <= $1
                           ORDER BY next_try_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING {_DELIVERY_COLUMNS}""", now, lease_until, limit)
    return [_delivery(row) for row in rows]


async def record_outcome(conn: Conn, delivery_id: int, status: DeliveryStatus, *,
                         next_try_at: datetime | None, error: str | None,
                         sent_at: datetime | None) -> None:
    """A success keeps the last error, so the console shows why it took several attempts."""
    await conn.execute(
        """UPDATE notification_deliveries SET status = $2, next_try_at = $3,
                  last_error = coalesce($4, last_error), sent_at = $5 WHERE id = $1""",
        delivery_id, status.value, next_try_at, error, sent_at)


async def any_due(conn: Conn, now: datetime) -> bool:
    return bool(await conn.fetchval(
        """SELECT EXISTS (SELECT 1 FROM notification_deliveries
                           WHERE status = 'pending' AND next_try_at <= $1)""", now))


async def deliveries_of(conn: Conn, event_ids: Sequence[uuid.UUID]) -> list[Delivery]:
    rows = await conn.fetch(
        f"""SELECT {_DELIVERY_COLUMNS} FROM notification_deliveries
             WHERE event_id = ANY($1::uuid[]) ORDER BY id""", list(event_ids))
    return [_delivery(row) for row in rows]
