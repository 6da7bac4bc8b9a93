"""What the alarm engine knows of one committed realtime/reissue record.

The gateway's ingest builds it from the committed ``realtime`` row (gateway/ingest/publisher.py)
and sends it through the alarm feed (backend/storage/alarm_feed.py); nothing else of the frame
is needed to evaluate alarms. Values that arrived as the standard's sentinels (§8.0) are None
here, and their column names are in ``sentinels``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

FAULT_LISTS = ("battery", "motor", "engine", "other")


@dataclass(frozen=True, slots=True)
class FrameRecord:
    vin: str
    collected_at: datetime
    received_at: datetime
    reissued: bool
    edition: int
    """2016 or 2025."""
    alarm_level: int | None = None
    """The frame's highest alarm level (§8.7); None without an alarm block or as a sentinel."""
    alarm_flags: int | None = None
    """The general alarm flag DWORD; None when the record has no alarm block."""
    bit_levels: Mapping[int, int] = field(default_factory=dict)
    """2025 only (§14.4 N5): the level of each flag bit the vehicle listed."""
    fault_codes: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    """Manufacturer fault codes by list (``FAULT_LISTS``)."""
    max_cell_voltage_mv: int | None = None
    min_cell_voltage_mv: int | None = None
    max_temperature_c: int | None = None
    min_temperature_c: int | None = None
    insulation_kohm: int | None = None
    soc_pct: int | None = None
    total_voltage_v: float | None = None
    total_current_a: float | None = None
    sentinels: frozenset[str] = frozenset()
    """Columns (array columns by name) that arrived abnormal or invalid."""

    def all_fault_codes(self) -> frozenset[int]:
        return frozenset(code for codes in self.fault_codes.values() for code in codes)
