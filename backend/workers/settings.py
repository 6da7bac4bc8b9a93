"""The arq worker: its functions, cron schedule, JSON serializer and resources.

Schedule (UTC; ``unique`` cron jobs, so several workers run each tick once):

- every five seconds: alarm handling (queued alarm changes → cases and notifications,
  SLA escalations, a delivery job per tenant with notifications due; docs/alarms.md);
- every minute: security alert evaluation over the windows ending now;
- every five minutes: one rollup refresh job per active tenant (refresh_rollups);
- hourly at :17: day-partition upkeep for the tables that are not hypertables;
- hourly at :41: each tenant's storage measured against its quota (alerts at 80 / 100 %);
- daily at 03:30: audit retention pruning (NEVGUARD_AUDIT_RETENTION_DAYS, at least 180).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from arq import cron
from arq.connections import RedisSettings
from arq.cron import CronJob
from arq.worker import Function, Worker, func

from backend.settings import Settings
from backend.storage.db import create_pool
from backend.storage.jobs import QUEUE_NAME, JobName, deserialize_job, serialize_job
from backend.workers import jobs

POOL_SIZE = 4


def _utc_now() -> datetime:
    return datetime.now(UTC)


class WorkerSettings:
    """What every worker runs; ``worker_options`` adds the process's Redis and resources."""

    queue_name: ClassVar[str] = QUEUE_NAME
    job_serializer: ClassVar[Callable[[dict[str, Any]], bytes]] = staticmethod(serialize_job)
    job_deserializer: ClassVar[Callable[[bytes], dict[str, Any]]] = staticmethod(
        deserialize_job)
    # keep_result=0: a finished tenant job leaves no result behind, so its id (one per
    # tenant, storage/jobs.py) is free for the next request at once.
    functions: ClassVar[list[Function]] = [
        func(jobs.refresh_rollups, name=JobName.REFRESH_ROLLUPS.value, keep_result=0,
             timeout=600),
        func(jobs.deliver_notifications, name=JobName.DELIVER_NOTIFICATIONS.value,
             keep_result=0, timeout=120),
    ]
    cron_jobs: ClassVar[list[CronJob]] = [
        cron(jobs.handle_alarms, second=set(range(0, 60, 5)), timeout=60),
        cron(jobs.evaluate_security_alerts, second=0, timeout=50),
        cron(jobs.queue_rollup_refreshes, minute=set(range(0, 60, 5)), second=5),
        cron(jobs.maintain_partitions, minute=17, second=0, timeout=1800),
        cron(jobs.measure_storage, minute=41, second=0, timeout=600),
        cron(jobs.prune_audit_log, hour=3, minute=30, second=0, timeout=3600),
    ]


def worker_options(settings: Settings, *, clock: Callable[[], datetime] = _utc_now
                   ) -> dict[str, Any]:
    """Keyword arguments for arq's Worker with this process's settings."""

    async def startup(ctx: dict[str, Any]) -> None:
        ctx["settings"] = settings
        ctx["clock"] = clock
        ctx["db"] = await create_pool(settings, max_size=POOL_SIZE,
                                      application="nevguard-worker")

    async def shutdown(ctx: dict[str, Any]) -> None:
        if "db" in ctx:
            await ctx["db"].close()

    return {
        "functions": WorkerSettings.functions,
        "cron_jobs": WorkerSettings.cron_jobs,
        "queue_name": WorkerSettings.queue_name,
        "job_serializer": WorkerSettings.job_serializer,
        "job_deserializer": WorkerSettings.job_deserializer,
        "redis_settings": RedisSettings.from_dsn(settings.redis_url.reveal()),
        "on_startup": startup,
        "on_shutdown": shutdown,
    }


def build_worker(settings: Settings, **overrides: Any) -> Worker:
    return Worker(**{**worker_options(settings), **overrides})
