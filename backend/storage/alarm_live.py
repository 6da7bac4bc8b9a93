"""Redis channels of the live alarm list: the engine's event changes (``nevguard:<tenant>:
alarms``, written by backend/workers/alarm_engine.py, name repeated here because the API
reaches Redis only through storage) and case changes (``nevguard:<tenant>:alarm-cases``,
published after each committed workflow step or escalation)."""

from __future__ import annotations

from typing import Any, Final

import msgspec
from redis.asyncio import Redis

_JSON: Final = msgspec.json.Encoder()


def event_channel(tenant: str) -> str:
    return f"nevguard:{tenant}:alarms"


def case_channel(tenant: str) -> str:
    return f"nevguard:{tenant}:alarm-cases"


async def publish_case_changes(redis: Redis, tenant: str,
                               messages: list[dict[str, Any]]) -> None:
    if not messages:
        return
    async with redis.pipeline(transaction=False) as pipe:
        for message in messages:
            pipe.publish(case_channel(tenant), _JSON.encode(message))
        await pipe.execute()
