"""Redis channels of the live alarm list: the engine's event changes and compliance flags
(``nevguard:<tenant>:alarms``, published by backend/workers/alarm_engine.py after each
committed batch; the message shapes are below, docs/alarms.md) and case changes
(``nevguard:<tenant>:alarm-cases``, published after each committed workflow step or
escalation)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

import msgspec
from redis.asyncio import Redis

from backend.core.alarms.compliance import Flag
from backend.core.alarms.labels import condition_names
from backend.core.alarms.lifecycle import AlarmEvent, Change

_JSON: Final = msgspec.json.Encoder()


def event_channel(tenant: str) -> str:
    return f"nevguard:{tenant}:alarms"


def case_channel(tenant: str) -> str:
    return f"nevguard:{tenant}:alarm-cases"


def event_message(event: AlarmEvent, change: Change, received_at: datetime) -> dict[str, Any]:
    """One event change; ``received_at`` is when the frame that caused it reached a gateway."""
    name_zh, name_en = condition_names(event.source, event.code)
    return {
        "id": event.id, "change": change.value, "vin": event.vin, "source": event.source.value,
        "code": event.code, "name_zh": name_zh, "name_en": name_en, "state": event.state.value,
        "level": event.level, "peak_level": event.peak_level,
        "emergency": event.peak_level >= 4, "opened_at": event.opened_at.isoformat(),
        "last_seen_at": event.last_seen_at.isoformat(),
        "closed_at": None if event.closed_at is None else event.closed_at.isoformat(),
        "flapping": event.flapping, "historical": event.historical,
        "frame_received_at": received_at.isoformat(),
    }


def flag_message(flag: Flag) -> dict[str, Any]:
    return {"flag": flag.kind.value, "event_id": flag.event_id, "vin": flag.vin,
            "detected_at": flag.detected_at.isoformat(), "details": flag.details}


async def publish_event_changes(redis: Redis, tenant: str,
                                messages: Sequence[dict[str, Any]]) -> None:
    await _publish(redis, event_channel(tenant), messages)


async def publish_case_changes(redis: Redis, tenant: str,
                               messages: Sequence[dict[str, Any]]) -> None:
    await _publish(redis, case_channel(tenant), messages)


async def _publish(redis: Redis, channel: str, messages: Sequence[dict[str, Any]]) -> None:
    if not messages:
        return
    async with redis.pipeline(transaction=False) as pipe:
        for message in messages:
            pipe.publish(channel, _JSON.encode(message))
        await pipe.execute()
