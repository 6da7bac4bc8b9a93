"""Helpers of the fleet API tests: vehicles registered through the API, and realtime rows,
latest states and raw frames written the way the gateway writes them."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from api_support import Actor, ApiWorld, gql

from backend.storage.ingest import LATEST_COLUMNS, write_batch
from gateway.ingest.rows import frame_rows
from gateway.protocol.codec import decode_frame
from tests.ingest.ingest_frames import LOGIN_2016, LOGOUT, REALTIME_2016_FULL, wire
from tests.integration import storage_rows as rows

NOW = datetime.now(UTC).replace(microsecond=0)
MODEL = {"name": "Aurora", "maker": "NEV Motors", "batteryChemistry": "LFP", "cellCount": 96,
         "probeCount": 16, "ratedCapacityKwh": 60.5}


def new_vin(prefix: str = "LA") -> str:
    return (prefix + secrets.token_hex(9).upper())[:17]


async def create_model(world: ApiWorld, admin: Actor, **values: Any) -> int:
    body = await gql(world.client, """mutation ($model: VehicleModelInput!) {
        createVehicleModel(model: $model) { id } }""",
                     {"model": {**MODEL, "name": f"EV {secrets.token_hex(3)}", **values}},
                     headers=admin.headers)
    model_id: int = body["data"]["createVehicleModel"]["id"]
    return model_id


async def register(world: ApiWorld, admin: Actor, count: int,
                   model_id: int | None = None) -> list[str]:
    """``count`` vehicles through one CSV import (the API's bulk path)."""
    vins = sorted(new_vin() for _ in range(count))
    csv = "vin\n" + "\n".join(vins)
    body = await gql(world.client, """mutation ($csv: String!) { importVehicles(csv: $csv) {
        created errors { row } } }""", {"csv": csv}, headers=admin.headers)
    assert body["data"]["importVehicles"] == {"created": vins, "errors": []}, body
    if model_id is not None:
        for vin in vins:
            await gql(world.client, """mutation ($vin: String!, $id: Int!) {
                updateVehicle(vin: $vin, changes: {modelId: $id}) { vin } }""",
                      {"vin": vin, "id": model_id}, headers=admin.headers)
    return vins


async def live_record(world: ApiWorld, tenant: str, vin: str, *, soc_pct: int,
                      minutes_ago: float = 0.5, **values: Any) -> datetime:
    """One realtime row and the latest state it leads to, written like the gateway."""
    at = NOW - timedelta(minutes=minutes_ago)
    await write_batch(world.services.db, tenant,
                      realtime_rows=[rows.realtime(vin, at, soc_pct=soc_pct, **values)],
                      latest_rows=[rows.latest(vin, at, online=True, last_collected_at=at,
                                               soc_pct=soc_pct, **_latest_part(values))])
    return at


def _latest_part(values: dict[str, Any]) -> dict[str, Any]:
    """The values latest_state keeps of a record (the gateway's snapshot)."""
    return {key: value for key, value in values.items() if key in LATEST_COLUMNS}


async def ingest_frames(world: ApiWorld, tenant: str, vin: str,
                        received: datetime) -> list[bytes]:
    """A login, a full realtime record and a logout, stored by the gateway's row builders."""
    sent = [wire("##", 0x01, LOGIN_2016, vin), wire("##", 0x02, REALTIME_2016_FULL, vin),
            wire("##", 0x04, LOGOUT, vin)]
    built = [frame_rows(decode_frame(raw), raw, received + timedelta(seconds=index))
             for index, raw in enumerate(sent)]
    await write_batch(world.services.db, tenant,
                      realtime_rows=[b.realtime for b in built if b.realtime is not None],
                      raw_rows=[b.raw for b in built if b.raw is not None],
                      event_rows=[event for b in built for event in b.events])
    return sent
