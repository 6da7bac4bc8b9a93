"""Live frame summaries to Redis after each commit: never blocking, never breaking ingest.

The writer hands over the committed realtime rows with ``offer`` (synchronous, constant time);
one background task sends them in pipelines: a PUBLISH per frame on
``nevguard:<tenant>:frames`` and, per vehicle, an HSET of the newest live frame into
``nevguard:<tenant>:latest:<vin>``. When Redis is down or slow the queue fills and the oldest
summaries are dropped and counted: the database already holds every frame, the summaries only
feed live views.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Iterable
from typing import Any, Final

import msgspec
from redis.asyncio import Redis
from redis.exceptions import RedisError

from .metrics import IngestMetrics
from .rows import Row, summary

log = logging.getLogger(__name__)

_JSON: Final = msgspec.json.Encoder()
_HASH_FIELDS: Final = ("collected_at", "received_at", "soc_pct", "speed_kmh", "alarm_level",
                       "charging_state")


def frames_channel(tenant: str) -> str:
    return f"nevguard:{tenant}:frames"


def latest_key(tenant: str, vin: str) -> str:
    return f"nevguard:{tenant}:latest:{vin}"


def hash_fields(frame: dict[str, Any]) -> dict[str, str | int | float]:
    """The summary as flat hash fields (Redis hashes hold no NULLs or nested values)."""
    fields: dict[str, str | int | float] = {
        name: frame[name] for name in _HASH_FIELDS if frame[name] is not None}
    position = frame["position"]
    if position is not None:
        fields["longitude_deg"] = position["longitude_deg"]
        fields["latitude_deg"] = position["latitude_deg"]
        fields["position_valid"] = int(bool(position["valid"]))
    return fields


class SummaryPublisher:
    def __init__(self, redis: Redis | None, metrics: IngestMetrics, *, max_queued: int = 20_000,
                 per_pipeline: int = 1000, timeout_s: float = 2.0) -> None:
        self._redis = redis
        self._metrics = metrics
        self._queue: deque[dict[str, Any]] = deque()
        self._max_queued = max_queued
        self._per_pipeline = per_pipeline
        self._timeout_s = timeout_s
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._redis is not None and self._task is None:
            self._task = asyncio.create_task(self._run(), name="ingest-redis-publisher")

    def offer(self, tenant: str, rows: Iterable[Row]) -> None:
        if self._redis is None:
            return
        queue = self._queue
        for row in rows:
            queue.append(summary(tenant, row))
        overflow = len(queue) - self._max_queued
        if overflow > 0:
            for _ in range(overflow):
                queue.popleft()
            self._metrics.redis_failures.inc("queue_full", amount=overflow)
        self._wakeup.set()

    async def stop(self, flush_timeout_s: float = 2.0) -> None:
        """Send what is queued (bounded in time), then stop."""
        if self._task is None:
            return
        deadline = asyncio.get_running_loop().time() + flush_timeout_s
        while self._queue and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        if self._queue:
            self._metrics.redis_failures.inc("shutdown", amount=len(self._queue))
            self._queue.clear()

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._queue:
                count = min(len(self._queue), self._per_pipeline)
                frames = [self._queue.popleft() for _ in range(count)]
                await self._send(frames)

    async def _send(self, frames: list[dict[str, Any]]) -> None:
        redis = self._redis
        if redis is None:
            return
        newest: dict[tuple[str, str], dict[str, Any]] = {}
        for frame in frames:
            if not frame["reissued"]:
                # A reissue is history (§11): it never replaces the live view of a vehicle.
                key = (frame["tenant"], frame["vin"])
                best = newest.get(key)
                if best is None or frame["collected_at"] >= best["collected_at"]:
                    newest[key] = frame
        try:
            async with asyncio.timeout(self._timeout_s), \
                    redis.pipeline(transaction=False) as pipe:
                for frame in frames:
                    pipe.publish(frames_channel(frame["tenant"]), _JSON.encode(frame))
                for (tenant, vin), frame in newest.items():
                    pipe.hset(latest_key(tenant, vin), mapping=hash_fields(frame))
                await pipe.execute()
        except (RedisError, OSError, TimeoutError) as exc:
            self._metrics.redis_failures.inc(type(exc).__name__, amount=len(frames))
            log.warning("ingest: %d summaries not published to Redis: %s", len(frames), exc)
            return
        self._metrics.redis_published.inc(len(frames))
