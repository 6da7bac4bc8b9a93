"""Live views: a vehicle's state as it changes and the tenant's link events, from what the
gateway publishes to Redis after each commit (docs/ingest.md).

The permission and the tenant are checked when the subscription starts (a VIN of another
tenant is NotFound, like an unknown one); the stream itself only ever listens on the tenant's
own channels. Streams are async generators: closing one (the subscriber left) unsubscribes.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from datetime import datetime, timedelta
from typing import Final

from redis.asyncio import Redis

from backend.core.access import Permission, Principal
from backend.core.data_errors import InvalidArgument
from backend.core.live import (
    FleetEvent,
    LiveState,
    after_event,
    after_frame,
    parse_event,
    parse_frame_message,
    state_from_hash,
)
from backend.services.support import authorize
from backend.services.tenant_data import clock, tenant_use_case, tenant_vehicle
from backend.storage import fleet_events as stored_events
from backend.storage.db import Conn, Pool
from backend.storage.live import (
    Subscription,
    events_channel,
    frames_channel,
    latest_fields,
)

LOG = logging.getLogger("nevguard.live")
RECENT_EVENTS_MAX: Final = 100
# How far back the recent events reach: a fleet quiet for longer starts its list empty.
RECENT_EVENTS_WINDOW: Final = timedelta(days=1)


async def vehicle_live(db: Conn | Pool, redis: Redis, actor: Principal, tenant: str,
                       vin: str) -> AsyncGenerator[LiveState, None]:
    """The vehicle's latest known state (when Redis has one), then a new state for each live
    frame and each change of its link (login, logout, disconnect)."""
    async with tenant_use_case(db, actor, tenant, Permission.VEHICLE_STATE_READ) as conn:
        cleaned = await tenant_vehicle(conn, tenant, vin)
    return _vehicle_updates(redis, tenant, cleaned)


async def fleet_events(db: Conn | Pool, redis: Redis, actor: Principal,
                       tenant: str) -> AsyncGenerator[FleetEvent, None]:
    """Every session event of the tenant's vehicles as it is committed: the online and
    offline changes the fleet overview is made of."""
    await authorize(db, actor, Permission.FLEET_READ, tenant=tenant)
    return _fleet_events(redis, tenant)


async def recent_fleet_events(db: Conn | Pool, actor: Principal, tenant: str, *,
                              limit: int = 20, now: datetime | None = None) -> list[FleetEvent]:
    """The newest link events of the tenant's vehicles within the last day (at most
    ``limit``, 1 to RECENT_EVENTS_MAX), newest first: where a live event list starts before
    ``fleet_events`` adds to it."""
    if not 1 <= limit <= RECENT_EVENTS_MAX:
        raise InvalidArgument(f"limit must be between 1 and {RECENT_EVENTS_MAX}",
                              field="limit", reason="out_of_range")
    at = clock(now)
    async with tenant_use_case(db, actor, tenant, Permission.FLEET_READ) as conn:
        return await stored_events.recent_fleet_events(conn, tenant, at - RECENT_EVENTS_WINDOW,
                                                       limit)


async def _vehicle_updates(redis: Redis, tenant: str,
                           vin: str) -> AsyncGenerator[LiveState, None]:
    frames, events = frames_channel(tenant), events_channel(tenant)
    subscription = Subscription(redis, (frames, events))
    try:
        await subscription.open()
        current = state_from_hash(vin, await latest_fields(redis, tenant, vin))
        if current is not None:
            yield current
        async for channel, payload in subscription.messages():
            if channel == frames:
                message = parse_frame_message(payload)
                if message.unreadable:
                    LOG.warning("live: %d unreadable frame summaries on %s", message.unreadable,
                                channel)
                for frame in message.frames:
                    if frame.state.vin == vin and not frame.reissued:
                        current = after_frame(current, frame.state)
                        yield current
            else:
                event = parse_event(payload)
                changed = None if event is None or event.vin != vin else \
                    after_event(current, event)
                if changed is not None:
                    current = changed
                    yield current
    finally:
        await subscription.close()


async def _fleet_events(redis: Redis, tenant: str) -> AsyncGenerator[FleetEvent, None]:
    subscription = Subscription(redis, (events_channel(tenant),))
    try:
        await subscription.open()
        async for channel, payload in subscription.messages():
            event = parse_event(payload)
            if event is None:
                LOG.warning("live: unreadable session event on %s", channel)
            else:
                yield event
    finally:
        await subscription.close()
