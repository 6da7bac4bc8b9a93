"""The alarm feed: one Redis stream of compact, alarm-relevant records of committed frames.

The gateway's ingest XADDs the committed realtime rows (gateway/ingest/publisher.py), up to
``FEED_ROWS_PER_ENTRY`` rows of one tenant per entry: packing a command costs redis-py about
3 µs, so one XADD per row was a tenth of a saturated gateway's core. The alarm engine reads the
entries in a consumer group, so they wait in Redis while the engine is down and an entry is only
acknowledged after the engine committed the effect of all its rows. Pub/sub would lose them. One
stream serves every tenant (the tenant is in each row); ``MAXLEN ~`` bounds it.

Entry: field ``r`` = JSON array of row objects ``{t, vin, c, r, x, e, lv, fl, bl, fc, cv, cn,
tx, tn, ins, soc, v, a, s}`` (tenant, VIN, collected/received µs since the epoch, reissued,
edition, alarm level, flag DWORD, 2025 per-bit levels, fault codes, max/min cell mV, max/min
°C, insulation kΩ, SOC %, total voltage, total current, sentinel columns). ``bl``/``fc``/``s``
are the realtime row's jsonb texts, passed through unparsed so the gateway spends nothing on
them. A gateway before the arrays wrote one row object per entry; those still decode (a rolling
upgrade has both kinds in the stream).

Feed position of row k of entry ``m-s``: ``m-s/k``. The engine stores it with each event and
skips rows at or before a vehicle's position; ``m-s`` alone (stored by an engine before the
arrays) is row 0 of that entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import msgspec
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from backend.core.alarms.record import FAULT_LISTS, FrameRecord

FEED_STREAM: Final = "nevguard:alarm-feed"
FEED_GROUP: Final = "alarm-engine"
FEED_ROWS_PER_ENTRY: Final = 100
FEED_MAXLEN: Final = 10_000
"""Entries, not rows. At most ``FEED_ROWS_PER_ENTRY`` rows of about 300 bytes each: the worst
case is 1,000,000 rows, ~300 MB of Redis, the bound of one entry per row before. How much time
that covers when the engine stops depends on how full the entries are: the publisher packs what
it has queued of one tenant, usually at least one commit's rows, so at the reference load of
2,000 frames/s in one tenant (commits of ~200 rows every 100 ms: 20 full entries a second) it
is 500 s as before; load spread over many tenants makes smaller entries and a shorter window
(10 tenants sharing that load, entries of ~20 rows: ~100 s). The engine's lag metrics say how
close it is."""

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)
_ENCODER: Final = msgspec.json.Encoder()


class _Level(msgspec.Struct):
    bit: int
    level: int | str


class _Row(msgspec.Struct, frozen=True):
    t: str
    vin: str
    c: int
    r: int
    x: bool
    e: int
    lv: int | None = None
    fl: int | None = None
    bl: list[_Level] | None = None
    fc: dict[str, list[int]] | None = None
    cv: int | None = None
    cn: int | None = None
    tx: int | None = None
    tn: int | None = None
    ins: int | None = None
    soc: int | None = None
    v: float | None = None
    a: float | None = None
    s: dict[str, str] | None = None


_DECODER: Final = msgspec.json.Decoder(_Row)
_ROWS: Final = msgspec.json.Decoder(list[msgspec.Raw])
_UNREADABLE: Final = (msgspec.DecodeError, RecursionError)  # deep nesting raises the latter


def microseconds(at: datetime) -> int:
    return (at - _EPOCH) // _MICROSECOND


def _time(value: int) -> datetime:
    return _EPOCH + value * _MICROSECOND


def _raw(text: str | None) -> msgspec.Raw | None:
    return None if text is None else msgspec.Raw(text.encode())


def encode_row(tenant: str, values: dict[str, Any]) -> bytes:
    """The feed object of one committed realtime row, given as {column: value}."""
    return _ENCODER.encode({
        "t": tenant, "vin": values["vin"], "c": microseconds(values["collected_at"]),
        "r": microseconds(values["received_at"]), "x": values["reissued"],
        "e": values["edition"], "lv": values["alarm_level"], "fl": values["alarm_flags"],
        "bl": _raw(values["alarm_levels"]), "fc": _raw(values["fault_codes"]),
        "cv": values["max_cell_voltage_mv"], "cn": values["min_cell_voltage_mv"],
        "tx": values["max_temperature_c"], "tn": values["min_temperature_c"],
        "ins": values["insulation_kohm"], "soc": values["soc_pct"],
        "v": values["total_voltage_v"], "a": values["total_current_a"],
        "s": _raw(values["sentinels"])})


def entry_payload(rows: Sequence[bytes]) -> bytes:
    """The ``r`` field of one entry: rows from ``encode_row``, all of one tenant and at most
    ``FEED_ROWS_PER_ENTRY``, as a JSON array (joined, not parsed and encoded again)."""
    return b"[" + b",".join(rows) + b"]"


@dataclass(frozen=True, slots=True)
class FeedItem:
    entry_id: str
    index: int
    """The row's place in its entry."""
    tenant: str
    record: FrameRecord

    @property
    def position(self) -> str:
        return f"{self.entry_id}/{self.index}"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    items: list[FeedItem]
    """The readable rows, in entry order."""
    malformed: list[str]
    """Why each unreadable row, or the whole entry, was skipped (logged and acknowledged by the
    engine, never retried)."""


def position_order(position: str) -> tuple[int, int, int]:
    """A feed position (``m-s/k``, or ``m-s`` for row 0) as a key that sorts like the feed."""
    entry_id, _, index = position.partition("/")
    millis, _, sequence = entry_id.partition("-")
    return int(millis), int(sequence or 0), int(index or 0)


def decode_entry(entry_id: str, payload: bytes) -> FeedEntry:
    """The rows of one entry; never raises (a malformed row skips that row only)."""
    if not payload.lstrip().startswith(b"["):
        # One row object: an entry of a gateway from before the arrays.
        raws: list[msgspec.Raw] = [msgspec.Raw(payload)]
    else:
        try:
            raws = _ROWS.decode(payload)
        except _UNREADABLE as exc:
            return FeedEntry([], [f"feed entry {entry_id}: {exc}"])
    items: list[FeedItem] = []
    malformed: list[str] = []
    for index, raw in enumerate(raws):
        try:
            row = _DECODER.decode(raw)
        except _UNREADABLE as exc:
            malformed.append(f"feed entry {entry_id} row {index}: {exc}")
            continue
        items.append(FeedItem(entry_id, index, row.t, _record(row)))
    return FeedEntry(items, malformed)


def _record(row: _Row) -> FrameRecord:
    levels = {item.bit: item.level for item in row.bl or ()
              if isinstance(item.level, int)}
    codes = {name: tuple(row.fc.get(name, ())) for name in FAULT_LISTS} if row.fc else {}
    # Array items are recorded as "column[index]": the rules care about the column.
    sentinels = frozenset(name.partition("[")[0] for name in row.s or ())
    return FrameRecord(
        vin=row.vin, collected_at=_time(row.c), received_at=_time(row.r),
        reissued=row.x, edition=row.e, alarm_level=row.lv, alarm_flags=row.fl,
        bit_levels=levels, fault_codes=codes, max_cell_voltage_mv=row.cv,
        min_cell_voltage_mv=row.cn, max_temperature_c=row.tx, min_temperature_c=row.tn,
        insulation_kohm=row.ins, soc_pct=row.soc, total_voltage_v=row.v,
        total_current_a=row.a, sentinels=sentinels)


Raw = list[tuple[str, bytes | None]]


class FeedReader:
    """One consumer of the engine's group: its own unacknowledged entries first (a restart),
    then entries other consumers left pending for ``claim_idle_ms`` (a crashed engine), then
    new ones."""

    def __init__(self, redis: Redis, consumer: str, *, stream: str = FEED_STREAM,
                 group: str = FEED_GROUP, claim_idle_ms: int = 30_000,
                 start_id: str = "0") -> None:
        self._redis = redis
        self.consumer = consumer
        self.stream = stream
        self.group = group
        self._claim_idle_ms = claim_idle_ms
        self._start_id = start_id
        """Where a new group starts: "0" the whole stream, "$" only entries added later."""
        self._own_pending = True

    def reread_pending(self) -> None:
        """Start again from this consumer's unacknowledged entries (after a failed batch)."""
        self._own_pending = True

    async def ensure_group(self) -> None:
        try:
            await self._redis.xgroup_create(self.stream, self.group, id=self._start_id,
                                            mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def read(self, count: int, block_ms: int) -> Raw:
        if self._own_pending:
            own = await self._read("0", count, None)
            if own:
                return own
            self._own_pending = False
        claimed = await self._redis.xautoclaim(self.stream, self.group, self.consumer,
                                               self._claim_idle_ms, "0-0", count=count)
        entries = _payloads(claimed[1])
        if entries:
            return entries
        return await self._read(">", count, block_ms)

    async def _read(self, position: str, count: int, block_ms: int | None) -> Raw:
        answer = await self._redis.xreadgroup(self.group, self.consumer, {self.stream: position},
                                              count=count, block=block_ms)
        return [item for _, messages in answer or () for item in _payloads(messages)]

    async def ack(self, entry_ids: Sequence[str]) -> None:
        if entry_ids:
            await self._redis.xack(self.stream, self.group, *entry_ids)

    async def backlog(self, now: datetime) -> Backlog:
        """What the group has not acknowledged yet, for the engine's lag metrics."""
        try:
            groups = await self._redis.xinfo_groups(self.stream)
        except ResponseError as exc:
            if "no such key" not in str(exc):
                raise
            groups = []  # no stream yet: nothing was ever fed
        group = next((group for group in groups if _text(group.get("name")) == self.group), None)
        if group is None:
            return Backlog(None, 0, None)
        lag = None if group.get("lag") is None else int(group["lag"])
        pending = int(group.get("pending") or 0)
        oldest: str | None = None
        if pending:
            # Entries are delivered in stream order: the oldest pending one is the oldest.
            # None when they were acknowledged since XINFO answered.
            first_pending = (await self._redis.xpending(self.stream, self.group))["min"]
            oldest = None if first_pending is None else _text(first_pending)
        if oldest is None and lag != 0:
            after = f"({_text(group['last-delivered-id'])}"
            first = await self._redis.xrange(self.stream, min=after, count=1)
            oldest = _text(first[0][0]) if first else None
        age = None if oldest is None else max(
            0.0, now.timestamp() - int(oldest.partition("-")[0]) / 1000)
        return Backlog(lag, pending, age)


@dataclass(frozen=True, slots=True)
class Backlog:
    undelivered: int | None
    """Entries not yet delivered to the group (XINFO GROUPS ``lag``; None when Redis cannot
    tell, e.g. after entries were deleted)."""
    pending: int
    """Delivered to a consumer, not acknowledged."""
    oldest_age_s: float | None
    """Age of the oldest entry not acknowledged, by its id's time (Redis's clock); None when
    there is none."""


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _payloads(messages: Sequence[Any]) -> Raw:
    """(entry id, payload) pairs; a deleted (trimmed) pending entry has no fields."""
    result: Raw = []
    for entry_id, fields in messages:
        payload = fields.get(b"r") if fields else None
        result.append((_text(entry_id), payload))
    return result


async def append(redis: Redis, payloads: Sequence[bytes], *, stream: str = FEED_STREAM,
                 maxlen: int = FEED_MAXLEN) -> None:
    """XADD the payloads in one pipeline (tests and benchmarks; the gateway pipelines its own)."""
    async with redis.pipeline(transaction=False) as pipe:
        for payload in payloads:
            pipe.xadd(stream, {"r": payload}, maxlen=maxlen, approximate=True)
        await pipe.execute()
