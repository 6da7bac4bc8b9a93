"""The PostgreSQL ``BatchStore``: one tenant batch per ``backend.storage.ingest.write_batch``."""

from __future__ import annotations

from backend.storage.db import Pool
from backend.storage.ingest import write_batch

from .batch import BatchRows, Inserted


class PostgresStore:
    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def commit(self, tenant: str, rows: BatchRows) -> Inserted:
        counts = await write_batch(self._pool, tenant, realtime_rows=rows.realtime,
                                   raw_rows=rows.raw, event_rows=rows.events,
                                   latest_rows=rows.latest)
        return Inserted(realtime=counts.realtime_inserted, raw=counts.raw_inserted,
                        events=counts.events_inserted)
