"""The direct asyncpg reference for bench/ingest_e2e.py: the same kind of rows written without
the gateway, plain COPY and ``write_batch``, one connection, batches as the writer makes them."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import asyncpg

from backend.storage.ingest import REALTIME_COLUMNS, write_batch
from bench.e2e_load import FrameMaker, vin_for
from gateway.ingest.rows import FrameRows, frame_rows, latest_rows
from gateway.protocol.codec import decode_frame

BATCH = 500
VEHICLES = 400


def build_rows(frames: int) -> list[FrameRows]:
    """Frames of VEHICLES VINs interleaved (arrival order of many links), decoded and turned
    into rows by the gateway's own code before any timing starts."""
    start = datetime.now(UTC) - timedelta(hours=3)
    makers = [FrameMaker(vin_for(i), start) for i in range(VEHICLES)]
    items = []
    for index in range(frames):
        raw = makers[index % VEHICLES].next()
        items.append(frame_rows(decode_frame(raw), raw, datetime.now(UTC)))
    return items


async def copy_rates(conn: asyncpg.Connection, tenant: str, frames: int,
                     reset: Callable[[], Awaitable[None]]) -> dict[str, float]:
    items = build_rows(frames)
    batches = [items[at:at + BATCH] for at in range(0, len(items), BATCH)]
    began = time.perf_counter()
    for batch in batches:
        await conn.copy_records_to_table(
            "realtime", schema_name=f"t_{tenant}", columns=REALTIME_COLUMNS,
            records=[item.realtime for item in batch if item.realtime is not None])
    plain = len(items) / (time.perf_counter() - began)
    await reset()
    began = time.perf_counter()
    for batch in batches:
        await write_batch(conn, tenant,
                          realtime_rows=[item.realtime for item in batch
                                         if item.realtime is not None],
                          raw_rows=[item.raw for item in batch if item.raw is not None],
                          latest_rows=latest_rows(batch, datetime.now(UTC)))
    full = len(items) / (time.perf_counter() - began)
    return {"plain COPY into realtime": plain,
            "write_batch (realtime + raw_frames + latest_state)": full}
