"""The alarm engine's Prometheus metrics (``nevguard alarm-engine --metrics-port``, docs/alarms.md).

Counters and the commit histogram are updated by the engine as it works; the feed's backlog
(entries the group has not acknowledged, and the oldest one's age) is read from Redis every few
seconds by ``watch_feed``, so a stuck or slow engine shows in its own metrics.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from backend.metrics.registry import MetricsRegistry
from backend.storage.alarm_feed import FeedReader

log = logging.getLogger(__name__)

COMMIT_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class EngineMetrics:
    def __init__(self, registry: MetricsRegistry) -> None:
        records = registry.counter(
            "nevguard_alarm_engine_records_total",
            "Feed records by outcome: applied, skipped (already applied: a replay or a "
            "duplicate), foreign (a tenant this database lacks)", ("outcome",))
        self.applied = records.labels("applied")
        self.skipped = records.labels("skipped")
        self.foreign = records.labels("foreign")
        self.changes = registry.counter(
            "nevguard_alarm_engine_changes_total",
            "Telling changes committed and published: opened, escalated, reopened, closed, "
            "compliance_flag", ("change",))
        self.commit_seconds = registry.histogram(
            "nevguard_alarm_engine_commit_seconds",
            "One tenant's transaction writing a batch's changed events and flags", (),
            COMMIT_BUCKETS).labels()
        self.failed_batches = registry.counter(
            "nevguard_alarm_engine_failed_batches_total",
            "Batches that failed (database or Redis) and were read again").labels()
        self.undelivered = registry.gauge(
            "nevguard_alarm_feed_undelivered_entries",
            "Feed entries not yet delivered to the engine's group (XINFO GROUPS lag)").labels()
        self.pending = registry.gauge(
            "nevguard_alarm_feed_pending_entries",
            "Feed entries delivered to a consumer and not yet acknowledged").labels()
        self.oldest_age = registry.gauge(
            "nevguard_alarm_feed_oldest_age_seconds",
            "Age of the oldest feed entry the group has not acknowledged (0: none)").labels()

    async def sample_feed(self, reader: FeedReader) -> None:
        backlog = await reader.backlog(datetime.now(UTC))
        if backlog.undelivered is not None:
            self.undelivered.set(backlog.undelivered)
        self.pending.set(backlog.pending)
        self.oldest_age.set(backlog.oldest_age_s or 0.0)


async def watch_feed(metrics: EngineMetrics, reader: FeedReader, stop: asyncio.Event,
                     every_s: float = 5.0) -> None:
    """Sample the feed's backlog until ``stop``. A failure is logged and sampled again next
    time: the metrics must never stop the engine."""
    while not stop.is_set():
        try:
            await metrics.sample_feed(reader)
        except Exception:
            log.exception("alarm engine: could not read the feed's backlog")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
