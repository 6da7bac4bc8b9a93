"""Messages of the live alarm list: what a case change publishes, and reading both kinds of
message (the engine's event changes, docs/alarms.md "The engine", and case changes)
defensively: a malformed message is dropped, never a crash."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.core.alarm_cases.workflow import Case, Step


def case_message(case: Case, step: Step) -> dict[str, Any]:
    return {"case_id": case.id, "event_id": case.event_id, "vin": case.vin,
            "level": case.level, "state": case.state.value, "step": step.kind.value,
            "actor": step.actor, "at": step.at.isoformat(), "assignee": case.assignee,
            "disposition": None if case.disposition is None else case.disposition.value}


@dataclass(frozen=True, slots=True)
class LiveAlarm:
    kind: str  # "event" (the engine) or "case" (the workflow)
    change: str  # opened, escalated, reopened, closed, a flag kind, or a case step kind
    event_id: str
    case_id: str | None
    vin: str
    level: int | None
    state: str | None
    at: datetime | None
    details: dict[str, Any]


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_live(payload: bytes, *, from_cases: bool) -> LiveAlarm | None:
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("vin"), str):
        return None
    if from_cases:
        ids = data.get("event_id"), data.get("case_id"), data.get("step")
        if not all(isinstance(v, str) for v in ids):
            return None
        return LiveAlarm("case", str(ids[2]), str(ids[0]), str(ids[1]), data["vin"],
                         _int(data.get("level")), _str(data.get("state")),
                         _time(data.get("at")), data)
    if isinstance(data.get("flag"), str) and isinstance(data.get("event_id"), str):
        return LiveAlarm("event", data["flag"], data["event_id"], None, data["vin"], None,
                         None, _time(data.get("detected_at")), data)
    if not (isinstance(data.get("id"), str) and isinstance(data.get("change"), str)):
        return None
    return LiveAlarm("event", data["change"], data["id"], None, data["vin"],
                     _int(data.get("peak_level")), _str(data.get("state")),
                     _time(data.get("last_seen_at")), data)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
