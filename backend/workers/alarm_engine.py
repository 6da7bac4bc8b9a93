"""The alarm engine: a long-running consumer of the alarm feed (docs/alarms.md).

Per batch of feed entries (each up to 100 rows of one tenant): decode, fold each record into
its vehicle's events (backend/core/alarms), write the changed events and new compliance flags
of each tenant in one transaction, publish the telling changes on ``nevguard:<tenant>:alarms``,
then acknowledge the entries. A crash between the commit and the acknowledgement replays those
entries; each event carries the feed position (entry and row) that last changed it, so a
replayed row at or before a vehicle's position is skipped and nothing is counted twice.

State (open events, rule memories, compliance watches) lives in memory. A tenant's events are
loaded from the database the first time the engine sees the tenant (open ones and those
closed within the flap window), so a restart neither reopens nor duplicates anything. The rule
memory (previous temperature and SOC, sentinel ages) and unfinished compliance watches start
empty after a restart.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

from redis.asyncio import Redis

from backend.core.alarms.compliance import (
    CRITICAL_LEVEL,
    ComplianceSettings,
    CriticalWatch,
    Flag,
)
from backend.core.alarms.conditions import Evaluation, Source, vehicle_conditions
from backend.core.alarms.lifecycle import (
    AlarmEvent,
    Change,
    EventState,
    LifecycleSettings,
    Sample,
    VehicleAlarms,
)
from backend.core.alarms.record import FrameRecord
from backend.core.alarms.rules import (
    Rule,
    RuleCode,
    RuleMemory,
    RuleOverride,
    evaluate,
    resolve,
)
from backend.metrics.registry import MetricsRegistry
from backend.storage import alarms as store
from backend.storage.alarm_feed import (
    FeedItem,
    FeedReader,
    decode_entry,
    microseconds,
    position_order,
)
from backend.storage.alarm_live import event_message, flag_message, publish_event_changes
from backend.storage.db import Pool, tenant_tx
from backend.storage.tenants import tenant_exists
from backend.workers.alarm_engine_metrics import EngineMetrics

log = logging.getLogger(__name__)

_RECENT_RECORDS: Final = 512  # per vehicle: exact repeats (duplicates in the feed) are skipped


@dataclass(frozen=True, slots=True)
class EngineSettings:
    lifecycle: LifecycleSettings = field(default_factory=LifecycleSettings)
    compliance: ComplianceSettings = field(default_factory=ComplianceSettings)
    batch: int = 100
    """Entries per read: up to 100 rows each."""
    block_ms: int = 200
    claim_idle_ms: int = 30_000
    rules_refresh_s: float = 30.0
    retry_s: float = 1.0


@dataclass(slots=True)
class _Vehicle:
    alarms: VehicleAlarms
    memory: RuleMemory = field(default_factory=RuleMemory)
    applied: tuple[int, int, int] = (0, 0, 0)
    recent: deque[int] = field(default_factory=lambda: deque(maxlen=_RECENT_RECORDS))
    watches: dict[str, CriticalWatch] = field(default_factory=dict)


@dataclass(slots=True)
class _Tenant:
    vehicles: dict[str, _Vehicle] = field(default_factory=dict)
    overrides: list[RuleOverride] = field(default_factory=list)
    models: dict[str, int | None] = field(default_factory=dict)
    rules: dict[int | None, dict[RuleCode, Rule]] = field(default_factory=dict)
    loaded_at: float = 0.0


@dataclass(slots=True)
class _Outcome:
    """What one tenant's part of a batch changed."""

    events: dict[str, AlarmEvent] = field(default_factory=dict)
    changes: list[tuple[AlarmEvent, Change, datetime]] = field(default_factory=list)
    """The telling changes (not plain updates) in feed order, with the frame's receive time."""
    flags: list[Flag] = field(default_factory=list)


class AlarmEngine:
    def __init__(self, pool: Pool, redis: Redis, reader: FeedReader,
                 settings: EngineSettings = EngineSettings(),
                 metrics: EngineMetrics | None = None) -> None:
        self._pool = pool
        self._redis = redis
        self._reader = reader
        self.settings = settings
        self.metrics = metrics or EngineMetrics(MetricsRegistry())
        self._tenants: dict[str, _Tenant] = {}
        self._foreign: set[str] = set()

    @property
    def processed(self) -> int:
        return int(self.metrics.applied.value)

    @property
    def skipped(self) -> int:
        return int(self.metrics.skipped.value)

    @property
    def foreign(self) -> int:
        return int(self.metrics.foreign.value)

    async def run(self, stop: asyncio.Event) -> None:
        await self._reader.ensure_group()
        while not stop.is_set():
            try:
                await self.step()
            except Exception:
                # The database or Redis failed mid-batch: forget what memory holds (the
                # database is the truth) and read our unacknowledged entries again.
                log.exception("alarm engine: batch failed; reloading state and retrying")
                self.metrics.failed_batches.inc()
                self._tenants.clear()
                self._reader.reread_pending()
                await asyncio.sleep(self.settings.retry_s)

    async def step(self) -> int:
        """Read, process, commit, publish and acknowledge one batch; returns its size."""
        raw = await self._reader.read(self.settings.batch, self.settings.block_ms)
        items: dict[str, list[FeedItem]] = {}
        for entry_id, payload in raw:
            if payload is None:
                log.warning("alarm engine: feed entry %s was trimmed before it was read", entry_id)
                continue
            entry = decode_entry(entry_id, payload)
            for problem in entry.malformed:
                log.error("alarm engine: skipping malformed feed data: %s", problem)
            for item in entry.items:
                items.setdefault(item.tenant, []).append(item)
        for tenant, tenant_items in items.items():
            if await self._known(tenant):
                await self._process(tenant, tenant_items)
            else:
                self.metrics.foreign.inc(len(tenant_items))
        await self._compliance_due(datetime.now(UTC))
        await self._reader.ack([entry_id for entry_id, _ in raw])
        return len(raw)

    async def _known(self, tenant: str) -> bool:
        """Whether this database has the tenant. An entry of another database's tenant (a
        second installation or a test on the same Redis) is acknowledged and left alone
        rather than retried forever."""
        if tenant in self._tenants:
            return True
        if tenant in self._foreign:
            return False
        async with self._pool.acquire() as conn:
            if await tenant_exists(conn, tenant):
                return True
        log.warning("alarm engine: entries of tenant %r, unknown to this database, skipped",
                    tenant)
        self._foreign.add(tenant)
        return False

    async def _state(self, tenant: str, vins: set[str]) -> _Tenant:
        state = self._tenants.get(tenant)
        now = time.monotonic()
        fresh = state is None
        if state is None:
            state = self._tenants[tenant] = _Tenant()
        unknown = vins - state.models.keys()
        refresh = now - state.loaded_at >= self.settings.rules_refresh_s
        if not (fresh or unknown or refresh):
            return state
        async with tenant_tx(self._pool, tenant) as conn:
            if fresh:
                since = datetime.now(UTC) - self.settings.lifecycle.flap_window - timedelta(days=1)
                for event in await store.live_events(conn, since):
                    self._vehicle(state, event.vin).alarms.restore([event])
                for vehicle in state.vehicles.values():
                    positions = [position_order(e.feed_position)
                                 for e in vehicle.alarms.events.values()]
                    vehicle.applied = max(positions, default=(0, 0, 0))
            if fresh or refresh:
                state.overrides = await store.rule_overrides(conn)
                state.rules.clear()
                state.loaded_at = now
                unknown = vins | state.models.keys()
            state.models.update(await store.vehicle_models(conn, tenant, unknown))
        for vin in unknown:
            state.models.setdefault(vin, None)
        return state

    def _vehicle(self, state: _Tenant, vin: str) -> _Vehicle:
        vehicle = state.vehicles.get(vin)
        if vehicle is None:
            vehicle = state.vehicles[vin] = _Vehicle(VehicleAlarms(vin, self.settings.lifecycle))
        return vehicle

    def _rules(self, state: _Tenant, vin: str) -> dict[RuleCode, Rule]:
        model_id = state.models.get(vin)
        rules = state.rules.get(model_id)
        if rules is None:
            rules = state.rules[model_id] = resolve(state.overrides, model_id)
        return rules

    async def _process(self, tenant: str, items: Sequence[FeedItem]) -> None:
        state = await self._state(tenant, {item.record.vin for item in items})
        outcome = _Outcome()
        for item in items:
            self._apply(state, item, outcome)
        if not outcome.events and not outcome.flags:
            return
        began = time.perf_counter()
        async with tenant_tx(self._pool, tenant) as conn:
            await store.save_events(conn, list(outcome.events.values()))
            await store.save_flags(conn, outcome.flags)
        self.metrics.commit_seconds.observe(time.perf_counter() - began)
        await self._publish(tenant, outcome)

    def _apply(self, state: _Tenant, item: FeedItem, outcome: _Outcome) -> None:
        record = item.record
        vehicle = self._vehicle(state, record.vin)
        position = position_order(item.position)
        stamp = microseconds(record.collected_at)
        if position <= vehicle.applied or stamp in vehicle.recent:
            self.metrics.skipped.inc()
            return
        vehicle.recent.append(stamp)
        vehicle.applied = position
        self.metrics.applied.inc()
        reported = vehicle_conditions(record)
        platform = evaluate(record, self._rules(state, record.vin), vehicle.memory)
        evaluation = Evaluation({**reported.active, **platform.active},
                                reported.observed | platform.observed)
        sample = Sample(record.collected_at, record.reissued, evaluation,
                        record.all_fault_codes(), item.position)
        for event, change in vehicle.alarms.apply(sample, lambda: str(uuid.uuid4())):
            outcome.events[event.id] = event
            if change is not Change.UPDATED:
                outcome.changes.append((event, change, record.received_at))
            self._watch(vehicle, record, event)
        for watch in vehicle.watches.values():
            flag = watch.record(record.collected_at, record.reissued)
            if flag is not None:
                outcome.flags.append(flag)
        vehicle.alarms.forget_settled(record.collected_at)

    def _watch(self, vehicle: _Vehicle, record: FrameRecord, event: AlarmEvent) -> None:
        """Start a compliance watch for a vehicle-reported level-3/4 event; note closes."""
        watch = vehicle.watches.get(event.id)
        if watch is not None:
            watch.event_open = event.state is EventState.OPEN
            return
        if event.source is Source.VEHICLE and event.peak_level >= CRITICAL_LEVEL and \
                event.state is EventState.OPEN and not event.historical:
            vehicle.watches[event.id] = CriticalWatch(
                event.id, record.vin, record.edition, record.collected_at, record.received_at,
                self.settings.compliance)

    async def _compliance_due(self, now: datetime) -> None:
        for tenant, state in self._tenants.items():
            flags: list[Flag] = []
            for vehicle in state.vehicles.values():
                for event_id, watch in list(vehicle.watches.items()):
                    flag = watch.due(now)
                    if flag is not None:
                        flags.append(flag)
                    if watch.finished(vehicle.memory.at):
                        del vehicle.watches[event_id]
            if flags:
                async with tenant_tx(self._pool, tenant) as conn:
                    await store.save_flags(conn, flags)
                for flag in flags:
                    log.warning("alarm engine: %s %s %s", tenant, flag.vin, flag.kind.value)

    async def _publish(self, tenant: str, outcome: _Outcome) -> None:
        messages = [event_message(event, change, received_at)
                    for event, change, received_at in outcome.changes]
        messages += [flag_message(flag) for flag in outcome.flags]
        await publish_event_changes(self._redis, tenant, messages)
        for _, change, _ in outcome.changes:
            self.metrics.changes.inc(change.value)
        if outcome.flags:
            self.metrics.changes.inc("compliance_flag", amount=len(outcome.flags))
