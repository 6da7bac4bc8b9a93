"""The alarm handling cron's fan-out over tenants (backend/workers): per active tenant, handle
the queued event changes, escalate overdue cases, publish the case changes, and queue a
delivery job when notifications are due. Acts as the system, like maintenance.py."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from arq.connections import ArqRedis

from backend.services import alarm_delivery, alarm_handling
from backend.storage import jobs
from backend.storage.alarm_live import publish_case_changes
from backend.storage.db import Pool
from backend.storage.tenants import list_tenants

LOG = logging.getLogger("nevguard.alarm_handling")


@dataclass(frozen=True, slots=True)
class AutomationReport:
    tenants: int
    changes: int
    cases_opened: int
    escalations: int
    deliveries: int
    delivery_jobs: int


async def run(db: Pool, queue: ArqRedis, now: datetime) -> AutomationReport:
    async with db.acquire() as conn:
        slugs = [t.slug for t in await list_tenants(conn) if t.status == "active"]
    changes = opened = escalations = deliveries = queued = 0
    for slug in slugs:
        try:
            handled = await alarm_handling.drain(db, slug, now)
            escalated = await alarm_handling.escalate(db, slug, now)
            await publish_case_changes(queue, slug, handled.messages + escalated.messages)
            if await alarm_delivery.any_due(db, slug, now):
                queued += await jobs.enqueue_notification_delivery(queue, slug)
        except Exception:
            # One tenant's broken data must not stop the others' alarms; the queue keeps
            # its rows and the next tick tries again.
            LOG.exception("alarm handling failed for tenant %s", slug)
            continue
        changes += handled.changes
        opened += handled.cases_opened
        escalations += escalated.escalations
        deliveries += handled.deliveries + escalated.deliveries
    return AutomationReport(len(slugs), changes, opened, escalations, deliveries, queued)
