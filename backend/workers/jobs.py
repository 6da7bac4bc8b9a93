"""Job and cron functions. Each is a few lines that hand the work to backend/services; the
context ``ctx`` holds the worker's settings, database pool, clock and (from arq) the Redis
client, so tests call any of them directly with a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from backend.services import alarm_automation, alarm_delivery, maintenance, storage_usage
from backend.settings import Settings

Context = dict[str, Any]


def _now(ctx: Context) -> datetime:
    clock: Callable[[], datetime] = ctx["clock"]
    return clock()


def _settings(ctx: Context) -> Settings:
    settings: Settings = ctx["settings"]
    return settings


async def refresh_rollups(ctx: Context, tenant_slug: str) -> dict[str, Any]:
    pairs = await maintenance.refresh_rollups(ctx["db"], tenant_slug)
    return {"tenant": tenant_slug, "pairs": pairs}


async def queue_rollup_refreshes(ctx: Context) -> dict[str, Any]:
    fan_out = await maintenance.queue_rollup_refreshes(ctx["db"], ctx["redis"])
    return {"tenants": fan_out.tenants, "queued": fan_out.queued}


async def evaluate_security_alerts(ctx: Context) -> dict[str, Any]:
    alerts = await maintenance.evaluate_security_alerts(
        ctx["db"], _settings(ctx).audit.alerts, now=_now(ctx))
    return {"alerts": alerts}


async def prune_audit_log(ctx: Context) -> dict[str, Any]:
    deleted = await maintenance.prune_audit_log(ctx["db"], _settings(ctx).audit.retention,
                                                now=_now(ctx))
    return {"deleted": deleted}


async def measure_storage(ctx: Context) -> dict[str, Any]:
    report = await storage_usage.measure_all(ctx["db"], now=_now(ctx))
    return {"tenants": report.tenants, "bytes": report.bytes, "alerts": report.alerts}


async def maintain_partitions(ctx: Context) -> dict[str, Any]:
    report = await maintenance.maintain_partitions(ctx["db"], now=_now(ctx))
    return {"tables": report.tables, "partitions_created": report.partitions_created,
            "days_moved_from_default": report.days_moved_from_default,
            "partitions_ordered": report.partitions_ordered}


async def handle_alarms(ctx: Context) -> dict[str, Any]:
    report = await alarm_automation.run(ctx["db"], ctx["redis"], _now(ctx))
    return {"tenants": report.tenants, "changes": report.changes,
            "cases_opened": report.cases_opened, "escalations": report.escalations,
            "deliveries": report.deliveries, "delivery_jobs": report.delivery_jobs}


async def deliver_notifications(ctx: Context, tenant_slug: str) -> dict[str, Any]:
    report = await alarm_delivery.deliver(ctx["db"], tenant_slug, _now(ctx),
                                          _settings(ctx).secret_keys)
    return {"tenant": tenant_slug, "attempted": report.attempted, "sent": report.sent,
            "retrying": report.retrying, "failed": report.failed}
