"""Live frame summaries to Redis after each commit: never blocking, never breaking ingest.

The writer hands over the committed realtime rows with ``offer`` (synchronous, constant time);
one background task sends them in pipelines: per tenant one PUBLISH on
``nevguard:<tenant>:frames`` whose payload is the JSON array of that pipeline's frame summaries
(packing a Redis command costs redis-py about 3 µs, one per frame was a tenth of a saturated
gateway's core), per vehicle an HSET of the newest live frame into
``nevguard:<tenant>:latest:<vin>``, a PUBLISH per session event (login, logout, disconnect) on
``nevguard:<tenant>:events``, and the link state (``online``, ``last_frame_at``) into the same
hash, never moving it back in time. When Redis is down or slow the queue fills and the oldest
summaries are dropped and counted: the database already holds every frame, the summaries only
feed live views.

Each committed realtime row also goes to the alarm feed (backend/storage/alarm_feed.py), which
the alarm engine must not miss: those rows have their own, larger queue, are packed at sending
time into entries of up to ``FEED_ROWS_PER_ENTRY`` rows of one tenant (one XADD each), are put
back and retried when Redis fails, and are only dropped (and counted as
``alarm_feed_queue_full``) when that queue overflows.

The counters count rows, whatever the number of Redis commands or messages that carried them:
``redis_published`` one per frame summary, session event, link state and alarm-feed row sent;
``redis_failures`` one per frame summary, event, link state or feed row dropped (full queue,
failed pipeline, shutdown), and one per failed alarm-feed pipeline (``alarm_feed_<error>``: its
rows are retried, not dropped).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Final

import msgspec
from redis.asyncio import Redis
from redis.exceptions import RedisError

from backend.storage.alarm_feed import (
    FEED_MAXLEN,
    FEED_ROWS_PER_ENTRY,
    FEED_STREAM,
    encode_row,
    entry_payload,
)

from .columns import EVENT_COLUMNS, LATEST_COLUMNS, REALTIME_COLUMNS
from .metrics import IngestMetrics
from .rows import Row, summary

log = logging.getLogger(__name__)

_JSON: Final = msgspec.json.Encoder()
_HASH_FIELDS: Final = ("collected_at", "received_at", "soc_pct", "speed_kmh", "alarm_level",
                       "charging_state")
_EVENT: Final = {name: index for index, name in enumerate(EVENT_COLUMNS)}
_LATEST: Final = {name: index for index, name in enumerate(LATEST_COLUMNS)}
_FEED_COLUMNS: Final = tuple(
    (name, index) for index, name in enumerate(REALTIME_COLUMNS) if name in {
        "vin", "collected_at", "received_at", "reissued", "edition", "alarm_level",
        "alarm_flags", "alarm_levels", "fault_codes", "max_cell_voltage_mv",
        "min_cell_voltage_mv", "max_temperature_c", "min_temperature_c", "insulation_kohm",
        "soc_pct", "total_voltage_v", "total_current_a", "sentinels"})
_FEED_RETRY_S: Final = 0.5
_LOGGED_CHARS: Final = 300
# Commits of one vehicle can finish out of order (parallel commits, spool replay): the link
# state only moves forward. Times are UTC with microseconds, so text order is time order.
_LINK_SCRIPT: Final = """
local seen = redis.call('HGET', KEYS[1], 'last_frame_at')
if seen and seen >= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'last_frame_at', ARGV[1], 'online', ARGV[2])
return 1
"""


def frames_channel(tenant: str) -> str:
    return f"nevguard:{tenant}:frames"


def latest_key(tenant: str, vin: str) -> str:
    return f"nevguard:{tenant}:latest:{vin}"


def events_channel(tenant: str) -> str:
    return f"nevguard:{tenant}:events"


def _utc_text(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def event_summary(tenant: str, row: Row) -> dict[str, Any]:
    """What Redis subscribers get for one committed session event."""
    collected_at = row[_EVENT["collected_at"]]
    return {"vin": row[_EVENT["vin"]], "tenant": tenant, "kind": row[_EVENT["kind"]],
            "at": _utc_text(row[_EVENT["at"]]),
            "collected_at": None if collected_at is None else _utc_text(collected_at),
            "serial": row[_EVENT["serial"]],
            "details": msgspec.Raw(row[_EVENT["details"]].encode())}


def feed_row(tenant: str, row: Row) -> bytes:
    """The alarm-feed object of one committed realtime row."""
    return encode_row(tenant, {name: row[index] for name, index in _FEED_COLUMNS})


def feed_entries(rows: Iterable[tuple[str, bytes]]) -> list[bytes]:
    """The entries of queued (tenant, feed row) pairs: each tenant's rows in order, in entries
    of up to ``FEED_ROWS_PER_ENTRY``. Rows of a vehicle stay in order: it has one tenant."""
    by_tenant: dict[str, list[bytes]] = {}
    for tenant, row in rows:
        by_tenant.setdefault(tenant, []).append(row)
    return [entry_payload(tenant_rows[start:start + FEED_ROWS_PER_ENTRY])
            for tenant_rows in by_tenant.values()
            for start in range(0, len(tenant_rows), FEED_ROWS_PER_ENTRY)]


def _brief(exc: Exception) -> str:
    """The error for a log line: redis-py quotes the failed command, whose payload is up to a
    pipeline's worth of rows."""
    text = str(exc)
    return text if len(text) <= _LOGGED_CHARS else f"{text[:_LOGGED_CHARS]}…"


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
                 per_pipeline: int = 1000, timeout_s: float = 2.0,
                 max_feed_queued: int = 200_000, feed_stream: str = FEED_STREAM) -> None:
        self._redis = redis
        self._metrics = metrics
        self._queue: deque[tuple[str, str, dict[str, Any]]] = deque()
        self._feed: deque[tuple[str, bytes]] = deque()
        self._max_feed_queued = max_feed_queued
        self._feed_stream = feed_stream
        self._max_queued = max_queued
        self._per_pipeline = per_pipeline
        self._timeout_s = timeout_s
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    def start(self) -> None:
        if self._redis is not None and self._task is None:
            self._task = asyncio.create_task(self._run(), name="ingest-redis-publisher")

    def offer(self, tenant: str, realtime: Iterable[Row], events: Iterable[Row] = (),
              latest: Iterable[Row] = ()) -> None:
        """Queue the committed rows of one batch: realtime rows, event rows, latest-state rows
        (the link part of each is used)."""
        if self._redis is None:
            return
        queue = self._queue
        feed = self._feed
        for row in realtime:
            queue.append(("frame", tenant, summary(tenant, row)))
            feed.append((tenant, feed_row(tenant, row)))
        feed_overflow = len(feed) - self._max_feed_queued
        if feed_overflow > 0:
            for _ in range(feed_overflow):
                feed.popleft()
            self._metrics.redis_failures.inc("alarm_feed_queue_full", amount=feed_overflow)
        for row in events:
            queue.append(("event", tenant, event_summary(tenant, row)))
        for row in latest:
            queue.append(("link", tenant, {"vin": row[_LATEST["vin"]],
                                           "online": int(row[_LATEST["online"]]),
                                           "last_frame_at": _utc_text(
                                               row[_LATEST["last_frame_at"]])}))
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
        # The link state is state (a vehicle's hash says online until told otherwise); live
        # frame and event messages are notifications. Send the state first, so a shutdown
        # under load does not spend its flush time on notifications and leave links "online".
        # Reordering is safe: link updates only move forward (_LINK_SCRIPT) and touch fields
        # the frame summaries do not.
        queued = list(self._queue)
        self._queue.clear()
        self._queue.extend([item for item in queued if item[0] == "link"]
                           + [item for item in queued if item[0] != "link"])
        # The sender finishes what it has (including a pipeline already in flight, which a
        # plain cancel would lose uncounted) and returns; cancelled only past the deadline.
        self._closing = True
        self._wakeup.set()
        task, self._task = self._task, None
        try:
            await asyncio.wait_for(asyncio.shield(task), flush_timeout_s)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._queue:
            self._metrics.redis_failures.inc("shutdown", amount=len(self._queue))
            self._queue.clear()
        if self._feed:
            self._metrics.redis_failures.inc("alarm_feed_shutdown", amount=len(self._feed))
            self._feed.clear()

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._queue or self._feed:
                count = min(len(self._queue), self._per_pipeline)
                sent = not count or await self._send(
                    [self._queue.popleft() for _ in range(count)])
                if self._feed and not await self._send_feed():
                    sent = False
                if not sent:
                    await asyncio.sleep(_FEED_RETRY_S)
            if self._closing:
                return

    async def _send_feed(self) -> bool:
        """XADD up to ``per_pipeline`` queued feed rows, packed into entries, in one pipeline;
        on failure the rows of every entry go back to the front, in order."""
        redis, feed = self._redis, self._feed
        if redis is None:
            return True
        rows = [feed.popleft() for _ in range(min(len(feed), self._per_pipeline))]
        entries = feed_entries(rows)
        try:
            async with asyncio.timeout(self._timeout_s), \
                    redis.pipeline(transaction=False) as pipe:
                for entry in entries:
                    pipe.xadd(self._feed_stream, {"r": entry}, maxlen=FEED_MAXLEN,
                              approximate=True)
                await pipe.execute()
        except (RedisError, OSError, TimeoutError) as exc:
            feed.extendleft(reversed(rows))
            self._metrics.redis_failures.inc(f"alarm_feed_{type(exc).__name__}")
            log.warning("ingest: %d alarm-feed rows (%d entries) not sent yet: %s", len(rows),
                        len(entries), _brief(exc))
            return False
        self._metrics.redis_published.inc(len(rows))
        return True

    async def _send(self, items: list[tuple[str, str, dict[str, Any]]]) -> bool:
        """Publish a pipeline; False when Redis failed (the link states are requeued)."""
        redis = self._redis
        if redis is None:
            return True
        frames: dict[str, list[dict[str, Any]]] = {}
        newest: dict[tuple[str, str], dict[str, Any]] = {}
        for kind, tenant, frame in items:
            if kind != "frame":
                continue
            frames.setdefault(tenant, []).append(frame)
            if not frame["reissued"]:
                # A reissue is history (§11): it never replaces the live view of a vehicle.
                key = (frame["tenant"], frame["vin"])
                best = newest.get(key)
                if best is None or frame["collected_at"] >= best["collected_at"]:
                    newest[key] = frame
        try:
            async with asyncio.timeout(self._timeout_s), \
                    redis.pipeline(transaction=False) as pipe:
                for tenant, tenant_frames in frames.items():
                    pipe.publish(frames_channel(tenant), _JSON.encode(tenant_frames))
                for (tenant, vin), frame in newest.items():
                    pipe.hset(latest_key(tenant, vin), mapping=hash_fields(frame))
                for kind, tenant, payload in items:
                    if kind == "event":
                        pipe.publish(events_channel(tenant), _JSON.encode(payload))
                    elif kind == "link":
                        pipe.eval(_LINK_SCRIPT, 1, latest_key(tenant, payload["vin"]),
                                  payload["last_frame_at"], payload["online"])
                await pipe.execute()
        except (RedisError, OSError, TimeoutError) as exc:
            # Frames and events are notifications for live views: late ones are useless. The
            # link state is state: it goes back to the front and is retried (it only moves
            # forward, so a retry after newer updates changes nothing).
            links = [item for item in items if item[0] == "link"]
            self._queue.extendleft(reversed(links))
            self._metrics.redis_failures.inc(type(exc).__name__, amount=len(items) - len(links))
            log.warning("ingest: %d summaries not published to Redis (%d link states kept for "
                        "a retry): %s", len(items) - len(links), len(links), _brief(exc))
            return False
        self._metrics.redis_published.inc(len(items))
        return True
