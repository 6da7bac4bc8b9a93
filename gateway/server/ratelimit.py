"""Per-connection frame rate limit: a token bucket plus an "abuse" bucket (settings.RateLimit)."""

from __future__ import annotations

from .settings import RateLimit


class TokenBucket:
    """``rate`` tokens per second up to ``capacity``; starts full. Time is passed in (seconds
    on a monotonic clock) so the bucket has no clock of its own."""

    __slots__ = ("_level", "_stamp", "capacity", "rate")

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self._level = capacity
        self._stamp = now

    def _refill(self, now: float) -> None:
        if now > self._stamp:
            self._level = min(self.capacity, self._level + (now - self._stamp) * self.rate)
            self._stamp = now

    def take(self, now: float) -> float:
        """Take one token; return 0.0, or the seconds to wait before the token is there (the
        token is then already spoken for, so waiting that long and going on is correct)."""
        self._refill(now)
        self._level -= 1.0
        return 0.0 if self._level >= 0 else -self._level / self.rate

    def try_take(self, now: float) -> bool:
        self._refill(now)
        if self._level >= 1.0:
            self._level -= 1.0
            return True
        return False


class FrameRateLimiter:
    """``admit`` returns the delay to apply before handling the next frame, or None when the
    peer has stayed over its limit long enough to be disconnected."""

    __slots__ = ("_abuse", "_frames", "limited")

    def __init__(self, limit: RateLimit, now: float,
                 frames_per_second: float | None = None) -> None:
        rate = frames_per_second if frames_per_second is not None else limit.frames_per_second
        self._frames = TokenBucket(rate, limit.burst, now)
        self._abuse = TokenBucket(limit.abuse_frames / limit.abuse_window_s, limit.abuse_frames,
                                  now)
        self.limited = 0

    def admit(self, now: float) -> float | None:
        delay = self._frames.take(now)
        if delay == 0.0:
            return 0.0
        self.limited += 1
        if not self._abuse.try_take(now):
            return None
        return delay
