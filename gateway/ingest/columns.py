"""Column order of the tenant ingest tables (migrations/tenant) and small value helpers.

The row builders produce plain tuples in exactly these orders because the storage layer copies
them with binary COPY, which matches by position.
"""

from __future__ import annotations

from itertools import chain
from typing import Any, Final

import msgspec

# The storage layer owns the tables' column orders; rows are built in exactly that order.
from backend.storage.ingest import (
    EVENT_COLUMNS,
    LATEST_COLUMNS,
    RAW_FRAME_COLUMNS,
    REALTIME_COLUMNS,
)
from gateway.protocol.model import Sentinel

# Every column a block can fill is listed here once, so a frame without that block leaves it
# NULL: ``dict(EMPTY_REALTIME)`` is the starting point of each row.
EMPTY_REALTIME: Final[dict[str, Any]] = dict.fromkeys(REALTIME_COLUMNS)

_JSON: Final = msgspec.json.Encoder()

EDITION_YEAR: Final = {"2016": 2016, "2025": 2025}


def jsonb(value: Any) -> str:
    """JSON text for a jsonb column (asyncpg's default jsonb codec takes text). Sentinels
    become "abnormal" / "invalid" as in the canonical JSON form (docs/protocol-json.md)."""
    return _JSON.encode(value).decode()


def builtins(value: Any) -> Any:
    """A decoded model as JSON-ready builtins; ``Sentinel`` values become their names."""
    return msgspec.to_builtins(value)


def value_or_sentinel(values: dict[str, Any], sentinels: dict[str, str], column: str,
                      value: Any) -> None:
    """Store a measured value, or NULL plus the sentinel's name in ``sentinels`` (§8.0)."""
    if isinstance(value, Sentinel):
        sentinels[column] = value.value
        values[column] = None
    else:
        values[column] = value


def flat_array(parts: list[tuple[int | Sentinel, ...]], column: str, sentinels: dict[str, str],
               *, extremes: bool = True
               ) -> tuple[list[int | None] | None, int | None, int | None]:
    """Join per-subsystem lists into one array column with its maximum and minimum.

    Sentinel items become NULL elements and are recorded in ``sentinels`` as
    ``column[index]`` (0-based in the joined array); they never count as extremes. The common
    case (no sentinel) stays in C: ``min()`` only raises when a sentinel is present. With
    ``extremes`` False (the frame brought its own, §8.6) the maximum is not computed and
    both extremes come back as None.
    """
    if not parts:
        return None, None, None
    joined: list[Any] = list(parts[0]) if len(parts) == 1 else list(chain.from_iterable(parts))
    if not joined:
        return joined, None, None
    try:
        low = min(joined)
    except TypeError:
        pass
    else:
        return (joined, max(joined), low) if extremes else (joined, None, None)
    numbers: list[int] = []
    for index, item in enumerate(joined):
        if isinstance(item, Sentinel):
            sentinels[f"{column}[{index}]"] = item.value
            joined[index] = None
        else:
            numbers.append(item)
    if not numbers or not extremes:
        return joined, None, None
    return joined, max(numbers), min(numbers)

__all__ = ["EDITION_YEAR", "EMPTY_REALTIME", "EVENT_COLUMNS", "LATEST_COLUMNS",
           "RAW_FRAME_COLUMNS", "REALTIME_COLUMNS", "builtins", "flat_array", "jsonb",
           "value_or_sentinel"]
