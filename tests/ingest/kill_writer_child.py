"""Child process of test_ingest_kill: streams frames through an IngestWriter until SIGKILLed.

    python kill_writer_child.py DSN TENANT SPOOL_DIR FRAMES_PER_SECOND

After each ``submit`` returns (the moment the gateway would answer the vehicle) it prints the
number of frames handed over so far, so the parent knows exactly what was accepted when it
killed the process. A DSN nobody listens on puts the writer in spool mode for the whole run.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import timedelta
from pathlib import Path

import asyncpg
from ingest_frames import RECEIVED, accepted, realtime_at

from backend.metrics.registry import MetricsRegistry
from backend.storage.db import SERVER_SETTINGS
from gateway.ingest.metrics import IngestMetrics
from gateway.ingest.spool import SpoolSettings
from gateway.ingest.store import PostgresStore
from gateway.ingest.writer import IngestWriter, WriterSettings

VEHICLES = 20
SECONDS = 3000


def vin_of(vehicle: int) -> str:
    return f"LNGKILL{vehicle:010d}"


def frame(index: int) -> tuple[bytes, int]:
    """Frame ``index``: vehicle ``index % VEHICLES`` at second ``index // VEHICLES``."""
    second, vehicle = divmod(index, VEHICLES)
    return realtime_at(vin_of(vehicle), second), second


async def main(dsn: str, tenant: str, spool_dir: str, rate: float) -> None:
    pool = await asyncpg.create_pool(dsn, min_size=0, max_size=4,
                                     server_settings=SERVER_SETTINGS)
    settings = WriterSettings(spool=SpoolSettings(Path(spool_dir)), commit_timeout_s=2.0,
                              retry_initial_s=60.0)
    writer = IngestWriter(PostgresStore(pool), settings, IngestMetrics(MetricsRegistry()))
    await writer.start()
    started = time.monotonic()
    for index in range(VEHICLES * SECONDS):
        raw, second = frame(index)
        await writer.submit(accepted(raw, tenant=tenant,
                                     received_at=RECEIVED + timedelta(seconds=second)))
        sys.stdout.write(f"{index + 1}\n")
        sys.stdout.flush()
        ahead = (index + 1) / rate - (time.monotonic() - started)
        if ahead > 0:
            await asyncio.sleep(ahead)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])))
