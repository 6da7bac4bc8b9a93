"""Alarm-feed entries for tests: realtime-row values as the gateway's publisher sends them,
one row an entry (``entry``), packed (``packed``), or as a bare row object (``row``: what a
gateway from before the arrays wrote as an entry)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from backend.storage.alarm_feed import FEED_ROWS_PER_ENTRY, encode_row, entry_payload

BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


def row(tenant: str, vin: str, seconds: float, *, edition: int = 2016,
        reissued: bool = False, level: int | None = 0, flags: int | None = 0,
        bit_levels: dict[int, int] | None = None, codes: dict[str, list[int]] | None = None,
        received_delay_s: float = 1.0, **columns: Any) -> bytes:
    collected = BASE + timedelta(seconds=seconds)
    values: dict[str, Any] = dict.fromkeys((
        "max_cell_voltage_mv", "min_cell_voltage_mv", "max_temperature_c", "min_temperature_c",
        "insulation_kohm", "soc_pct", "total_voltage_v", "total_current_a", "sentinels",
        "alarm_levels", "fault_codes"))
    values.update({"vin": vin, "collected_at": collected,
                   "received_at": collected + timedelta(seconds=received_delay_s),
                   "reissued": reissued, "edition": edition, "alarm_level": level,
                   "alarm_flags": flags})
    if bit_levels is not None:
        values["alarm_levels"] = json.dumps([{"bit": b, "level": v}
                                             for b, v in bit_levels.items()])
    if codes is not None:
        values["fault_codes"] = json.dumps(codes)
    values.update(columns)
    return encode_row(tenant, values)


def entry(tenant: str, vin: str, seconds: float, **options: Any) -> bytes:
    """An entry of one row (``row``'s arguments)."""
    return entry_payload([row(tenant, vin, seconds, **options)])


def packed(rows: Sequence[bytes], per_entry: int = FEED_ROWS_PER_ENTRY) -> list[bytes]:
    """Rows in entries of ``per_entry``, as the publisher packs one tenant's rows."""
    return [entry_payload(rows[start:start + per_entry])
            for start in range(0, len(rows), per_entry)]


def at(seconds: float) -> datetime:
    return BASE + timedelta(seconds=seconds)
