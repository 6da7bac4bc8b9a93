"""A tenant batch: the rows of many items, and the store that commits them in one transaction.

Row building is total: an item whose decoded form makes our row code raise (our bug) is logged
and stored as its raw frame only, so one odd frame can never wedge a batch, the spool replay or
the writer.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple, Protocol

from gateway.server.interfaces import AcceptedFrame

from .records import Replayed, item_rows
from .rows import FrameRows, Row, latest_rows, raw_only

log = logging.getLogger(__name__)


class BatchRows(NamedTuple):
    """Rows in the column orders of ``columns.py``; ``items`` counts frames and events."""

    realtime: list[Row]
    raw: list[Row]
    events: list[Row]
    latest: list[Row]
    items: int


class Inserted(NamedTuple):
    """Rows a commit actually inserted; the difference to what was sent is duplicates."""

    realtime: int
    raw: int
    events: int


class BatchStore(Protocol):
    async def commit(self, tenant: str, rows: BatchRows) -> Inserted:
        """Write one tenant batch in one transaction; idempotent thanks to the unique keys."""
        ...


def _rows_of(item: Replayed) -> FrameRows:
    try:
        return item_rows(item)
    except Exception:
        if not isinstance(item, AcceptedFrame):
            raise
        log.exception("ingest: rows of a %s frame failed; storing it raw", item.vin)
        return raw_only(item.vin, item.raw, item.received_at)


def build_rows(items: Sequence[Replayed], now: datetime) -> BatchRows:
    realtime: list[Row] = []
    raw: list[Row] = []
    events: list[Row] = []
    every: list[FrameRows] = []
    for item in items:
        rows = _rows_of(item)
        every.append(rows)
        if rows.realtime is not None:
            realtime.append(rows.realtime)
        if rows.raw is not None:
            raw.append(rows.raw)
        events += rows.events
    return BatchRows(realtime, raw, events, latest_rows(every, now), len(items))
