"""``IngestWriter``: the gateway's ``IngestSink``. Batches accepted frames per tenant into the
database, falls back to the on-disk spool when the database fails, and never drops a frame.

Flow (docs/ingest.md):

* ``submit``/``event`` append to one bounded in-memory queue in arrival order; when it is full
  they wait (backpressure to the gateway's connections).
* One consumer takes a round from the queue as soon as a tenant has ``batch_frames`` items or
  the oldest item is ``batch_age_s`` old, splits it per tenant and commits the tenant batches
  concurrently (one tenant transaction each; a tenant's batches go in order).
* Direct mode: a commit that fails or times out sends its items, and everything after them,
  to the spool, in order, and the writer switches to spool mode.
* Spool mode: every round goes to the spool. A recovery task retries the database with
  exponential backoff by replaying the spool oldest first; when the replay has caught up
  with the consumer the writer goes back to direct mode. A leftover spool at start-up (crash,
  or a shutdown during an outage) starts in spool mode.
* Idempotency: every table has a unique key the rows carry (``rows.py``), so a batch whose
  commit timed out after it succeeded, or a replay after a crash, inserts nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from redis.asyncio import Redis

from gateway.server.interfaces import AcceptedFrame, Clock, SessionEvent, utc_now

from .batch import BatchStore
from .commits import CommitFailed, Committer
from .metrics import IngestMetrics
from .publisher import SummaryPublisher
from .records import EventItem, Item, decode_item, encode_item
from .spool import Spool, SpoolSettings

log = logging.getLogger(__name__)


class Mode(enum.Enum):
    DIRECT = "direct"
    SPOOL = "spool"


@dataclass(frozen=True, slots=True)
class WriterSettings:
    spool: SpoolSettings
    batch_frames: int = 500
    batch_age_s: float = 0.1
    round_items: int = 5000
    max_pending: int = 20_000
    commit_timeout_s: float = 10.0
    parallel_commits: int = 4
    retry_initial_s: float = 0.5
    retry_max_s: float = 15.0
    replay_records: int = 2000


class IngestWriter:
    def __init__(self, store: BatchStore, settings: WriterSettings, metrics: IngestMetrics, *,
                 redis: Redis | None = None, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.metrics = metrics
        self.spool = Spool(settings.spool, on_fsync=metrics.spool_fsync_seconds.observe)
        self._publisher = SummaryPublisher(redis, metrics)
        self._committer = Committer(store, settings, metrics, self._publisher, clock)
        self.mode = Mode.DIRECT
        self._pending: deque[Item] = deque()
        self._tenant_counts: Counter[str] = Counter()
        self._oldest_at = 0.0
        self._has_items = asyncio.Event()
        self._urgent = asyncio.Event()
        self._space = asyncio.Event()
        self._idle = asyncio.Event()
        self._spooling = False
        self._closed = False
        self._consumer: asyncio.Task[None] | None = None
        self._recovery: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.spool.open()
        self._publisher.start()
        self._idle.set()
        self._consumer = asyncio.create_task(self._consume(), name="ingest-consumer")
        if self.spool.depth_records:
            log.warning("ingest: %d spooled records from an earlier run; replaying",
                        self.spool.depth_records)
            self._enter_spool_mode(first_try_s=0.0)
        self._update_gauges()

    # ---- IngestSink -----------------------------------------------------------------------

    async def submit(self, item: AcceptedFrame) -> None:
        await self._enqueue(item)

    async def event(self, tenant: str, vin: str, kind: SessionEvent, at: datetime,
                    details: Mapping[str, object]) -> None:
        await self._enqueue(EventItem(tenant, vin, kind, at, dict(details)))

    async def drain(self) -> None:
        """Commit or spool everything taken so far, make the spool durable, stop the tasks.
        A later ``submit`` raises: the gateway calls this once, after its listeners closed."""
        self._closed = True
        self._urgent.set()
        while self._pending or not self._idle.is_set():
            self._urgent.set()
            await self._idle.wait()
            await asyncio.sleep(0)
        for task in (self._consumer, self._recovery):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._consumer = self._recovery = None
        await self.spool.close()
        await self._publisher.stop()
        self._update_gauges()

    # ---- the queue ------------------------------------------------------------------------

    async def _enqueue(self, item: Item) -> None:
        if self._closed:
            raise RuntimeError("the ingest writer is drained")
        while len(self._pending) >= self.settings.max_pending:
            self._space.clear()
            self._urgent.set()
            await self._space.wait()
        if not self._pending:
            self._oldest_at = time.monotonic()
        self._pending.append(item)
        self._idle.clear()
        count = self._tenant_counts[item.tenant] = self._tenant_counts[item.tenant] + 1
        if count >= self.settings.batch_frames:
            self._urgent.set()
        self._has_items.set()

    def _take_round(self) -> list[Item]:
        pending = self._pending
        count = min(len(pending), self.settings.round_items)
        items = [pending.popleft() for _ in range(count)]
        counts = self._tenant_counts
        for item in items:
            counts[item.tenant] -= 1
        if pending:
            self._oldest_at = time.monotonic()
            self._urgent.set()  # a full round left items behind: take them right away
        else:
            counts.clear()
            self._has_items.clear()
            self._urgent.clear()
        self._space.set()
        return items

    async def _consume(self) -> None:
        settings = self.settings
        while True:
            await self._has_items.wait()
            # In spool mode the spool's group commit does the batching: no need to wait.
            delay = (self._oldest_at + settings.batch_age_s - time.monotonic()
                     if self.mode is Mode.DIRECT else 0.0)
            if delay > 0 and not self._urgent.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._urgent.wait(), delay)
            items = self._take_round()
            try:
                await self._process(items)
            finally:
                self._update_gauges()
                if not self._pending:
                    self._idle.set()

    async def _process(self, items: list[Item]) -> None:
        if self.mode is Mode.SPOOL:
            await self._spool(items)
            return
        try:
            failed = await self._committer.commit_round(items)
        except Exception:
            # Our own bug, not the database: keep the items (a replay of the committed part
            # inserts nothing) instead of letting the consumer die with them.
            log.exception("ingest: a round failed unexpectedly; spooling it")
            failed = items
        if failed:
            self._enter_spool_mode(first_try_s=self.settings.retry_initial_s)
            await self._spool(failed)

    # ---- spool mode -----------------------------------------------------------------------

    async def _spool(self, items: list[Item]) -> None:
        self._spooling = True
        try:
            for item in items:
                await self.spool.append(encode_item(item))
        finally:
            self._spooling = False
        self.metrics.spooled.inc(len(items))

    def _enter_spool_mode(self, first_try_s: float) -> None:
        if self.mode is not Mode.SPOOL:
            log.warning("ingest: database unavailable; spooling to %s",
                        self.spool.settings.directory)
        self.mode = Mode.SPOOL
        if self._recovery is None or self._recovery.done():
            self._recovery = asyncio.create_task(self._recover(first_try_s), name="ingest-replay")
        self._update_gauges()

    async def _recover(self, first_try_s: float) -> None:
        delay = first_try_s
        while True:
            await asyncio.sleep(delay)
            try:
                await self._replay()
                return
            except CommitFailed as failure:
                reason = failure.reason
            except Exception as exc:
                log.exception("ingest: replay failed unexpectedly")
                reason = type(exc).__name__
            self.spool.rewind()
            delay = min(max(delay * 2, self.settings.retry_initial_s), self.settings.retry_max_s)
            log.info("ingest: replay failed (%s); next try in %.1f s", reason, delay)

    async def _replay(self) -> None:
        """Commit the spool oldest first until it is empty, then return to direct mode."""
        spool = self.spool
        while True:
            payloads = await spool.read(self.settings.replay_records)
            if not payloads:
                if spool.depth_records == 0 and not self._spooling:
                    self.mode = Mode.DIRECT  # nothing in between: the next round goes direct
                    self._update_gauges()
                    log.warning("ingest: spool replayed; writing to the database again")
                    return
                await spool.sync()  # appended but not yet durable: make it readable
                await asyncio.sleep(0.01)
                continue
            items = [item for item in map(decode_item, payloads) if item is not None]
            await self._committer.commit_replay(items)
            await spool.release()
            self.metrics.replayed.inc(len(payloads))
            self._update_gauges()

    def _update_gauges(self) -> None:
        metrics = self.metrics
        metrics.pending.set(len(self._pending))
        metrics.spool_records.set(self.spool.depth_records)
        metrics.spool_bytes.set(self.spool.depth_bytes)
        metrics.spool_mode.set(1 if self.mode is Mode.SPOOL else 0)
