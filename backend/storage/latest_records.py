"""The newest live record of each of a tenant's vehicles, found through ``latest_state``:
its ``last_collected_at`` is that record's collection time (the gateway keeps it from live
rows only), so each vehicle costs one index probe in one day partition or chunk instead of a
search through its whole life. Call inside ``tenant_tx``."""

# ruff: noqa: S608 - SQL text is built only from the column constants below; values are bound.
from __future__ import annotations

import json
from collections.abc import Collection
from typing import Final

import asyncpg

from backend.core.latest_record import LatestRecord, decode_gear
from backend.storage.db import Conn, registry_vins

_SCALARS: Final = (
    "collected_at", "received_at", "edition", "vehicle_state", "charging_state",
    "running_mode", "speed_kmh", "odometer_km", "total_voltage_v", "total_current_a",
    "soc_pct", "dcdc_state", "gear", "insulation_kohm", "accelerator_pct", "brake_pct",
    "max_cell_voltage_mv", "min_cell_voltage_mv", "max_temperature_c", "min_temperature_c",
    "alarm_level", "sentinels")
_SELECTED: Final = ", ".join(f"r.{column}" for column in _SCALARS)


async def latest_records(conn: Conn, tenant: str, vins: Collection[str]) -> list[LatestRecord]:
    """Records of those of ``vins`` the tenant has registered and that sent a live record.
    A reissue never counts as the newest (it is history arriving late)."""
    rows = await conn.fetch(
        f"""SELECT v.vin::text AS vin, {_SELECTED},
                   cardinality(r.cell_voltages_mv) AS cell_count,
                   cardinality(r.probe_temperatures_c) AS probe_count
              FROM nevguard.vehicles AS v
              JOIN nevguard.tenants AS t ON t.id = v.tenant_id AND t.slug = $1
              JOIN latest_state AS s ON s.vin = v.vin::text
              CROSS JOIN LATERAL (
                  SELECT * FROM realtime AS r
                   WHERE r.vin = s.vin AND r.collected_at = s.last_collected_at
                     AND NOT r.reissued
                   ORDER BY r.received_at DESC LIMIT 1) AS r
             WHERE v.vin = ANY({registry_vins('$2')})""",
        tenant, list(vins))
    return [_record(row) for row in rows]


def _record(row: asyncpg.Record) -> LatestRecord:
    gear, edition = row["gear"], row["edition"]
    return LatestRecord(
        vin=row["vin"], collected_at=row["collected_at"], received_at=row["received_at"],
        edition=edition, vehicle_state=row["vehicle_state"],
        charging_state=row["charging_state"], running_mode=row["running_mode"],
        speed_kmh=row["speed_kmh"], odometer_km=row["odometer_km"],
        total_voltage_v=row["total_voltage_v"], total_current_a=row["total_current_a"],
        soc_pct=row["soc_pct"], dcdc_state=row["dcdc_state"],
        gear=None if gear is None else decode_gear(gear, edition),
        insulation_kohm=row["insulation_kohm"], accelerator_pct=row["accelerator_pct"],
        brake_pct=row["brake_pct"], max_cell_voltage_mv=row["max_cell_voltage_mv"],
        min_cell_voltage_mv=row["min_cell_voltage_mv"],
        max_temperature_c=row["max_temperature_c"],
        min_temperature_c=row["min_temperature_c"], cell_count=row["cell_count"],
        probe_count=row["probe_count"], alarm_level=row["alarm_level"],
        sentinels=json.loads(row["sentinels"]) if row["sentinels"] is not None else {})
