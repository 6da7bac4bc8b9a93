"""Alarm cases for API tests: a level-3 event of a tenant's vehicle, handled by the alarm
handler as the worker would, so the tenant has an open case."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from api_support import ApiWorld

from backend.core.alarms.conditions import Source
from backend.core.alarms.lifecycle import AlarmEvent, EventState
from backend.services import alarm_handling
from backend.storage.alarms import save_events
from backend.storage.db import tenant_tx


async def open_case(world: ApiWorld, tenant: str, vin: str, *, code: str = "insulation",
                    level: int = 3) -> str:
    """The id of the new case."""
    now = datetime.now(UTC)
    opened = now - timedelta(minutes=1)
    event = AlarmEvent(str(uuid.uuid4()), vin, Source.VEHICLE, code, EventState.OPEN, opened,
                       opened, level, level, feed_position="1-0")
    db = world.services.db
    async with tenant_tx(db, tenant) as conn:
        await save_events(conn, [event])
    await alarm_handling.drain(db, tenant, now)
    async with tenant_tx(db, tenant) as conn:
        case_id = await conn.fetchval("SELECT id FROM alarm_cases WHERE event_id = $1",
                                      uuid.UUID(event.id))
    return str(case_id)
