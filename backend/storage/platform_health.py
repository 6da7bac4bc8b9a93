"""Gateway health reports in Redis: the contract between the gateway's reporter
(gateway/ingest/health.py) and the provider's ``platformHealth`` view.

Each gateway process writes one JSON document under ``nevguard:health:gateway:<id>`` every few
seconds with a TTL of a few intervals, so a gateway that died drops out by itself instead of
showing stale numbers. Counters are per gateway and per tenant; the service adds them up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import msgspec
from redis.asyncio import Redis

KEY_PREFIX: Final = "nevguard:health:gateway:"
_SCAN_BATCH: Final = 200


class TenantLoad(msgspec.Struct, frozen=True):
    vehicles: int  # logged in through this gateway now
    frames_last_minute: int  # committed to the tenant's schema in the last 60 s
    last_commit_at: datetime | None  # the newest commit of this tenant's frames
    commit_lag_s: float | None  # receipt of its newest frame -> that commit


class GatewayReport(msgspec.Struct, frozen=True):
    gateway: str
    reported_at: datetime
    connections: int
    spool_records: int  # frames and events waiting on disk for the database
    tenants: dict[str, TenantLoad]


_ENCODER: Final = msgspec.json.Encoder()
_DECODER: Final = msgspec.json.Decoder(GatewayReport)


async def write_report(redis: Redis, report: GatewayReport, *, ttl_s: int) -> None:
    await redis.set(KEY_PREFIX + report.gateway, _ENCODER.encode(report), ex=ttl_s)


async def read_reports(redis: Redis) -> list[GatewayReport]:
    """Every live gateway's newest report; a document that does not parse is skipped (a
    gateway of another version must not take the view down)."""
    keys = [key async for key in redis.scan_iter(match=KEY_PREFIX + "*", count=_SCAN_BATCH)]
    if not keys:
        return []
    reports = []
    for raw in await redis.mget(keys):
        if raw is None:  # expired between SCAN and MGET
            continue
        try:
            reports.append(_DECODER.decode(raw))
        except msgspec.DecodeError:
            continue
    return sorted(reports, key=lambda report: report.gateway)
