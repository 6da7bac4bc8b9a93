"""The simulated console users of bench/api_load.py: the GraphQL documents the web console sends
(frontend/src/pages/*/documents.ts) and a closed loop per user over a weighted mix of them.

Every request is checked: HTTP 200 and no ``errors`` in the answer, else it counts as an error
with its code. Latency is from sending the request to having read and parsed the answer.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

import httpx

VEHICLE_LIST: Final = """
query VehicleList($filter: VehicleFilterInput, $orderBy: VehicleOrderInput, $first: Int!,
                  $after: String) {
  vehicles(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    items { vin usageType model { id name }
            latestState { online lastFrameAt socPct speedKmh alarmLevel driving charging } }
    nextCursor
  }
}"""
VEHICLE_DETAIL: Final = """
query Vehicle($vin: String!) {
  vehicle(vin: $vin) {
    vin usageType saleDate productionBatch batteryPackLot createdAt
    model { id name maker batteryChemistry cellCount probeCount ratedCapacityKwh }
    latestState { online linkUp lastFrameAt lastCollectedAt longitudeDeg latitudeDeg
                  vehicleState chargingState socPct speedKmh alarmLevel driving charging
                  alarming }
  }
}"""
VEHICLE_HISTORY: Final = """
query VehicleHistory($vin: String!, $signals: [String!]!, $from: DateTime!, $to: DateTime!,
                     $points: Int, $aggregates: [Aggregate!]) {
  vehicle(vin: $vin) {
    vin
    history(signals: $signals, from: $from, to: $to, points: $points,
            aggregates: $aggregates) {
      times source bucketSeconds series { signal values avg min max }
    }
  }
}"""
FLEET_OVERVIEW: Final = """
query FleetOverview {
  fleetOverview {
    at
    counts { total online offline neverConnected driving charging alarming }
    byModel { modelId model { name } counts { total online driving charging alarming } }
  }
}"""
FLEET_STATISTICS: Final = """
query FleetStatistics($from: DateTime!, $to: DateTime!, $groupBy: StatisticsGrouping!) {
  fleetStatistics(from: $from, to: $to, groupBy: $groupBy) {
    groupBy
    groups { day modelId activeVehicles frames reissuedFrames reportingHours chargingHours
             alarmHours distanceKm vehiclesByAlarmLevel { level vehicles }
             maxTemperatureC minInsulationKohm avgSocPct }
  }
}"""
DAY_SIGNALS: Final = ["speed_kmh", "soc_pct", "total_voltage_v", "total_current_a",
                      "max_temperature_c"]
# Every (signal, MAX) here is kept by realtime_hourly, so a 30-day range reads the rollup.
ROLLUP_SIGNALS: Final = ["speed_kmh", "soc_pct", "alarm_level", "max_cell_voltage_mv",
                         "max_temperature_c", "odometer_km"]
BEIJING: Final = timedelta(hours=8)
SORT_KEYS: Final = ("VIN", "LAST_FRAME_AT", "SOC", "ALARM_LEVEL")


@dataclass(frozen=True, slots=True)
class Dataset:
    vins: tuple[str, ...]
    model_ids: tuple[int, ...]
    first_day: date
    days: int

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, datetime.min.time(), UTC)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)


@dataclass(slots=True)
class Samples:
    """Latencies by operation (seconds) of requests that started inside the window."""

    window_start: float = 0.0
    window_end: float = float("inf")
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, began: float, seconds: float, error: str | None) -> None:
        if not self.window_start <= began < self.window_end:
            return
        if error is None:
            self.latencies.setdefault(name, []).append(seconds)
        else:
            key = f"{name}: {error}"
            self.errors[key] = self.errors.get(key, 0) + 1


Request = tuple[str, str, dict[str, Any]]  # operation name, document, variables


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def vehicle_list(rng: random.Random, data: Dataset) -> Request:
    filters: list[dict[str, Any]] = [
        {}, {"online": True}, {"charging": True}, {"modelId": rng.choice(data.model_ids)},
        {"minAlarmLevel": 1}, {"usageType": "OPERATING"}, {"online": True, "charging": False},
        {"vinPrefix": rng.choice(data.vins)[:15]}]
    order = {"key": rng.choice(SORT_KEYS), "descending": rng.random() < 0.5}
    return "vehicle list", VEHICLE_LIST, {"filter": rng.choice(filters), "orderBy": order,
                                          "first": 50}


def vehicle_detail(rng: random.Random, data: Dataset) -> Request:
    return "vehicle detail", VEHICLE_DETAIL, {"vin": rng.choice(data.vins)}


def vehicle_day(rng: random.Random, data: Dataset) -> Request:
    """A Beijing calendar day inside the window: the console's history page for one day."""
    day = data.first_day + timedelta(days=rng.randrange(1, data.days))
    start = datetime.combine(day, datetime.min.time(), UTC) - BEIJING
    return "one vehicle x one day", VEHICLE_HISTORY, {
        "vin": rng.choice(data.vins), "signals": DAY_SIGNALS, "from": _iso(start),
        "to": _iso(start + timedelta(days=1)), "points": 1000,
        "aggregates": ["AVG", "MIN", "MAX"]}


def fleet_overview(rng: random.Random, data: Dataset) -> Request:
    return "fleet overview", FLEET_OVERVIEW, {}


def fleet_statistics_30_days(rng: random.Random, data: Dataset) -> Request:
    """The whole fleet over the window's 30 Beijing days (they start 8 hours before the UTC
    days the seed wrote), per day (two thirds) or per model."""
    return "fleet statistics over 30 days", FLEET_STATISTICS, {
        "from": _iso(data.start - BEIJING), "to": _iso(data.end - BEIJING),
        "groupBy": "DAY" if rng.random() < 2 / 3 else "MODEL"}


def vehicle_30_days_rollup(rng: random.Random, data: Dataset) -> Request:
    """Daily maxima of one vehicle over the window, answered from the hourly rollup."""
    return "one vehicle x 30 days (rollup)", VEHICLE_HISTORY, {
        "vin": rng.choice(data.vins), "signals": ROLLUP_SIGNALS, "from": _iso(data.start),
        "to": _iso(data.end), "points": 30 * 24, "aggregates": ["MAX"]}


def vehicle_30_days_console(rng: random.Random, data: Dataset) -> Request:
    """The console's history document (AVG, MIN, MAX) over the whole window, hourly buckets
    folded from the rollup's sums, minima and maxima."""
    return "one vehicle x 30 days (avg/min/max)", VEHICLE_HISTORY, {
        "vin": rng.choice(data.vins), "signals": DAY_SIGNALS[:3], "from": _iso(data.start),
        "to": _iso(data.end), "points": 30 * 24, "aggregates": ["AVG", "MIN", "MAX"]}


MIX: Final[tuple[tuple[Callable[[random.Random, Dataset], Request], int], ...]] = (
    (vehicle_list, 30), (vehicle_detail, 25), (vehicle_day, 20), (fleet_overview, 5),
    (fleet_statistics_30_days, 5), (vehicle_30_days_rollup, 8), (vehicle_30_days_console, 7))
OPERATIONS: Final = ("vehicle list", "vehicle detail", "one vehicle x one day", "fleet overview",
                     "fleet statistics over 30 days", "one vehicle x 30 days (rollup)",
                     "one vehicle x 30 days (avg/min/max)")


def _error_of(response: httpx.Response, body: dict[str, Any]) -> str | None:
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    errors = body.get("errors")
    if errors:
        return str(errors[0].get("extensions", {}).get("code", "GRAPHQL_ERROR"))
    return None


async def run_user(client: httpx.AsyncClient, token: str, data: Dataset, samples: Samples, *,
                   until: float, think_s: float, seed: int) -> None:
    """One user's closed loop: send, wait for the answer, think (exponential, mean
    ``think_s``), repeat. A list page is followed to its next page a third of the time."""
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    makers, weights = zip(*MIX, strict=True)
    await asyncio.sleep(rng.uniform(0, max(think_s, 0.5)))  # users do not start in step
    while time.monotonic() < until:
        name, document, variables = rng.choices(makers, weights)[0](rng, data)
        cursor = await _send(client, headers, samples, (name, document, variables))
        if cursor is not None and rng.random() < 1 / 3:
            await _send(client, headers, samples, (name, document, {**variables, "after": cursor}))
        if think_s:
            await asyncio.sleep(rng.expovariate(1 / think_s))


async def _send(client: httpx.AsyncClient, headers: dict[str, str], samples: Samples,
                request: Request) -> str | None:
    name, document, variables = request
    began = time.monotonic()
    error: str | None
    cursor = None
    try:
        response = await client.post("/graphql", json={"query": document,
                                                       "variables": variables},
                                     headers=headers)
        body: dict[str, Any] = response.json() if response.status_code == 200 else {}
        error = _error_of(response, body)
        if error is None and "vehicles" in body["data"]:
            cursor = body["data"]["vehicles"]["nextCursor"]
    except (httpx.HTTPError, ValueError) as exc:
        error = type(exc).__name__
    samples.add(name, began, time.monotonic() - began, error)
    return cursor
