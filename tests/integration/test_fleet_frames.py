"""Raw frames (hex and the rows decoded from them) and online sessions on the real
PostgreSQL, with frames built by the codec and stored by the gateway's own row builders."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import pytest
import storage_rows as rows
from fleet_support import actor, register, two_tenants

from backend.core.access import AccessDenied, Role
from backend.core.data_errors import InvalidCursor, LimitExceeded, NotFound
from backend.core.raw_frames import RawFrame
from backend.core.sessions import OnlineSession
from backend.services.frames import raw_frames, sessions
from backend.settings import DataSettings
from backend.storage.ingest import write_batch
from gateway.ingest.rows import frame_rows
from gateway.protocol.codec import decode_frame
from tests.ingest.ingest_frames import (
    CELLS_2016,
    LOGIN_2016,
    LOGOUT,
    REALTIME_2016_FULL,
    RECEIVED,
    VEHICLE_2016,
    T,
    wire,
)

pytestmark = pytest.mark.services


async def _ingest(db: asyncpg.Connection, tenant: str, vin: str,
                  frames: list[bytes]) -> list[bytes]:
    """Store ``frames`` as the gateway would, received one second apart from RECEIVED."""
    built = [frame_rows(decode_frame(raw), raw, RECEIVED + timedelta(seconds=index))
             for index, raw in enumerate(frames)]
    await write_batch(db, tenant,
                      realtime_rows=[b.realtime for b in built if b.realtime is not None],
                      raw_rows=[b.raw for b in built if b.raw is not None],
                      event_rows=[event for b in built for event in b.events])
    assert all(b.vin == vin for b in built)
    return frames


async def test_frames_in_pages_with_their_own_decoded_rows(db: asyncpg.Connection,
                                                           fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    # A login, a full record, one record split over two frames (same collection time), logout.
    sent = await _ingest(db, t.a, vin, [
        wire("##", 0x01, LOGIN_2016, vin), wire("##", 0x02, REALTIME_2016_FULL, vin),
        wire("##", 0x03, f"{T} {VEHICLE_2016}", vin), wire("##", 0x03, f"{T} {CELLS_2016}", vin),
        wire("##", 0x04, LOGOUT, vin)])
    window: dict[str, Any] = {"start": RECEIVED, "end": RECEIVED + timedelta(minutes=1)}
    got: list[RawFrame] = []
    after = None
    while True:
        page = await raw_frames(db, t.admin_a, t.a, vin, first=2, after=after, **window)
        got += page.items
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert [frame.hex for frame in got] == [raw.hex() for raw in sent]
    assert [frame.command for frame in got] == [1, 2, 3, 3, 4]
    login, full, vehicle_piece, cells_piece, logout = got
    assert login.records == () and logout.records == ()
    [record] = full.records
    assert record.values["soc_pct"] == 76 and record.values["speed_kmh"] == pytest.approx(65.2)
    assert record.values["cell_voltages_mv"] == (3700, 3701, 3699, None)
    assert record.values["sentinels"] == {"cell_voltages_mv[3]": "abnormal",
                                          "probe_temperatures_c[2]": "invalid"}
    # The split record: each frame shows the row decoded from it, not its sibling's.
    [vehicle_row] = vehicle_piece.records
    [cells_row] = cells_piece.records
    assert vehicle_row.values["soc_pct"] == 76 and vehicle_row.values["cell_voltages_mv"] is None
    assert cells_row.values["cell_voltages_mv"] == (3700, 3701, 3699, None)
    assert vehicle_row.values["reissued"] is True and vehicle_row.collected_at == full.collected_at

    with pytest.raises(InvalidCursor):  # a cursor of this window used for another one
        await raw_frames(db, t.admin_a, t.a, vin, first=2, after=page.next_cursor or after,
                         start=RECEIVED, end=RECEIVED + timedelta(minutes=2))
    with pytest.raises(LimitExceeded):
        await raw_frames(db, t.admin_a, t.a, vin, first=3,
                         limits=DataSettings(raw_frames_page_max=2), **window)
    with pytest.raises(NotFound):
        await raw_frames(db, t.admin_b, t.b, vin, **window)
    for role in (Role.ANALYST, Role.OPERATOR, Role.VIEWER):
        with pytest.raises(AccessDenied):
            await raw_frames(db, actor(role, t.a), t.a, vin, **window)
    engineer = await raw_frames(db, actor(Role.SAFETY_ENGINEER, t.a), t.a, vin, **window)
    assert len(engineer.items) == 5


def _event(vin: str, minutes: float, kind: str, **details: Any) -> tuple[Any, ...]:
    return rows.event(vin, rows.at(minutes), kind, details=json.dumps(details))


async def test_sessions_from_link_events(db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    await write_batch(db, t.a, event_rows=[
        _event(vin, 0, "login"), _event(vin, 10, "logout"),
        _event(vin, 10, "disconnected", reason="link_closed"),  # after the logout: ignored
        _event(vin, 20, "connected", platform=7), _event(vin, 30, "disconnected",
                                                         reason="platform_logout"),
        _event(vin, 40, "login"), _event(vin, 50, "login"),  # the gateway died in between
        _event(vin, 55, "alarm_reported")])  # not a link event

    def at(minutes: float) -> datetime:
        return rows.at(minutes)

    async def periods(start: float, end: float, **options: Any) -> tuple[OnlineSession, ...]:
        return await sessions(db, t.admin_a, t.a, vin, start=at(start), end=at(end), **options)

    assert await periods(5, 45) == (
        OnlineSession(at(0), at(10), "login", "logout"),
        OnlineSession(at(20), at(30), "connected", "platform_logout"),
        OnlineSession(at(40), at(50), "login", "no_end_event"))
    assert await periods(55, 60) == (OnlineSession(at(50), None, "login", None),)
    assert await periods(12, 18) == ()
    assert await periods(-10, -5) == ()
    with pytest.raises(LimitExceeded) as too_many:
        await periods(-10, 60, limits=DataSettings(sessions_max=2))
    assert too_many.value.limit == "sessions_max"
    with pytest.raises(NotFound):
        await sessions(db, t.admin_b, t.b, vin, start=at(0), end=at(60))
    with pytest.raises(AccessDenied):
        await sessions(db, actor(Role.VIEWER, t.a), t.a, vin, start=at(0), end=at(60))
    assert len(await sessions(db, actor(Role.OPERATOR, t.a), t.a, vin, start=at(0),
                              end=at(60))) == 4
