"""Row builders for storage tests: tuples in the ingest column orders, built from keywords so
each test states only the values it is about."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from backend.storage.ingest import (
    EVENT_COLUMNS,
    LATEST_COLUMNS,
    RAW_FRAME_COLUMNS,
    REALTIME_COLUMNS,
)

VIN_A = "LNBSCB3F5JW000001"
VIN_B = "LNBSCB3F5JW000002"
T0 = datetime(2024, 5, 1, 8, 0, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def digest(*parts: object) -> bytes:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).digest()


def _row(columns: tuple[str, ...], values: dict[str, Any]) -> tuple[Any, ...]:
    unknown = set(values) - set(columns)
    if unknown:
        raise KeyError(f"not a column: {sorted(unknown)}")
    return tuple(values.get(column) for column in columns)


def realtime(vin: str = VIN_A, collected_at: datetime = T0, **values: Any) -> tuple[Any, ...]:
    """A realtime row; the content hash defaults to one derived from the given values, so two
    rows with different contents never collide by accident."""
    base: dict[str, Any] = {
        "vin": vin, "collected_at": collected_at, "received_at": collected_at,
        "reissued": False, "edition": 2016,
    }
    base.update(values)
    base.setdefault("content_hash", digest(sorted(base.items(), key=lambda item: item[0])))
    return _row(REALTIME_COLUMNS, base)


def raw(vin: str = VIN_A, received_at: datetime = T0, frame: bytes = b"##\x02",
        **values: Any) -> tuple[Any, ...]:
    base = {"vin": vin, "received_at": received_at, "command": 2, "edition": 2016,
            "frame": frame, "frame_hash": digest(frame), **values}
    return _row(RAW_FRAME_COLUMNS, base)


def event(vin: str = VIN_A, at_: datetime = T0, kind: str | None = "login",
          **values: Any) -> tuple[Any, ...]:
    base = {"vin": vin, "at": at_, "kind": kind, "details": "{}", **values}
    return _row(EVENT_COLUMNS, base)


def latest(vin: str = VIN_A, last_frame_at: datetime = T0, **values: Any) -> tuple[Any, ...]:
    base = {"vin": vin, "online": True, "last_frame_at": last_frame_at,
            "updated_at": last_frame_at, **values}
    return _row(LATEST_COLUMNS, base)
