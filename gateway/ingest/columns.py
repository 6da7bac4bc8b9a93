"""Column order of the tenant ingest tables (migrations/tenant) and small value helpers.

The row builders produce plain tuples in exactly these orders because the storage layer copies
them with binary COPY, which matches by position.
"""

from __future__ import annotations

from itertools import chain
from typing import Any, Final

import msgspec

from gateway.protocol.model import Sentinel

REALTIME_COLUMNS: Final = (
    "vin", "collected_at", "received_at", "reissued", "edition", "content_hash",
    "vehicle_state", "charging_state", "running_mode", "speed_kmh", "odometer_km",
    "total_voltage_v", "total_current_a", "soc_pct", "dcdc_state", "gear", "insulation_kohm",
    "accelerator_pct", "brake_pct", "position_valid", "longitude_deg", "latitude_deg",
    "coordinate_system", "max_cell_voltage_mv", "min_cell_voltage_mv", "max_temperature_c",
    "min_temperature_c", "alarm_level", "alarm_flags", "fault_codes", "alarm_levels",
    "cell_voltages_mv", "probe_temperatures_c", "battery", "motors", "fuel_cell", "engine",
    "extras", "sentinels", "undecoded", "signature_verified",
)
RAW_FRAME_COLUMNS: Final = ("vin", "received_at", "collected_at", "command", "edition", "frame",
                            "frame_hash")
EVENT_COLUMNS: Final = ("vin", "at", "collected_at", "kind", "serial", "details")
LATEST_COLUMNS: Final = ("vin", "online", "last_frame_at", "last_collected_at", "longitude_deg",
                         "latitude_deg", "vehicle_state", "charging_state", "soc_pct",
                         "speed_kmh", "alarm_level", "updated_at")

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


def flat_array(parts: list[tuple[int | Sentinel, ...]], column: str, sentinels: dict[str, str]
               ) -> tuple[list[int | None] | None, int | None, int | None]:
    """Join per-subsystem lists into one array column with its maximum and minimum.

    Sentinel items become NULL elements and are recorded in ``sentinels`` as
    ``column[index]`` (0-based in the joined array); they never count as extremes. The common
    case (no sentinel) stays in C: ``max()`` only raises when a sentinel is present.
    """
    if not parts:
        return None, None, None
    joined: list[Any] = list(chain.from_iterable(parts))
    if not joined:
        return joined, None, None
    try:
        return joined, max(joined), min(joined)
    except TypeError:
        pass
    numbers: list[int] = []
    for index, item in enumerate(joined):
        if isinstance(item, Sentinel):
            sentinels[f"{column}[{index}]"] = item.value
            joined[index] = None
        else:
            numbers.append(item)
    if not numbers:
        return joined, None, None
    return joined, max(numbers), min(numbers)
