"""Committing items to the store: per-tenant batches, timeouts, metrics, poison isolation.

A failure is either the database being unavailable (connection refused or lost, timeout,
server shutting down): the items go to the spool and are retried later; or the database
refusing the data itself (SQLSTATE class 22 "data exception" or 23 "integrity constraint"):
retrying would fail forever and wedge the spool, so the batch is split and each refused item is
stored in a form the database takes: a frame as its raw bytes only, an event without its
details. Nothing is dropped either way.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Protocol, TypeVar

from gateway.server.interfaces import AcceptedFrame, Clock

from .batch import BatchRows, BatchStore, build_rows
from .metrics import IngestMetrics
from .publisher import SummaryPublisher
from .records import EventItem, Replayed, item_rows
from .rows import FrameRows, latest_rows, raw_only

log = logging.getLogger(__name__)

_DATA_ERROR_CLASSES: Final = frozenset({"22", "23"})
ItemT = TypeVar("ItemT", bound=Replayed)


class CommitFailed(Exception):
    """The store could not commit a batch; ``reason`` labels the metric."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Limits(Protocol):
    @property
    def batch_frames(self) -> int: ...
    @property
    def commit_timeout_s(self) -> float: ...
    @property
    def parallel_commits(self) -> int: ...


def is_data_error(exc: BaseException) -> bool:
    """The database rejected the rows themselves (a retry cannot succeed)."""
    sqlstate = getattr(exc, "sqlstate", None)
    return isinstance(sqlstate, str) and sqlstate[:2] in _DATA_ERROR_CLASSES


@dataclass(slots=True)
class Committer:
    store: BatchStore
    limits: _Limits
    metrics: IngestMetrics
    publisher: SummaryPublisher
    clock: Clock

    async def commit_round(self, items: Sequence[ItemT]) -> list[ItemT]:
        """Commit a round; returns the items that could not be committed, in round order
        (for each lane, the failed batch and every later one of that lane)."""
        results = await self._per_tenant(items)
        failed = {id(item) for tenant_failed, _ in results for item in tenant_failed}
        return [item for item in items if id(item) in failed]

    async def commit_replay(self, items: Sequence[Replayed]) -> None:
        """Commit replayed items or raise ``CommitFailed`` (the caller rewinds the spool)."""
        for failed, reason in await self._per_tenant(items):
            if failed:
                raise CommitFailed(reason)

    async def _per_tenant(self, items: Sequence[Replayed]
                          ) -> list[tuple[list[Replayed], str]]:
        by_tenant: dict[str, list[Replayed]] = {}
        for item in items:
            by_tenant.setdefault(_tenant(item), []).append(item)
        gate = asyncio.Semaphore(self.limits.parallel_commits)
        lanes = [(tenant, lane) for tenant, tenant_items in by_tenant.items()
                 for lane in self._lanes(tenant_items)]
        return list(await asyncio.gather(*(
            self._chain(tenant, lane, gate) for tenant, lane in lanes)))

    def _lanes(self, items: list[Replayed]) -> list[list[Replayed]]:
        """Split a tenant's items by vehicle into lanes that commit concurrently. A vehicle's
        items stay in one lane in arrival order, so its rows (and its latest_state) are
        written in order, and lanes never touch the same rows: no lock waits, no deadlocks.
        A tenant with at most one batch of items keeps one lane (one bigger transaction)."""
        count = min(self.limits.parallel_commits, -(-len(items) // self.limits.batch_frames))
        if count <= 1:
            return [items]
        lanes: list[list[Replayed]] = [[] for _ in range(count)]
        for item in items:
            lanes[hash(_vin(item)) % count].append(item)
        return [lane for lane in lanes if lane]

    async def _chain(self, tenant: str, items: list[Replayed], gate: asyncio.Semaphore
                     ) -> tuple[list[Replayed], str]:
        """Commit a lane's items batch by batch; stop at the first failure and return the
        items not committed with the reason."""
        size = self.limits.batch_frames
        for start in range(0, len(items), size):
            try:
                async with gate:
                    await self._commit(tenant, items[start:start + size])
            except CommitFailed as failure:
                return items[start:], failure.reason
        return [], ""

    async def _commit(self, tenant: str, items: Sequence[Replayed]) -> None:
        rows = build_rows(items, self.clock())
        try:
            await self._write(tenant, rows)
        except CommitFailed as failure:
            if failure.__cause__ is None or not is_data_error(failure.__cause__):
                raise
            log.error("ingest: %s refused a batch of %d (%s); isolating the bad items",
                      tenant, len(items), failure.__cause__)
            for item in items:
                await self._commit_alone(tenant, item)

    async def _commit_alone(self, tenant: str, item: Replayed) -> None:
        try:
            await self._write(tenant, build_rows([item], self.clock()))
            return
        except CommitFailed as failure:
            if failure.__cause__ is None or not is_data_error(failure.__cause__):
                raise
        fallback = _storable(item)
        log.error("ingest: %s refused an item of %s; storing a reduced form", tenant, fallback.vin)
        self.metrics.commit_failures.inc("refused_item")
        await self._write(tenant, BatchRows([], [fallback.raw] if fallback.raw else [],
                                            list(fallback.events),
                                            latest_rows([fallback], self.clock()), 1))

    async def _write(self, tenant: str, rows: BatchRows) -> None:
        metrics = self.metrics
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.limits.commit_timeout_s):
                inserted = await self.store.commit(tenant, rows)
        except Exception as exc:
            # Anything, our bugs included: the caller spools the items instead of losing them.
            reason = "timeout" if isinstance(exc, TimeoutError) else type(exc).__name__
            metrics.commit_failures.inc(reason)
            raise CommitFailed(reason) from exc
        metrics.commit_seconds.observe(time.perf_counter() - started)
        metrics.batch_frames.observe(rows.items)
        metrics.committed.inc(tenant, amount=len(rows.raw))
        for table, sent, stored in (("realtime", len(rows.realtime), inserted.realtime),
                                    ("raw_frames", len(rows.raw), inserted.raw),
                                    ("vehicle_events", len(rows.events), inserted.events)):
            if sent > stored:
                metrics.duplicates.inc(tenant, table, amount=sent - stored)
        self.publisher.offer(tenant, rows.realtime, rows.events, rows.latest)


def _tenant(item: Replayed) -> str:
    return item.tenant if isinstance(item, AcceptedFrame | EventItem) else item.record.tenant


def _vin(item: Replayed) -> str:
    return item.vin if isinstance(item, AcceptedFrame | EventItem) else item.record.vin


def _storable(item: Replayed) -> FrameRows:
    if isinstance(item, AcceptedFrame):
        return raw_only(item.vin, item.raw, item.received_at)
    if isinstance(item, EventItem):
        return item_rows(item._replace(details={"details_refused": True}))
    return item_rows(item)
