"""The storage quota rule: percent of the quota, the thresholds reached, when an alert is due
and when registrations stop."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.core.storage_quota import BYTES_PER_GB, StorageUse, alert_due, threshold_reached

AT = datetime(2024, 6, 1, tzinfo=UTC)


def test_percent_needs_a_quota_and_a_measurement() -> None:
    assert StorageUse(None, None, 10).percent is None
    assert StorageUse(5 * BYTES_PER_GB, AT, None).percent is None
    assert StorageUse(5 * BYTES_PER_GB, AT, 10).percent == 50.0
    assert not StorageUse(5 * BYTES_PER_GB, AT, None).registrations_refused


def test_registrations_stop_at_exactly_the_quota() -> None:
    assert not StorageUse(10 * BYTES_PER_GB - 1, AT, 10).registrations_refused
    assert StorageUse(10 * BYTES_PER_GB, AT, 10).registrations_refused


def test_thresholds_and_alerts_only_when_climbing() -> None:
    assert [threshold_reached(p) for p in (None, 0.0, 79.99, 80.0, 99.9, 100.0, 250.0)] == [
        0, 0, 0, 80, 80, 100, 100]
    assert alert_due(0, 80) and alert_due(80, 100) and alert_due(0, 100)
    assert not alert_due(80, 80) and not alert_due(100, 80) and not alert_due(0, 0)
