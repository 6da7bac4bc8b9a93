"""The platform's periodic upkeep, run by the workers' cron (backend/workers): security alert
evaluation, audit retention, hourly rollups and day partitions. These act as the system, not
for a caller, so there is no principal to check; each takes the time it runs at, so a test can
run any schedule at any moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from arq.connections import ArqRedis

from backend.core.security_alerts import AlertThresholds
from backend.services import audit
from backend.storage import jobs, partitions, rollups
from backend.storage.db import Pool
from backend.storage.tenants import list_tenants

SYSTEM_ACTOR = "system:worker"


@dataclass(frozen=True, slots=True)
class FanOut:
    tenants: int
    queued: int  # the others already had a refresh waiting


async def evaluate_security_alerts(db: Pool, thresholds: AlertThresholds, *,
                                   now: datetime) -> int:
    """Run the alert rules over the windows ending ``now``; the number of alerts raised or
    updated (each audit entry counts once however often this runs)."""
    async with db.acquire() as conn:
        return len(await audit.evaluate_alerts(conn, thresholds, now=now))


async def prune_audit_log(db: Pool, retention: timedelta, *, now: datetime) -> int:
    """Delete audit entries older than the configured retention (never under 180 days),
    checkpointed; the number deleted."""
    async with db.acquire() as conn:
        report = await audit.prune(conn, older_than=retention, retention=retention,
                                   actor_id=SYSTEM_ACTOR, at=now)
    return report.deleted


async def queue_rollup_refreshes(db: Pool, queue: ArqRedis) -> FanOut:
    """One refresh job per active tenant, so tenants refresh in parallel across workers."""
    async with db.acquire() as conn:
        slugs = [tenant.slug for tenant in await list_tenants(conn) if tenant.status == "active"]
    queued = [await jobs.enqueue_rollup_refresh(queue, slug) for slug in slugs]
    return FanOut(len(slugs), sum(queued))


async def refresh_rollups(db: Pool, tenant_slug: str) -> int:
    """Fold the tenant's dirty (vehicle, hour) pairs into realtime_hourly; pairs folded."""
    async with db.acquire() as conn:
        return (await rollups.refresh_dirty(conn, tenant_slug)).pairs


async def maintain_partitions(db: Pool, *, now: datetime) -> partitions.MaintenanceReport:
    async with db.acquire() as conn:
        return await partitions.run_partition_maintenance(conn, now=now)
