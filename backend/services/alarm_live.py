"""The live alarm list: the engine's event changes and the workflow's case changes of one
tenant as they are published (backend/storage/alarm_live.py). The permission is checked when
the stream starts; it only ever listens on the tenant's own channels."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator

from redis.asyncio import Redis

from backend.core.access import Permission, Principal
from backend.core.alarm_cases.messages import LiveAlarm, parse_live
from backend.services.support import authorize
from backend.storage.alarm_live import case_channel, event_channel
from backend.storage.db import Conn, Pool
from backend.storage.live import Subscription

LOG = logging.getLogger("nevguard.live")


async def alarm_stream(db: Conn | Pool, redis: Redis, actor: Principal,
                       tenant: str) -> AsyncGenerator[LiveAlarm, None]:
    await authorize(db, actor, Permission.ALARMS_READ, tenant=tenant)
    return _stream(redis, tenant)


async def _stream(redis: Redis, tenant: str) -> AsyncGenerator[LiveAlarm, None]:
    cases = case_channel(tenant)
    subscription = Subscription(redis, (event_channel(tenant), cases))
    try:
        await subscription.open()
        async for channel, payload in subscription.messages():
            item = parse_live(payload, from_cases=channel == cases)
            if item is None:
                LOG.warning("live: unreadable alarm message on %s", channel)
            else:
                yield item
    finally:
        await subscription.close()
