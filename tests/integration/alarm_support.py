"""Alarm-feed entries for tests: realtime-row values as the gateway's publisher sends them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from backend.storage.alarm_feed import encode_entry

BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


def entry(tenant: str, vin: str, seconds: float, *, edition: int = 2016,
          reissued: bool = False, level: int | None = 0, flags: int | None = 0,
          bit_levels: dict[int, int] | None = None, codes: dict[str, list[int]] | None = None,
          received_delay_s: float = 1.0, **values: Any) -> bytes:
    collected = BASE + timedelta(seconds=seconds)
    row: dict[str, Any] = dict.fromkeys((
        "max_cell_voltage_mv", "min_cell_voltage_mv", "max_temperature_c", "min_temperature_c",
        "insulation_kohm", "soc_pct", "total_voltage_v", "total_current_a", "sentinels",
        "alarm_levels", "fault_codes"))
    row.update({"vin": vin, "collected_at": collected,
                "received_at": collected + timedelta(seconds=received_delay_s),
                "reissued": reissued, "edition": edition, "alarm_level": level,
                "alarm_flags": flags})
    if bit_levels is not None:
        row["alarm_levels"] = json.dumps([{"bit": b, "level": v} for b, v in bit_levels.items()])
    if codes is not None:
        row["fault_codes"] = json.dumps(codes)
    row.update(values)
    return encode_entry(tenant, row)


def at(seconds: float) -> datetime:
    return BASE + timedelta(seconds=seconds)
