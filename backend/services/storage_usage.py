"""Tenant storage against the ``storage_gb`` quota (docs/operations.md "Storage quota").

The worker measures every tenant's schema (``measure_all``, hourly) and keeps the latest
measurement; crossing 80 % or 100 % of the quota raises a ``storage_quota`` security alert
for the provider; at 100 % new vehicle registrations are refused (``check_storage_quota``).
Vehicle data itself is never refused or dropped because of the quota (backend/core/
storage_quota.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from backend.core.access import Permission, Principal
from backend.core.data_errors import LimitExceeded
from backend.core.storage_quota import StorageUse, alert_due, threshold_reached
from backend.services.tenant_data import tenant_use_case
from backend.storage import security_alerts, tenant_storage
from backend.storage.db import Conn, Pool
from backend.storage.identity import shared_tx
from backend.storage.tenants import list_tenants

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MeasureReport:
    tenants: int
    bytes: int
    alerts: int


async def record_usage(db: Conn | Pool, tenant: str, measured_bytes: int,
                       at: datetime) -> int | None:
    """Store a measurement and raise the alert of a threshold it newly crossed; returns that
    threshold (percent) or None. Falling below 80 % re-arms the alerts."""
    async with shared_tx(db) as conn:
        measurement = await tenant_storage.record_measurement(conn, tenant, measured_bytes, at)
        use = await tenant_storage.storage_use(conn, tenant)
        reached = threshold_reached(use.percent)
        if reached == measurement.alerted_percent:
            return None
        await tenant_storage.set_alerted(conn, tenant, reached)
        if not alert_due(measurement.alerted_percent, reached):
            return None
        await security_alerts.raise_storage_alert(conn, tenant, reached, at, {
            "bytes": measured_bytes, "quota_gb": use.quota_gb,
            "percent": round(use.percent or 0.0, 1)})
    log.warning("tenant %s uses %d bytes, %d %% of its storage quota", tenant, measured_bytes,
                reached)
    return reached


async def measure_all(db: Pool, *, now: datetime) -> MeasureReport:
    """Measure every tenant (suspended ones too: their data stays and counts)."""
    async with db.acquire() as conn:
        slugs = [tenant.slug for tenant in await list_tenants(conn)]
    total, alerts = 0, 0
    for slug in slugs:
        async with db.acquire() as conn:
            measured = await tenant_storage.schema_bytes(conn, slug)
        total += measured
        alerts += await record_usage(db, slug, measured, now) is not None
    return MeasureReport(len(slugs), total, alerts)


async def tenant_usage(db: Conn | Pool, actor: Principal, tenant: str) -> StorageUse:
    """The tenant's latest measurement and quota, for its own users with ``usage:read``."""
    async with tenant_use_case(db, actor, tenant, Permission.USAGE_READ) as conn:
        return await tenant_storage.storage_use(conn, tenant)


async def check_storage_quota(conn: Conn, tenant: str) -> None:
    """LimitExceeded (``storage_quota``) while the latest measurement is at or over the
    tenant's storage quota: no new vehicles, whose data would only add to it."""
    use = await tenant_storage.storage_use(conn, tenant)
    if use.registrations_refused and use.quota_gb is not None:
        raise LimitExceeded("storage_quota", use.quota_gb,
                            f"the tenant's data takes {use.bytes} bytes, {use.percent:.0f} %"
                            " of its storage quota in GB; no new vehicles until it is raised")
