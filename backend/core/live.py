"""Live views fed by the gateway through Redis (docs/ingest.md, "Redis"): a vehicle's newest
state and the tenant's link events, as domain objects.

The payloads are read defensively: Redis carries what some gateway version published, so a
message that is not the expected JSON, or a field of the wrong type, is skipped (None) or read
as unknown, never raised. The transport decides whether a skipped message is worth logging.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from backend.core.sessions import END_KINDS, START_KINDS


@dataclass(frozen=True, slots=True)
class LiveState:
    """What a live view shows of one vehicle; None is "not known (yet)"."""

    vin: str
    online: bool | None
    last_frame_at: datetime | None
    collected_at: datetime | None
    received_at: datetime | None
    soc_pct: int | None
    speed_kmh: float | None
    alarm_level: int | None
    charging_state: int | None
    longitude_deg: float | None
    latitude_deg: float | None
    position_valid: bool | None


@dataclass(frozen=True, slots=True)
class FleetEvent:
    """A committed session event of one of the tenant's vehicles."""

    vin: str
    kind: str  # login, logout, connected, disconnected
    at: datetime
    collected_at: datetime | None
    serial: int | None
    details: Mapping[str, Any]

    @property
    def online(self) -> bool | None:
        """What the event says about the link: up, down, or nothing."""
        if self.kind in START_KINDS:
            return True
        return False if self.kind in END_KINDS else None


@dataclass(frozen=True, slots=True)
class FrameSummary:
    """A committed realtime record as the gateway publishes it."""

    state: LiveState
    reissued: bool  # a reissue (0x03) is history and never replaces the live view (§11)


@dataclass(frozen=True, slots=True)
class FrameMessage:
    """One message of ``nevguard:<tenant>:frames``: the summaries it carries, in order."""

    frames: list[FrameSummary]
    unreadable: int
    """Items that were not a frame summary (skipped), or 1 for a message that is not JSON."""


_NUMBERS: Final = (int, float)


def _time(value: object) -> datetime | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _int(value: object) -> int | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: object) -> float | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    if isinstance(value, _NUMBERS) and not isinstance(value, bool):
        return float(value)
    return None


def _json(payload: bytes | str) -> object:
    try:
        return json.loads(payload)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def _document(payload: bytes | str) -> dict[str, Any] | None:
    document = _json(payload)
    return document if isinstance(document, dict) else None


def _vin(document: Mapping[str, Any]) -> str | None:
    vin = document.get("vin")
    return vin if isinstance(vin, str) and vin else None


def parse_frame_message(payload: bytes | str) -> FrameMessage:
    """A message of ``nevguard:<tenant>:frames``: a JSON array of frame summaries, or one
    summary object (a gateway from before the arrays, during a rolling upgrade)."""
    document = _json(payload)
    items = document if isinstance(document, list) else [document]
    frames = [frame for frame in map(_frame_summary, items) if frame is not None]
    return FrameMessage(frames, len(items) - len(frames))


def _frame_summary(document: object) -> FrameSummary | None:
    vin = _vin(document) if isinstance(document, dict) else None
    if not isinstance(document, dict) or vin is None:
        return None
    position = document.get("position")
    position = position if isinstance(position, dict) else {}
    valid = position.get("valid")
    state = LiveState(
        vin=vin, online=True, last_frame_at=_time(document.get("received_at")),
        collected_at=_time(document.get("collected_at")),
        received_at=_time(document.get("received_at")),
        soc_pct=_int(document.get("soc_pct")), speed_kmh=_float(document.get("speed_kmh")),
        alarm_level=_int(document.get("alarm_level")),
        charging_state=_int(document.get("charging_state")),
        longitude_deg=_float(position.get("longitude_deg")),
        latitude_deg=_float(position.get("latitude_deg")),
        position_valid=valid if isinstance(valid, bool) else None)
    return FrameSummary(state, document.get("reissued") is True)


def parse_event(payload: bytes | str) -> FleetEvent | None:
    """A message of ``nevguard:<tenant>:events``; None when it is not one."""
    document = _document(payload)
    vin = None if document is None else _vin(document)
    if document is None or vin is None:
        return None
    kind, at = document.get("kind"), _time(document.get("at"))
    if not isinstance(kind, str) or at is None:
        return None
    details = document.get("details")
    return FleetEvent(vin=vin, kind=kind, at=at, collected_at=_time(document.get("collected_at")),
                      serial=_int(document.get("serial")),
                      details=details if isinstance(details, dict) else {})


def state_from_hash(vin: str, fields: Mapping[bytes, bytes]) -> LiveState | None:
    """The latest hash ``nevguard:<tenant>:latest:<vin>`` (flat, non-NULL fields only); None
    when the vehicle has none."""
    if not fields:
        return None
    text = {key.decode("ascii", "replace"): value for key, value in fields.items()}
    online = _int(text.get("online"))
    valid = _int(text.get("position_valid"))
    return LiveState(
        vin=vin, online=None if online is None else online == 1,
        last_frame_at=_time(text.get("last_frame_at")),
        collected_at=_time(text.get("collected_at")),
        received_at=_time(text.get("received_at")),
        soc_pct=_int(text.get("soc_pct")), speed_kmh=_float(text.get("speed_kmh")),
        alarm_level=_int(text.get("alarm_level")),
        charging_state=_int(text.get("charging_state")),
        longitude_deg=_float(text.get("longitude_deg")),
        latitude_deg=_float(text.get("latitude_deg")),
        position_valid=None if valid is None else valid == 1)


def after_frame(previous: LiveState | None, frame: LiveState) -> LiveState:
    """A live frame replaces every value it carries; what it does not carry (a frame without
    a position) keeps the previous value."""
    if previous is None:
        return frame
    kept = {field.name: getattr(frame, field.name) if getattr(frame, field.name) is not None
            else getattr(previous, field.name) for field in dataclasses.fields(frame)}
    return LiveState(**kept)


def after_event(previous: LiveState | None, event: FleetEvent) -> LiveState | None:
    """The live state after a link event of its vehicle; None when the event says nothing
    new (not a link event, or the link state is unchanged)."""
    online = event.online
    if online is None or (previous is not None and previous.online is online):
        return None
    if previous is None:
        return LiveState(event.vin, online, None, None, None, None, None, None, None, None,
                         None, None)
    return dataclasses.replace(previous, online=online)
