"""The gateway's health reporter: per tenant, the vehicles logged in here, the frames committed
in the last minute, the newest commit and its lag from receipt; per gateway, the open
connections and the spool depth. Written to Redis every ``interval_s`` with a TTL
(backend/storage/platform_health.py) for the provider's ``platformHealth`` view.

Commits are seen by wrapping the writer's store (``CommitWatch``), so the writer itself knows
nothing of this; a failing Redis costs a log line, never ingest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Final

from redis.asyncio import Redis
from redis.exceptions import RedisError

from backend.storage.platform_health import GatewayReport, TenantLoad, write_report

from .batch import BatchRows, BatchStore, Inserted
from .columns import RAW_FRAME_COLUMNS

log = logging.getLogger(__name__)

WINDOW: Final = timedelta(minutes=1)
_RECEIVED_AT: Final = RAW_FRAME_COLUMNS.index("received_at")


def utc_now() -> datetime:
    return datetime.now(UTC)


class CommitWatch:
    """A BatchStore that notes, per tenant, what each successful commit carried."""

    def __init__(self, inner: BatchStore, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._inner = inner
        self._clock = clock
        self._commits: dict[str, deque[tuple[datetime, int]]] = {}
        self._newest: dict[str, tuple[datetime, float | None]] = {}

    async def commit(self, tenant: str, rows: BatchRows) -> Inserted:
        inserted = await self._inner.commit(tenant, rows)
        now = self._clock()
        received = [row[_RECEIVED_AT] for row in rows.raw]
        self._commits.setdefault(tenant, deque()).append((now, len(rows.raw)))
        lag = (now - max(received)).total_seconds() if received else None
        self._newest[tenant] = (now, lag)
        return inserted

    def tenants(self, vehicles: Mapping[str, int]) -> dict[str, TenantLoad]:
        """Loads of every tenant committed in the last minute or with vehicles here now."""
        since = self._clock() - WINDOW
        loads = {}
        for tenant in sorted(set(self._commits) | set(vehicles)):
            window = self._commits.get(tenant, deque())
            while window and window[0][0] < since:
                window.popleft()
            last_at, lag = self._newest.get(tenant, (None, None))
            loads[tenant] = TenantLoad(vehicles=vehicles.get(tenant, 0),
                                       frames_last_minute=sum(n for _, n in window),
                                       last_commit_at=last_at, commit_lag_s=lag)
        return loads


class HealthReporter:
    def __init__(self, redis: Redis, gateway_id: str, watch: CommitWatch, *,
                 vehicles: Callable[[], Mapping[str, int]], connections: Callable[[], int],
                 spool_records: Callable[[], float], interval_s: float = 5.0,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self._redis = redis
        self._gateway_id = gateway_id
        self._watch = watch
        self._vehicles = vehicles
        self._connections = connections
        self._spool_records = spool_records
        self._interval_s = interval_s
        self._clock = clock
        self._task: asyncio.Task[None] | None = None

    def snapshot(self) -> GatewayReport:
        return GatewayReport(gateway=self._gateway_id, reported_at=self._clock(),
                             connections=self._connections(),
                             spool_records=int(self._spool_records()),
                             tenants=self._watch.tenants(self._vehicles()))

    async def report(self) -> None:
        try:
            await write_report(self._redis, self.snapshot(),
                               ttl_s=max(3, round(3 * self._interval_s)))
        except (RedisError, OSError) as error:
            log.warning("health report not written: %s", type(error).__name__)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="gateway-health")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await self.report()
            await asyncio.sleep(self._interval_s)
