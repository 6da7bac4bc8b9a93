"""The ingest path's metric families, registered on the gateway's registry (one /metrics page).

Names are listed in docs/ingest.md.
"""

from __future__ import annotations

from typing import Final

from backend.metrics.registry import MetricsRegistry

BATCH_BUCKETS: Final = (1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)


class IngestMetrics:
    def __init__(self, registry: MetricsRegistry) -> None:
        self.batch_frames = registry.histogram(
            "nevguard_ingest_batch_frames", "Frames and events per committed tenant batch",
            buckets=BATCH_BUCKETS).labels()
        self.commit_seconds = registry.histogram(
            "nevguard_ingest_commit_seconds",
            "Time of one tenant batch transaction (COPY + insert + latest state)").labels()
        self.committed = registry.counter(
            "nevguard_ingest_frames_committed_total",
            "Frames whose batch committed (duplicates included)", ["tenant"])
        self.duplicates = registry.counter(
            "nevguard_ingest_duplicates_total",
            "Rows a commit skipped because the same key was already stored", ["tenant", "table"])
        self.commit_failures = registry.counter(
            "nevguard_ingest_commit_failures_total",
            "Batch commits that failed and went to the spool", ["reason"])
        self.spooled = registry.counter(
            "nevguard_ingest_spooled_total", "Frames and events written to the spool").labels()
        self.replayed = registry.counter(
            "nevguard_ingest_replayed_total",
            "Spool records committed to the database by a replay").labels()
        self.spool_records = registry.gauge(
            "nevguard_ingest_spool_depth_records",
            "Spool records not yet committed to the database").labels()
        self.spool_bytes = registry.gauge(
            "nevguard_ingest_spool_depth_bytes", "Bytes held by the spool").labels()
        self.spool_mode = registry.gauge(
            "nevguard_ingest_spool_mode",
            "1 while new frames go to the spool instead of the database").labels()
        self.spool_fsync_seconds = registry.histogram(
            "nevguard_ingest_spool_fsync_seconds", "Write + fsync time of one spool group").labels()
        self.pending = registry.gauge(
            "nevguard_ingest_pending", "Frames and events waiting in memory for a batch").labels()
        self.redis_published = registry.counter(
            "nevguard_ingest_redis_published_total",
            "Rows published to Redis: frame summaries, session events, link states, "
            "alarm-feed rows").labels()
        self.redis_failures = registry.counter(
            "nevguard_ingest_redis_publish_failures_total",
            "Frame summaries not published (Redis down, slow or queue full)", ["reason"])
