"""Retries of a notification: exponential backoff, a last attempt, and what an error keeps.

Attempt n (1-based) that fails waits ``BASE_DELAY * 2**(n-1)``, capped at ``MAX_DELAY``:
10 s, 20 s, 40 s … so a receiver that is down for a restart gets the message within seconds
of coming back, and one down for hours is tried every half hour until ``MAX_ATTEMPTS`` (about
three hours in all), after which the delivery is marked failed and shown in the console.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Final

BASE_DELAY: Final = timedelta(seconds=10)
MAX_DELAY: Final = timedelta(minutes=30)
MAX_ATTEMPTS: Final = 12
LEASE: Final = timedelta(minutes=2)  # a sender that died mid-attempt frees the delivery
MAX_ERROR: Final = 500


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after MAX_ATTEMPTS, or nothing to send it with


def retry_delay(attempt: int) -> timedelta:
    delay: timedelta = BASE_DELAY * (2 ** min(max(attempt - 1, 0), 20))
    return min(delay, MAX_DELAY)


def after_failure(attempt: int, now: datetime) -> tuple[DeliveryStatus, datetime | None]:
    """The status and next try of a delivery whose ``attempt``-th try failed."""
    if attempt >= MAX_ATTEMPTS:
        return DeliveryStatus.FAILED, None
    return DeliveryStatus.PENDING, now + retry_delay(attempt)


def error_text(error: BaseException) -> str:
    """Kept on the delivery for the console: the error's kind and text, truncated. Channel
    secrets never reach an error (they travel in headers and the SMTP login)."""
    text = f"{type(error).__name__}: {error}"
    return text[:MAX_ERROR]
