"""Fixed-window request counters in Redis, shared by every API process."""

from __future__ import annotations

from typing import Final

from redis.asyncio import Redis

_PREFIX: Final = "nevguard:ratelimit:"


async def count_hit(redis: Redis, key: str, *, window_s: int, now: float) -> int:
    """Count one hit in the window containing ``now`` and return the window's total. The
    key expires with its window (plus a second of slack for clock skew between hosts)."""
    window = int(now // window_s)
    name = f"{_PREFIX}{key}:{window}"
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(name)
        pipe.expire(name, window_s + 1)
        count, _ = await pipe.execute()
    return int(count)
