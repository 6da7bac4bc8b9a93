"""The API benchmark's fast row builder (bench/api_seed_rows.py) writes exactly the bytes the
platform's COPY encoder (backend/storage/pgcopy.py) writes for the same values, and the values
hold together (times, keys, extremes, profile physics)."""

from __future__ import annotations

import json
import struct
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from backend.storage.ingest import REALTIME_TYPES
from backend.storage.pgcopy import row_encoder
from bench import api_seed_rows as rows

TYPES = dict(REALTIME_TYPES)
PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
DAY = datetime(2026, 11, 20, tzinfo=UTC)
FIXED = {"smallint": ">h", "integer": ">i", "bigint": ">q", "real": ">f",
         "double precision": ">d", "boolean": ">?"}


def _value(sql_type: str, data: bytes) -> Any:
    """The Python value of one binary COPY field (the types the seed writes)."""
    if sql_type in FIXED:
        return struct.unpack(FIXED[sql_type], data)[0]
    if sql_type == "text":
        return data.decode()
    if sql_type == "bytea":
        return data
    if sql_type == "jsonb":
        assert data[0] == 1
        return data[1:].decode()
    if sql_type == "timestamp with time zone":
        return PG_EPOCH + timedelta(microseconds=struct.unpack(">q", data)[0])
    dims, _, _, count, _ = struct.unpack_from(">iiiii", data)
    assert dims == 1
    code = FIXED[sql_type.removesuffix("[]")]
    return [struct.unpack_from(code, data, 20 + index * (4 + struct.calcsize(code)) + 4)[0]
            for index in range(count)]


def _split(payload: bytes) -> list[dict[str, Any]]:
    """Rows of COPY row data back into column -> value."""
    result, at = [], 0
    while at < len(payload):
        (count,) = struct.unpack_from(">h", payload, at)
        assert count == len(rows.COLUMNS)
        at += 2
        row = {}
        for name in rows.COLUMNS:
            (length,) = struct.unpack_from(">i", payload, at)
            at += 4
            row[name] = None if length < 0 else _value(TYPES[name], payload[at:at + length])
            at += max(length, 0)
        result.append(row)
    return result


def _first_chunk(vehicles: int, *, detail: bool) -> tuple[bytes, list[dict[str, Any]]]:
    payload = next(rows.day_payload(rows.fleet(vehicles), DAY, rows.epoch_day(DAY) - 3,
                                    detail=detail, chunk_samples=4))
    return payload, _split(payload)


@pytest.mark.parametrize("detail", [False, True])
def test_rows_are_what_the_platform_encoder_writes(detail: bool) -> None:
    payload, decoded = _first_chunk(8, detail=detail)
    encode = row_encoder([(name, TYPES[name]) for name in rows.COLUMNS])
    assert b"".join(encode([row[name] for name in rows.COLUMNS]) for row in decoded) == payload


def test_rows_go_in_time_order_with_unique_keys() -> None:
    _, decoded = _first_chunk(8, detail=False)
    assert len(decoded) == 8 * 4
    times = [row["collected_at"] for row in decoded]
    assert times == sorted(times)
    assert times[0] == DAY and times[-1] == DAY + timedelta(seconds=3 * rows.STEP_S)
    assert {row["received_at"] - row["collected_at"] for row in decoded} == {
        timedelta(seconds=1.5)}
    keys = {(row["vin"], row["collected_at"], row["content_hash"]) for row in decoded}
    assert len(keys) == len(decoded)
    assert {row["vin"] for row in decoded} == {rows.vin_for(index) for index in range(8)}
    assert all(row[name] is None for row in decoded for name in rows.DETAIL_COLUMNS)


def test_detail_rows_carry_the_pack_with_the_rows_extremes() -> None:
    _, decoded = _first_chunk(4, detail=True)
    for row in decoded:
        spec = rows.MODELS[rows.model_index(int(row["vin"][-9:]))].spec
        cells = row["cell_voltages_mv"]
        assert len(cells) == spec.cell_count
        assert (max(cells), min(cells)) == (row["max_cell_voltage_mv"],
                                            row["min_cell_voltage_mv"])
        assert len(row["probe_temperatures_c"]) == spec.probe_count
        assert max(row["probe_temperatures_c"]) <= row["max_temperature_c"]
        assert json.loads(row["battery"])


@pytest.mark.parametrize("index", [0, rows.PROFILES - 1])
def test_profiles_hold_together(index: int) -> None:
    for model in range(len(rows.MODELS)):
        day = rows.profile(model, index)
        assert len(day.samples) == rows.SAMPLES_PER_DAY
        assert all(0 <= soc <= 100 for soc in day.soc)
        assert all(0 <= speed <= 120 for speed in day.speed)
        assert list(day.odometer_km) == sorted(day.odometer_km)
        assert day.distance_km == pytest.approx(day.odometer_km[-1])
        assert 10 < day.distance_km < 600
        for (vehicle_state, charging_state, _), speed in zip(day.states, day.speed,
                                                             strict=True):
            assert vehicle_state == 1 or speed == 0
            assert not (charging_state == 1 and speed > 0)
