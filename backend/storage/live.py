"""The Redis side of live views: the channels and the latest-state hash the gateway's ingest
publishes (gateway/ingest/publisher.py, docs/ingest.md). The names are the gateway's, repeated
here because the backend reaches the gateway only through Redis and tables; a test keeps the
two in step.

Each subscription uses a pub/sub connection of its own, closed when the subscriber stops.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Final

from redis.asyncio import Redis

_PREFIX: Final = "nevguard"
# How long one wait for a message lasts; the loop goes round again, so a subscriber that
# stops listening is noticed within this time even when the channel is quiet.
_POLL_SECONDS: Final = 1.0


def frames_channel(tenant: str) -> str:
    return f"{_PREFIX}:{tenant}:frames"


def events_channel(tenant: str) -> str:
    return f"{_PREFIX}:{tenant}:events"


def latest_key(tenant: str, vin: str) -> str:
    return f"{_PREFIX}:{tenant}:latest:{vin}"


async def latest_fields(redis: Redis, tenant: str, vin: str) -> dict[bytes, bytes]:
    """The flat latest-state hash of one vehicle; empty when it has none."""
    fields: dict[bytes, bytes] = await redis.hgetall(latest_key(tenant, vin))  # type: ignore[misc]
    return fields


class Subscription:
    """Messages of some channels, from the moment ``open`` returns: subscribe first, then
    read any snapshot, and nothing published in between is lost."""

    def __init__(self, redis: Redis, channels: tuple[str, ...]) -> None:
        self._pubsub = redis.pubsub(ignore_subscribe_messages=True)
        self._channels = channels

    async def open(self) -> None:
        await self._pubsub.subscribe(*self._channels)

    async def messages(self) -> AsyncIterator[tuple[str, bytes]]:
        """(channel, payload) pairs, for as long as the caller keeps reading."""
        while True:
            message = await self._pubsub.get_message(timeout=_POLL_SECONDS)
            if message is None or message.get("type") != "message":
                continue
            channel, data = message["channel"], message["data"]
            name = channel.decode() if isinstance(channel, bytes) else str(channel)
            yield name, data if isinstance(data, bytes) else str(data).encode()

    async def close(self) -> None:
        await self._pubsub.aclose()  # type: ignore[no-untyped-call]
