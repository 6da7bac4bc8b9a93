"""A vehicle's raw frames (hex, the canonical JSON decoded from the stored bytes, and the
realtime rows decoded from them at ingest; backend/core/raw_frames.py) and its online
sessions.

The canonical JSON comes from the pure codec ``gateway.protocol`` (no I/O; the one part of the
gateway the backend may import, docs/architecture.md). Stored frames passed the gateway's
checks once, but a stored frame is still bytes from a vehicle: whatever the codec says about
one, the page is answered, the frame with its error instead of JSON."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime

from backend.core.access import Permission, Principal
from backend.core.cursor import decode_cursor, encode_cursor
from backend.core.data_errors import LimitExceeded
from backend.core.raw_frames import (
    REALTIME_COMMANDS,
    FrameDecodeError,
    RawFrame,
    RawFramePage,
    records_of,
)
from backend.core.series import check_range
from backend.core.sessions import OnlineSession, online_sessions
from backend.services.tenant_data import page_size, tenant_use_case, tenant_vehicle
from backend.settings import DataSettings
from backend.storage import frames as store
from backend.storage.db import Conn, Pool
from gateway.protocol.bodies import Encrypted
from gateway.protocol.canonical import to_json
from gateway.protocol.codec import decode_frame
from gateway.protocol.errors import ProtocolError

DEFAULT_LIMITS = DataSettings()
_RAW_PAGE_DEFAULT = 100
LOG = logging.getLogger("nevguard.frames")


def decoded(frame: RawFrame) -> RawFrame:
    """``frame`` with its canonical JSON, or with the reason it has none."""
    try:
        decoded_frame = decode_frame(frame.frame)
    except ProtocolError as error:
        return dataclasses.replace(frame, decode_error=FrameDecodeError(
            error.code, error.message, error.offset))
    except Exception as error:
        # The codec raises only its typed errors for bad bytes (property-tested); anything
        # else is our bug, logged, and the frame is still shown by its hex.
        LOG.exception("frames: the codec failed on a stored frame")
        return dataclasses.replace(frame, decode_error=FrameDecodeError(
            "decode.internal", f"the codec failed: {type(error).__name__}"))
    return dataclasses.replace(frame, canonical_json=to_json(decoded_frame).decode(),
                               encrypted=isinstance(decoded_frame.body, Encrypted))


async def raw_frames(db: Conn | Pool, actor: Principal, tenant: str, vin: str, *,
                     start: datetime, end: datetime, first: int | None = None,
                     after: str | None = None,
                     limits: DataSettings = DEFAULT_LIMITS) -> RawFramePage:
    """Frames received in [start, end), oldest first, in keyset pages."""
    async with tenant_use_case(db, actor, tenant, Permission.RAW_FRAMES_READ) as conn:
        check_range(start, end)
        size = page_size(first, min(_RAW_PAGE_DEFAULT, limits.raw_frames_page_max),
                         limits.raw_frames_page_max, "raw_frames_page_max")
        cleaned = await tenant_vehicle(conn, tenant, vin)
        query = f"frames:v1:{cleaned}:{start.isoformat()}:{end.isoformat()}"
        position = None if after is None else decode_cursor(after, query, (datetime, bytes))
        found = await store.raw_frame_page(conn, cleaned, start, end, after=position,
                                           limit=size + 1)
        page = found[:size]
        times = {f.collected_at for f in page
                 if f.command in REALTIME_COMMANDS and f.collected_at is not None}
        records = await store.records_at(conn, cleaned, times) if times else []
    items = tuple(decoded(dataclasses.replace(frame, records=records_of(frame, records)))
                  for frame in page)
    next_cursor = None
    if len(found) > size:
        next_cursor = encode_cursor(query, (page[-1].received_at, page[-1].frame_hash))
    return RawFramePage(items, next_cursor)


async def sessions(db: Conn | Pool, actor: Principal, tenant: str, vin: str, *,
                   start: datetime, end: datetime,
                   limits: DataSettings = DEFAULT_LIMITS) -> tuple[OnlineSession, ...]:
    """Online periods overlapping [start, end), oldest first; LimitExceeded (naming
    ``sessions_max``) when the range holds more link events than twice that many sessions
    would need: ask for a shorter range."""
    async with tenant_use_case(db, actor, tenant, Permission.SESSIONS_READ) as conn:
        check_range(start, end)
        cleaned = await tenant_vehicle(conn, tenant, vin)
        cap = 2 * limits.sessions_max
        events = await store.link_events(conn, cleaned, start, end, limit=cap + 1)
    if sum(start <= e.at < end for e in events) > cap:
        raise LimitExceeded("sessions_max", limits.sessions_max,
                            "the range holds too many sessions")
    return online_sessions(events, start, end)
