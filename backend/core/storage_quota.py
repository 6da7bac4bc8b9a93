"""The storage quota rule (docs/operations.md "Storage quota"). Regulated vehicle data is never
dropped or refused because of a quota: a tenant over its ``storage_gb`` gets alerts at 80 % and
100 %, and at 100 % no new vehicle registrations (which would add more regulated data), until
the provider raises the quota or the usage falls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

BYTES_PER_GB: Final = 1_000_000_000  # storage is sold in decimal gigabytes
ALERT_THRESHOLDS: Final = (80, 100)  # percent of the quota
REFUSE_REGISTRATION_AT: Final = 100


@dataclass(frozen=True, slots=True)
class StorageUse:
    """The latest measurement of a tenant (``measured_at`` None: not measured yet)."""

    bytes: int | None
    measured_at: datetime | None
    quota_gb: int | None  # None: no storage quota

    @property
    def percent(self) -> float | None:
        """Usage as a percentage of the quota; None without a quota or a measurement."""
        if self.bytes is None or self.quota_gb is None:
            return None
        return 100.0 * self.bytes / (self.quota_gb * BYTES_PER_GB)

    @property
    def registrations_refused(self) -> bool:
        percent = self.percent
        return percent is not None and percent >= REFUSE_REGISTRATION_AT


def threshold_reached(percent: float | None) -> int:
    """The highest alert threshold ``percent`` has reached, 0 for none."""
    if percent is None:
        return 0
    return max((threshold for threshold in ALERT_THRESHOLDS if percent >= threshold),
               default=0)


def alert_due(already_alerted: int, reached: int) -> bool:
    """Alert when usage climbs past a threshold not alerted since it was last below 80 %."""
    return reached > already_alerted
