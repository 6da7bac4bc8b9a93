"""What a notification says, in Chinese and English, and how a webhook is signed.

Webhook signature (documented for receivers in docs/alarms.md): the request carries
``X-NEVGuard-Timestamp: <unix seconds>`` and ``X-NEVGuard-Signature: v1=<hex>``, where hex is
HMAC-SHA256 under the channel's secret over ``<timestamp>.`` followed by the exact body bytes.
A receiver recomputes it, compares in constant time, and refuses a timestamp more than
``REPLAY_WINDOW`` away from its clock, so a captured request cannot be replayed later; the
body's ``delivery_id`` lets it drop a retry it already processed.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from backend.core.alarm_cases.escalation import Escalation, EscalationKind

TIMESTAMP_HEADER: Final = "X-NEVGuard-Timestamp"
SIGNATURE_HEADER: Final = "X-NEVGuard-Signature"
SIGNATURE_VERSION: Final = "v1"
REPLAY_WINDOW: Final = timedelta(minutes=5)

_LEVEL_ZH: Final = {1: "一级", 2: "二级", 3: "三级", 4: "四级（热事件）"}
_ESCALATION_TEXT: Final = {
    EscalationKind.CONFIRM_OVERDUE: ("告警未在时限内确认", "not acknowledged in time"),
    EscalationKind.DISPOSE_OVERDUE: ("告警未在时限内处置", "not disposed in time"),
}


class Purpose(enum.StrEnum):
    ALARM = "alarm"
    ESCALATION = "escalation"


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell: an alarm that needs handling, or a case that escalated."""

    tenant: str
    purpose: Purpose
    event_id: str
    vin: str
    code: str
    name_zh: str
    name_en: str
    level: int
    opened_at: datetime
    case_id: str | None = None
    confirm_due: datetime | None = None
    dispose_due: datetime | None = None
    escalation: Escalation | None = None

    def key(self) -> str:
        """Identifies the notice among a case's notices (deliveries are unique per key,
        channel and recipient, so handling an event twice notifies once)."""
        if self.escalation is not None:
            return f"{self.event_id}:{self.escalation.kind.value}:{self.escalation.number}"
        return f"{self.event_id}:{self.purpose.value}:{self.level}"

    def document(self) -> dict[str, Any]:
        escalation = self.escalation
        return {
            "tenant": self.tenant, "purpose": self.purpose.value, "event_id": self.event_id,
            "case_id": self.case_id, "vin": self.vin, "code": self.code,
            "name_zh": self.name_zh, "name_en": self.name_en, "level": self.level,
            "emergency": self.level >= 4, "opened_at": self.opened_at.isoformat(),
            "confirm_due": None if self.confirm_due is None else self.confirm_due.isoformat(),
            "dispose_due": None if self.dispose_due is None else self.dispose_due.isoformat(),
            "escalation": None if escalation is None else
            {"kind": escalation.kind.value, "number": escalation.number},
        }


def webhook_body(document: dict[str, Any], delivery_id: int) -> bytes:
    return json.dumps({**document, "delivery_id": delivery_id}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":")).encode("utf-8")


def _headline(document: dict[str, Any]) -> tuple[str, str]:
    level = int(document["level"])
    zh = f"{_LEVEL_ZH.get(level, str(level))}告警 {document['name_zh']} {document['vin']}"
    en = f"Level {level} alarm {document['name_en']} on {document['vin']}"
    escalation = document.get("escalation")
    if escalation is not None:
        why_zh, why_en = _ESCALATION_TEXT[EscalationKind(escalation["kind"])]
        zh = f"【升级】{why_zh}：{zh}"
        en = f"[Escalation] {why_en}: {en}"
    return zh, en


def email_text(document: dict[str, Any]) -> tuple[str, str]:
    """Subject and plain-text body, Chinese first, English below."""
    zh, en = _headline(document)
    lines = [zh, en, "",
             f"车辆 VIN: {document['vin']}",
             f"告警开始 / Opened: {document['opened_at']}",
             f"告警编码 / Code: {document['code']}"]
    if document.get("case_id"):
        lines.append(f"工单 / Case: {document['case_id']}")
    if document.get("confirm_due"):
        lines.append(f"确认时限 / Acknowledge by: {document['confirm_due']}")
    if document.get("dispose_due"):
        lines.append(f"处置时限 / Dispose by: {document['dispose_due']}")
    return f"[NEVGuard] {zh} / {en}", "\n".join(lines) + "\n"


def sms_text(document: dict[str, Any]) -> str:
    zh, en = _headline(document)
    return f"[NEVGuard] {zh}。{en}."


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256)
    return f"{SIGNATURE_VERSION}={digest.hexdigest()}"


def verify(secret: bytes, timestamp: str, body: bytes, signature: str, now: datetime) -> bool:
    """What a receiver does (and what our tests do): a fresh timestamp and a matching MAC."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs(now.timestamp() - sent) > REPLAY_WINDOW.total_seconds():
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)
