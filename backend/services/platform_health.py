"""The provider's view of the platform's health (``platformHealth``): per tenant the vehicles
connected, the ingest rate over the last minute, the receipt-to-commit lag and how old the
newest commit is; per gateway instance its connections and spool depth. Built from the reports
the gateways keep in Redis (backend/storage/platform_health.py), so it costs no database query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from redis.asyncio import Redis

from backend.core.access import Permission, Principal, check
from backend.storage.platform_health import GatewayReport, read_reports

WINDOW_S = 60.0


@dataclass(frozen=True, slots=True)
class GatewayHealth:
    gateway: str
    report_age_s: float
    connections: int
    spool_records: int


@dataclass(frozen=True, slots=True)
class TenantHealth:
    tenant: str
    vehicles: int
    frames_per_second: float
    commit_lag_s: float | None  # the largest newest-batch lag over the gateways
    newest_commit_age_s: float | None


@dataclass(frozen=True, slots=True)
class PlatformHealth:
    gateways: list[GatewayHealth]
    tenants: list[TenantHealth]


async def platform_health(redis: Redis, actor: Principal, *,
                          now: datetime | None = None) -> PlatformHealth:
    check(actor, Permission.PLATFORM_HEALTH_READ)
    return summarize(await read_reports(redis), now or datetime.now(UTC))


def summarize(reports: list[GatewayReport], now: datetime) -> PlatformHealth:
    gateways = [GatewayHealth(r.gateway, max(0.0, (now - r.reported_at).total_seconds()),
                              r.connections, r.spool_records) for r in reports]
    tenants = []
    for slug in sorted({slug for report in reports for slug in report.tenants}):
        loads = [report.tenants[slug] for report in reports if slug in report.tenants]
        lags = [load.commit_lag_s for load in loads if load.commit_lag_s is not None]
        commits = [load.last_commit_at for load in loads if load.last_commit_at is not None]
        tenants.append(TenantHealth(
            tenant=slug, vehicles=sum(load.vehicles for load in loads),
            frames_per_second=sum(load.frames_last_minute for load in loads) / WINDOW_S,
            commit_lag_s=max(lags) if lags else None,
            newest_commit_age_s=max(0.0, (now - max(commits)).total_seconds())
            if commits else None))
    return PlatformHealth(gateways, tenants)
