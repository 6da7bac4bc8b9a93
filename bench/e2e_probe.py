"""Measuring helpers for bench/ingest_e2e.py: CPU shares from /proc, RSS, and the
receipt-to-visible latency probe."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import datetime
from pathlib import Path

import asyncpg

TICKS = os.sysconf("SC_CLK_TCK")
POLL_S = 0.05


def cpu_seconds(pid: int) -> float:
    """utime + stime; the command name is in parentheses and may hold spaces (proc(5))."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def postgres_seconds() -> dict[int, float]:
    return seconds_of(postgres_pids())


def seconds_of(pids: list[int]) -> dict[int, float]:
    """CPU seconds of each process still running."""
    seconds = {}
    for pid in pids:
        try:
            seconds[pid] = cpu_seconds(pid)
        except OSError:
            continue
    return seconds


class CpuMeter:
    """CPU used since construction, as a share of every core of the machine. A process that
    exits inside the window (a postgres backend) loses its last ticks; the benches keep their
    connections open for the whole window, so none of the busy ones do."""

    def __init__(self, gateways: list[int], loaders: list[int], **others: list[int]) -> None:
        self._pids = {"gateway": gateways, "loader": loaders, **others}
        self._start = {name: seconds_of(pids) for name, pids in self._pids.items()}
        self._postgres = postgres_seconds()
        self._began = time.monotonic()

    def shares(self) -> dict[str, float]:
        capacity = (time.monotonic() - self._began) * (os.cpu_count() or 1)
        shares = {name: _used(self._start[name], seconds_of(pids)) / capacity
                  for name, pids in self._pids.items()}
        shares["postgres"] = _used(self._postgres, postgres_seconds()) / capacity
        return shares


def _used(start: dict[int, float], now: dict[int, float]) -> float:
    return sum(spent - start.get(pid, 0.0) for pid, spent in now.items())


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class LatencyProbe:
    """Polls the newest rows of a few VINs; a VIN's rows become visible in collection order
    (one link, frames handled in order, a tenant's batches commit in order)."""

    # Planned afresh for every poll (force_custom_plan): a generic plan cached while the day's
    # partition was nearly empty kept a sequential scan of it as the partition grew, and cost
    # half a core of PostgreSQL, taken from the gateway under measurement. $3 (the oldest
    # "after") lets the planner prune the other days' partitions.
    QUERY = """
        SELECT w.vin, r.collected_at,
               extract(epoch FROM statement_timestamp() - r.received_at)::float8 AS latency
        FROM unnest($1::text[], $2::timestamptz[]) AS w(vin, after)
        CROSS JOIN LATERAL (
            SELECT collected_at, received_at FROM {schema}.realtime
            WHERE vin = w.vin AND collected_at > w.after AND collected_at > $3) r"""

    def __init__(self, conn: asyncpg.Connection, tenant: str, vins: list[str]) -> None:
        self._conn = conn
        self._query = self.QUERY.format(schema=f"t_{tenant}")
        self._seen = dict.fromkeys(vins, datetime.fromtimestamp(0).astimezone())
        self.latencies: list[float] = []

    async def run_until(self, deadline: float) -> None:
        await self._conn.execute("SET plan_cache_mode = force_custom_plan")
        while time.monotonic() < deadline:
            rows = await self._conn.fetch(self._query, list(self._seen), list(self._seen.values()),
                                          min(self._seen.values()))
            for row in rows:
                self.latencies.append(row["latency"])
                self._seen[row["vin"]] = max(self._seen[row["vin"]], row["collected_at"])
            await asyncio.sleep(POLL_S)
