"""Decoded frames → tenant table rows, the latest-state rows and the Redis summary (pure).

Idempotency lives in the keys these rows carry, so a batch can be written twice (a retry after
a timeout whose commit did happen, a spool replay after a crash) without duplicates:

* ``realtime``: (vin, collected_at, content_hash) where the hash is a 16-byte BLAKE2b of the
  plaintext data unit. The command is not part of it, so the same record sent live (0x02) and
  later reissued (0x03) is stored once (§11).
* ``raw_frames``: (vin, received_at, frame_hash): every frame as it arrived, once.
* ``vehicle_events``: (vin, at, kind).

A frame whose collection time is an impossible date has no time to key a realtime row on: it is
kept in ``raw_frames`` only (with ``collected_at`` NULL).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Final, NamedTuple

from gateway.protocol.codec import encode_body
from gateway.protocol.envelope import HEADER_SIZE
from gateway.protocol.frame import Frame
from gateway.protocol.model import EDITION_BY_MARKER, Command
from gateway.protocol.realtime import RealtimeData
from gateway.protocol.session import VehicleLogin2016, VehicleLogin2025, VehicleLogout

from .columns import EDITION_YEAR, REALTIME_COLUMNS, jsonb
from .realtime_row import realtime_values

Row = tuple[Any, ...]

LOGIN: Final = "login"
LOGOUT: Final = "logout"

_R: Final = {name: index for index, name in enumerate(REALTIME_COLUMNS)}
_COLUMN_COUNT: Final = len(REALTIME_COLUMNS)
_LATEST_FROM_REALTIME: Final = tuple(_R[name] for name in (
    "collected_at", "longitude_deg", "latitude_deg", "vehicle_state", "charging_state",
    "soc_pct", "speed_kmh", "alarm_level"))
_NO_SNAPSHOT: Final = (None,) * len(_LATEST_FROM_REALTIME)
_REALTIME_COMMANDS: Final = frozenset({Command.REALTIME, Command.REISSUE})

class FrameRows(NamedTuple):
    """Everything one accepted frame (or session event) writes. ``at`` is the receive time
    (the event time for an event, which has no ``raw`` row); ``online`` is False after a
    logout or a disconnect."""

    vin: str
    at: datetime
    online: bool
    realtime: Row | None
    raw: Row | None
    events: tuple[Row, ...]


def digest(data: bytes) -> bytes:
    """The 16-byte BLAKE2b used for ``content_hash`` and ``frame_hash``."""
    return hashlib.blake2b(data, digest_size=16).digest()


def plaintext_data_unit(frame: Frame, raw: bytes) -> bytes:
    """The data unit as the vehicle meant it: sliced from the frame bytes, or re-encoded from
    the decoded body when the frame arrived encrypted (the codec re-encodes byte-exactly)."""
    if frame.ciphertext is None:
        return raw[HEADER_SIZE:-1]
    return encode_body(frame)


def frame_rows(frame: Frame, raw: bytes, received_at: datetime) -> FrameRows:
    body = frame.body
    vin = frame.unique_id
    edition = EDITION_YEAR[frame.edition.value]
    collected_at: datetime | None = getattr(body, "collected_at", None)
    realtime: Row | None = None
    events: tuple[Row, ...] = ()
    online = True
    if isinstance(body, RealtimeData) and frame.command in _REALTIME_COMMANDS:
        if body.collected_at is not None:
            realtime = _realtime_row(frame, body, raw, received_at, edition)
    elif isinstance(body, VehicleLogin2016 | VehicleLogin2025):
        events = (event_row(vin, received_at, LOGIN, _login_details(body),
                            collected_at=collected_at, serial=body.serial),)
    elif isinstance(body, VehicleLogout):
        events = (event_row(vin, received_at, LOGOUT, {}, collected_at=collected_at,
                            serial=body.serial),)
        online = False
    raw_row = (vin, received_at, collected_at, frame.command, edition, raw, digest(raw))
    return FrameRows(vin, received_at, online, realtime, raw_row, events)


def raw_only(vin: str, raw: bytes, received_at: datetime) -> FrameRows:
    """Rows for a frame that cannot be decoded any more: it still reaches ``raw_frames``."""
    edition = EDITION_BY_MARKER.get(raw[:2])
    year = EDITION_YEAR[edition.value] if edition is not None else None
    command = raw[2] if len(raw) > 2 else None
    return FrameRows(vin, received_at, True, None,
                     (vin, received_at, None, command, year, raw, digest(raw)), ())


def _realtime_row(frame: Frame, body: RealtimeData, raw: bytes, received_at: datetime,
                  edition: int) -> Row:
    values = realtime_values(body)
    values["vin"] = frame.unique_id
    values["collected_at"] = body.collected_at
    values["received_at"] = received_at
    values["reissued"] = frame.command == Command.REISSUE
    values["edition"] = edition
    values["content_hash"] = digest(plaintext_data_unit(frame, raw))
    values["signature_verified"] = frame.signature_verified
    # The dict started as EMPTY_REALTIME, so its order is the column order; a key outside
    # the columns (a builder bug) would shift every value after it, hence the count check.
    if len(values) != _COLUMN_COUNT:
        raise KeyError(f"row keys outside the realtime columns: {set(values) - set(_R)}")
    return tuple(values.values())


def _login_details(login: VehicleLogin2016 | VehicleLogin2025) -> dict[str, Any]:
    if isinstance(login, VehicleLogin2016):
        return {"iccid": login.iccid, "subsystem_codes": list(login.subsystem_codes)}
    return {"iccid": login.iccid,
            "battery_systems": [list(bms.pack_codes) for bms in login.battery_systems]}


def event_row(vin: str, at: datetime, kind: str, details: dict[str, Any], *,
              collected_at: datetime | None = None, serial: int | None = None) -> Row:
    """A ``vehicle_events`` row in ``EVENT_COLUMNS`` order."""
    return (vin, at, collected_at, kind, serial, jsonb(details))


def latest_rows(items: Iterable[FrameRows], updated_at: datetime) -> list[Row]:
    """One ``latest_state`` row per vehicle of a batch.

    The link part follows the newest frame or session event: ``online`` is its state and
    ``last_frame_at`` its time (a disconnect is link activity too, so it can move a vehicle
    offline). The snapshot columns come from the live (not reissued) realtime row with the
    newest collection time, and are NULL when the batch has none. The storage upsert moves the
    link part by ``last_frame_at`` and the snapshot by ``last_collected_at``, so a late batch
    or a reissue never moves a vehicle back (backend/storage/ingest.py).
    """
    link: dict[str, tuple[datetime, bool]] = {}
    newest: dict[str, Row] = {}
    collected = _R["collected_at"]
    reissued = _R["reissued"]
    for rows in items:
        vin, at = rows.vin, rows.at
        seen = link.get(vin)
        if seen is None or at >= seen[0]:
            link[vin] = (at, rows.online)
        row = rows.realtime
        if row is not None and not row[reissued]:
            best = newest.get(vin)
            if best is None or row[collected] >= best[collected]:
                newest[vin] = row
    result = []
    for vin, (at, online) in link.items():
        snapshot = newest.get(vin)
        values = (_NO_SNAPSHOT if snapshot is None
                  else tuple(snapshot[index] for index in _LATEST_FROM_REALTIME))
        result.append((vin, online, at, *values, updated_at))
    return result


def summary(tenant: str, row: Row) -> dict[str, Any]:
    """What Redis subscribers get for one committed realtime row (times as RFC 3339)."""
    longitude, latitude = row[_R["longitude_deg"]], row[_R["latitude_deg"]]
    position = None
    if longitude is not None and latitude is not None:
        position = {"longitude_deg": longitude, "latitude_deg": latitude,
                    "valid": row[_R["position_valid"]]}
    return {
        "vin": row[_R["vin"]], "tenant": tenant,
        "collected_at": row[_R["collected_at"]].isoformat(),
        "received_at": row[_R["received_at"]].isoformat(),
        "reissued": row[_R["reissued"]], "soc_pct": row[_R["soc_pct"]],
        "speed_kmh": row[_R["speed_kmh"]], "position": position,
        "alarm_level": row[_R["alarm_level"]], "charging_state": row[_R["charging_state"]],
    }
