"""Synthetic realtime rows for bench/seed_api.py, encoded for binary COPY without a per-value
Python encoder call.

A vehicle-day is one of ``PROFILES`` day profiles of its model (commutes, an evening charge, taxi
shifts, a few alarm episodes), computed once per (model, profile): every per-sample value that
does not depend on the vehicle is encoded once, with the platform's own COPY encoders
(backend/storage/pgcopy.py) and column types (backend/storage/ingest.py). A row is then the
vehicle's encoded VIN, one ``struct`` pack of the values that do depend on the vehicle (times,
content hash, odometer, position), the profile's encoded sample and a constant tail: a few
hundred nanoseconds of Python per row.

``DETAIL_COLUMNS`` (cell voltages, probe temperatures and the jsonb blocks of a real frame of
the model decoded by the gateway's row builder) are written only on the rows the seed asks for;
the other rows carry NULL there, which is how the disk budget is kept (see seed_api.py).
"""

from __future__ import annotations

import math
import random
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Final

from backend.core.vehicles import Chemistry, VehicleModelSpec
from backend.storage.ingest import REALTIME_TYPES
from backend.storage.pgcopy import ENCODERS
from bench.sample_frames import realtime_2016
from gateway.ingest.rows import frame_rows
from gateway.protocol.codec import decode_frame

STEP_S: Final = 30
SAMPLES_PER_DAY: Final = 86_400 // STEP_S
PROFILES: Final = 16
BEIJING_OFFSET_S: Final = 8 * 3600
_TYPES: Final = dict(REALTIME_TYPES)
_PG_EPOCH: Final = datetime(2000, 1, 1, tzinfo=UTC)

# COPY column order of the seed (any order is allowed with an explicit column list).
VARYING_COLUMNS: Final = ("vin", "collected_at", "received_at", "content_hash", "odometer_km",
                          "longitude_deg", "latitude_deg")
PROFILE_COLUMNS: Final = (
    "vehicle_state", "charging_state", "running_mode", "speed_kmh", "total_voltage_v",
    "total_current_a", "soc_pct", "dcdc_state", "gear", "insulation_kohm", "accelerator_pct",
    "brake_pct", "max_cell_voltage_mv", "min_cell_voltage_mv", "max_temperature_c",
    "min_temperature_c", "alarm_level", "alarm_flags")
CONSTANT_COLUMNS: Final = ("reissued", "edition", "position_valid", "signature_verified")
DETAIL_COLUMNS: Final = ("cell_voltages_mv", "probe_temperatures_c", "fault_codes", "battery",
                         "motors")
COLUMNS: Final = VARYING_COLUMNS + PROFILE_COLUMNS + CONSTANT_COLUMNS + DETAIL_COLUMNS
_NULL: Final = struct.pack(">i", -1)
_FIELD_COUNT: Final = struct.pack(">h", len(COLUMNS))
# collected_at, received_at (timestamptz), content_hash (bytea 16), odometer, longitude,
# latitude (double): the same binary forms pgcopy's encoders write, in one call.
_VARYING: Final = struct.Struct(">iqiqiQQididid")
_CONSTANT: Final = b"".join(ENCODERS[_TYPES[name]](value) for name, value in zip(
    CONSTANT_COLUMNS, (False, 2016, True, False), strict=True))
_NO_DETAIL: Final = _NULL * len(DETAIL_COLUMNS)

ALARM_TEMPERATURE_DIFFERENCE: Final = 1 << 0  # general alarm flag bit 0 (PROTOCOL.md §8.7)
ALARM_INSULATION: Final = 1 << 11


@dataclass(frozen=True, slots=True)
class BenchModel:
    spec: VehicleModelSpec
    nominal_cell_mv: int
    consumption_kwh_per_km: float


MODELS: Final = (
    BenchModel(VehicleModelSpec("Aurora 60", "Bench Motors", Chemistry.NCM, 96, 24, 60.0,
                                "CATL", "Inovance"), 3650, 0.15),
    BenchModel(VehicleModelSpec("Aurora 75 LFP", "Bench Motors", Chemistry.LFP, 108, 32, 75.0,
                                "BYD", "Inovance"), 3250, 0.16),
    BenchModel(VehicleModelSpec("Cargo 90", "Bench Commercial", Chemistry.LFP, 120, 40, 90.0,
                                "CALB", "Broad-Ocean"), 3250, 0.22),
    BenchModel(VehicleModelSpec("City 40", "Bench Motors", Chemistry.NCM, 90, 16, 40.0,
                                "EVE", None), 3650, 0.12),
)


def vin_for(index: int) -> str:
    return f"LAPBENCH{index:09d}"


def model_index(vehicle: int) -> int:
    return vehicle % len(MODELS)


def operating(vehicle: int) -> bool:
    """Every fifth vehicle is a taxi or van (long shifts); the rest are private cars."""
    return vehicle % 5 == 0


def profile_for(vehicle: int, day: int) -> int:
    """Which day profile a vehicle drives on a day (day = days since the epoch): operating
    vehicles use the shift profiles, private ones the commuter profiles."""
    mixed = (vehicle * 2_654_435_761 + day * 40_503) % 2**32
    half = PROFILES // 2
    return (half if operating(vehicle) else 0) + mixed % half


@dataclass(frozen=True, slots=True)
class Profile:
    """One day of one model: per sample the encoded profile columns, the distance driven so
    far (km) and the position offset along the route (degrees), plus session breaks."""

    samples: tuple[bytes, ...]
    odometer_km: tuple[float, ...]
    offsets: tuple[tuple[float, float], ...]
    speed: tuple[float, ...]
    soc: tuple[int, ...]
    states: tuple[tuple[int, int, int], ...]  # vehicle state, charging state, alarm level
    distance_km: float
    link_breaks: tuple[int, ...]  # sample indexes where the link drops for a minute


def _periods(rng: random.Random, shift: bool) -> list[tuple[int, int, str]]:
    """(first sample, end sample, 'drive' | 'charge') in Beijing time of day."""
    def at(hour: float) -> int:
        return int(hour * 3600 / STEP_S)
    if shift:
        periods, hour = [], rng.uniform(5.5, 7.0)
        while hour < 21.0:
            length = rng.uniform(0.8, 1.8)
            periods.append((at(hour), at(min(hour + length, 23.0)), "drive"))
            hour += length + rng.uniform(0.3, 0.8)
            if 11.5 < hour < 14.0:
                periods.append((at(hour), at(hour + 0.75), "charge"))
                hour += 1.0
        periods.append((at(hour + 0.2), at(min(hour + 1.2, 23.9)), "charge"))
        return periods
    morning = rng.uniform(6.8, 8.8)
    evening = rng.uniform(17.2, 19.5)
    periods = [(at(morning), at(morning + rng.uniform(0.3, 1.1)), "drive")]
    if rng.random() < 0.5:
        noon = rng.uniform(11.5, 13.5)
        periods.append((at(noon), at(noon + rng.uniform(0.2, 0.6)), "drive"))
    back = evening + rng.uniform(0.3, 1.3)
    periods.append((at(evening), at(back), "drive"))
    periods.append((at(back + 0.3), at(min(back + 4.5, 23.9)), "charge"))
    return periods


def build_profile(model: BenchModel, index: int) -> Profile:
    rng = random.Random(index * 7919 + model.spec.cell_count)
    shift = index >= PROFILES // 2
    activity = ["park"] * SAMPLES_PER_DAY
    for first, end, kind in _periods(rng, shift):
        for local in range(first, min(end, SAMPLES_PER_DAY)):
            activity[local] = kind
    alarm = {3: ALARM_TEMPERATURE_DIFFERENCE, 11: ALARM_TEMPERATURE_DIFFERENCE,
             14: ALARM_INSULATION}.get(index, 0)
    alarm_left = 0
    encoders = [ENCODERS[_TYPES[name]] for name in PROFILE_COLUMNS]
    soc, speed, odometer = rng.uniform(60, 90), 0.0, 0.0
    insulation = rng.randint(8000, 20000) if alarm != ALARM_INSULATION else 1200
    samples: list[bytes] = []
    odometers, offsets, speeds, socs, states = [], [], [], [], []
    for sample in range(SAMPLES_PER_DAY):
        # Sample 0 is 00:00 UTC = 08:00 Beijing; activity is laid out in Beijing time.
        kind = activity[(sample + BEIJING_OFFSET_S // STEP_S) % SAMPLES_PER_DAY]
        driving, plugged = kind == "drive", kind == "charge"
        charging = plugged and soc < 99.5
        if driving:
            cruise = 28 if shift else 45  # city shifts are slower than commutes
            speed = min(115.0, max(0.0, speed + rng.gauss(1.5 if speed < cruise else -1.0, 6.0)))
            if alarm and not alarm_left and rng.random() < 0.01:
                alarm_left = 20
        else:
            speed = 0.0
        distance = speed * STEP_S / 3600
        odometer += distance
        energy = (-distance * model.consumption_kwh_per_km
                  + (60.0 if shift else 7.0) * STEP_S / 3600 * charging)  # DC or home AC, kW
        soc = min(100.0, max(5.0, soc + 100 * energy / model.spec.rated_capacity_kwh))
        current = (-(150.0 if shift else 16.0) if charging
                   else speed * 1.6 + rng.uniform(-3, 3) if driving else 0.4)
        cell_max = model.nominal_cell_mv - 120 + int(soc * 2.4) + (15 if charging else 0)
        spread = 18 + int(speed / 10) + (25 if alarm_left and alarm == ALARM_INSULATION else 0)
        temperature = 24 + int(speed / 12) + (6 if charging else 0)
        level = 0
        if alarm_left:
            alarm_left -= 1
            level = 1 if alarm == ALARM_TEMPERATURE_DIFFERENCE else 2
        values = (
            1 if driving else 2, 1 if charging else 4 if plugged else 3, 1, round(speed, 1),
            round(model.spec.cell_count * cell_max / 1000, 1), round(current, 1), round(soc),
            1 if driving or charging else 2, 0x2E if driving else 0x0F,
            insulation + rng.randint(-300, 300), int(speed / 2) if driving else 0,
            rng.choice((0, 0, 0, 30)) if driving else 0, cell_max, cell_max - spread,
            temperature + (8 if level and alarm == ALARM_TEMPERATURE_DIFFERENCE else 0),
            temperature - 4, level, alarm if level else 0)
        samples.append(b"".join(encode(value) for encode, value in zip(encoders, values,
                                                                        strict=True)))
        odometers.append(odometer)
        # A loop around home: the position moves with the distance driven.
        angle = odometer / 12.0
        offsets.append((0.05 * math.sin(angle), 0.04 * (1 - math.cos(angle))))
        speeds.append(speed)
        socs.append(round(soc))
        states.append((values[0], values[1], level))
    breaks = tuple(sorted(rng.sample(range(60, SAMPLES_PER_DAY - 60), 2 if shift else 1)))
    return Profile(tuple(samples), tuple(odometers), tuple(offsets), tuple(speeds), tuple(socs),
                   tuple(states), odometer, breaks)


@lru_cache(maxsize=len(MODELS) * PROFILES)
def profile(model: int, index: int) -> Profile:
    return build_profile(MODELS[model], index)


@lru_cache(maxsize=len(MODELS))
def detail_template(model: int) -> dict[str, Any]:
    """The jsonb blocks of a real 2016 frame of this pack, decoded by the gateway."""
    spec = MODELS[model].spec
    raw = realtime_2016(spec.cell_count, probes=spec.probe_count, seed=model + 1)
    row = frame_rows(decode_frame(raw), raw, datetime.now(UTC)).realtime
    if row is None:
        raise RuntimeError("the sample frame has no realtime row")
    names = [name for name, _ in REALTIME_TYPES]
    return dict(zip(names, row, strict=True))


@lru_cache(maxsize=65_536)
def _detail(model: int, vehicle_pattern: int, cell_max: int, cell_min: int,
            temperature: int) -> bytes:
    """Encoded arrays and jsonb for one (pack, pattern, extremes): cells spread between the
    row's minimum and maximum (both present), probes around its temperature."""
    spec = MODELS[model].spec
    rng = random.Random(vehicle_pattern * 131 + model)
    cells = [cell_min + rng.randint(0, cell_max - cell_min) for _ in range(spec.cell_count)]
    cells[rng.randrange(spec.cell_count)] = cell_max
    cells[rng.randrange(spec.cell_count)] = cell_min
    probes = [temperature - rng.randint(0, 4) for _ in range(spec.probe_count)]
    template = detail_template(model)
    values = (cells, probes, template["fault_codes"], template["battery"], template["motors"])
    return b"".join(ENCODERS[_TYPES[name]](value) for name, value in zip(
        DETAIL_COLUMNS, values, strict=True))


@dataclass(frozen=True, slots=True)
class Vehicle:
    index: int
    vin: str
    model: int
    longitude: float
    latitude: float
    odometer_km: float

    @property
    def encoded_vin(self) -> bytes:
        return _FIELD_COUNT + ENCODERS["text"](self.vin)


def fleet(count: int) -> list[Vehicle]:
    """Vehicles around a few Chinese cities, each with its own starting odometer."""
    cities = ((116.40, 39.90), (121.47, 31.23), (113.26, 23.13), (104.07, 30.57),
              (114.31, 30.59), (120.16, 30.27), (108.94, 34.34), (117.20, 39.13))
    result = []
    for index in range(count):
        rng = random.Random(index)
        lon, lat = cities[index % len(cities)]
        result.append(Vehicle(index, vin_for(index), model_index(index),
                              lon + rng.uniform(-0.3, 0.3), lat + rng.uniform(-0.3, 0.3),
                              rng.uniform(2_000, 60_000)))
    return result


def epoch_day(day: datetime) -> int:
    return (day - datetime(1970, 1, 1, tzinfo=UTC)).days


def odometer_at_day(vehicle: Vehicle, day: int, first_day: int) -> float:
    """The odometer at the start of ``day``: every profile driven since the seed's first day."""
    return vehicle.odometer_km + sum(
        profile(vehicle.model, profile_for(vehicle.index, past)).distance_km
        for past in range(first_day, day))


def day_payload(vehicles: Sequence[Vehicle], day: datetime, first_day: int, *, detail: bool,
                chunk_samples: int = 60) -> Iterator[bytes]:
    """The day's rows as binary COPY row data (no header or trailer), in collection-time order
    across the fleet (the order the gateway writes them), ``chunk_samples`` samples a chunk."""
    number = epoch_day(day)
    start_us = (day - _PG_EPOCH) // timedelta(microseconds=1)
    plans = []
    for vehicle in vehicles:
        plan = profile(vehicle.model, profile_for(vehicle.index, number))
        plans.append((vehicle.encoded_vin, plan, odometer_at_day(vehicle, number, first_day),
                      vehicle.longitude, vehicle.latitude, vehicle.index << 32, vehicle.model))
    pack = _VARYING.pack
    for first in range(0, SAMPLES_PER_DAY, chunk_samples):
        rows: list[bytes] = []
        for sample in range(first, min(first + chunk_samples, SAMPLES_PER_DAY)):
            collected = start_us + sample * STEP_S * 1_000_000
            for vin, plan, odometer, lon, lat, tag, model in plans:
                dlon, dlat = plan.offsets[sample]
                encoded = plan.samples[sample]
                tail = _NO_DETAIL
                if detail:
                    tail = _detail(model, tag >> 32 & 7, *_extremes(encoded))
                rows.append(vin + pack(
                    8, collected, 8, collected + 1_500_000, 16, tag | number, collected,
                    8, round(odometer + plan.odometer_km[sample], 1), 8, lon + dlon,
                    8, lat + dlat) + encoded + _CONSTANT + tail)
        yield b"".join(rows)


def _width(name: str) -> int:
    return {"smallint": 2, "integer": 4, "real": 4, "bigint": 8,
            "double precision": 8}[_TYPES[name]]


# Max and min cell voltage and max temperature sit at a fixed offset of an encoded profile
# sample: every profile column before them is fixed-width and never NULL.
_EXTREMES_AT: Final = sum(4 + _width(name) for name in PROFILE_COLUMNS[
    :PROFILE_COLUMNS.index("max_cell_voltage_mv")])
_EXTREMES: Final = struct.Struct(">iiiiih")


def _extremes(encoded: bytes) -> tuple[int, int, int]:
    _, cell_max, _, cell_min, _, temperature = _EXTREMES.unpack_from(encoded, _EXTREMES_AT)
    return cell_max, cell_min, temperature
