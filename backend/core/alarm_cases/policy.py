"""The tenant's automatic handling per alarm level, and the SLA settings that go with it.

Defaults (MISSION.md "three alarm levels with automatic handling", the issue's table):
levels 3 and 4 notify the people on duty on every channel and open a case with SLA timers;
level 2 notifies and is recorded (no case); level 1 is recorded only and counted in the
statistics. A tenant may change any level, e.g. open cases for level 2 too, or mute e-mail for
level 2. Events opened by reissued data (``historical``, PROTOCOL.md §11) are never live
alarms: they are recorded and counted, never notified.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from backend.core.alarm_cases.calendar import SlaSettings, calendar_from_document
from backend.core.alarm_cases.errors import InvalidSettings

LEVELS: Final = (1, 2, 3, 4)


class Channel(enum.StrEnum):
    WEBHOOK = "webhook"
    EMAIL = "email"
    SMS = "sms"  # the SMS / IM gateway hook


ALL_CHANNELS: Final = frozenset(Channel)


@dataclass(frozen=True, slots=True)
class LevelPolicy:
    level: int
    channels: frozenset[Channel]  # notify on these; empty: record only
    open_case: bool


DEFAULT_POLICIES: Final = {
    1: LevelPolicy(1, frozenset(), open_case=False),
    2: LevelPolicy(2, ALL_CHANNELS, open_case=False),
    3: LevelPolicy(3, ALL_CHANNELS, open_case=True),
    4: LevelPolicy(4, ALL_CHANNELS, open_case=True),
}


@dataclass(frozen=True, slots=True)
class HandlingSettings:
    policies: Mapping[int, LevelPolicy] = field(default_factory=lambda: dict(DEFAULT_POLICIES))
    sla: SlaSettings = field(default_factory=SlaSettings)

    def policy(self, level: int) -> LevelPolicy:
        return self.policies[min(max(level, 1), 4)]

    def to_document(self) -> dict[str, Any]:
        sla = self.sla
        return {
            "policies": [{"level": p.level, "channels": sorted(c.value for c in p.channels),
                          "open_case": p.open_case}
                         for p in sorted(self.policies.values(), key=lambda p: p.level)],
            "sla": {"confirm_minutes": sla.confirm_minutes,
                    "dispose_working_days": sla.dispose_working_days,
                    "escalation_repeat_minutes": sla.escalation_repeat_minutes,
                    "max_escalations": sla.max_escalations},
            "calendar": sla.calendar.to_document(),
        }


def level_policies(policies: list[LevelPolicy]) -> dict[int, LevelPolicy]:
    """The given levels over the defaults; a level given twice is refused."""
    merged = dict(DEFAULT_POLICIES)
    seen: set[int] = set()
    for policy in policies:
        if policy.level not in LEVELS:
            raise InvalidSettings("levels are 1-4", field="level")
        if policy.level in seen:
            raise InvalidSettings(f"level {policy.level} given twice", field="level")
        seen.add(policy.level)
        merged[policy.level] = policy
    return merged


def settings_from_document(document: Mapping[str, Any]) -> HandlingSettings:
    """The stored document back (written by ``to_document``; defaults where it is silent)."""
    try:
        policies = level_policies([
            LevelPolicy(int(item["level"]), frozenset(Channel(c) for c in item["channels"]),
                        bool(item["open_case"])) for item in document.get("policies", [])])
        sla = document.get("sla", {})
        return HandlingSettings(policies, SlaSettings(
            int(sla.get("confirm_minutes", 15)), int(sla.get("dispose_working_days", 10)),
            int(sla.get("escalation_repeat_minutes", 15)), int(sla.get("max_escalations", 3)),
            calendar_from_document(document.get("calendar", {}))))
    except (KeyError, TypeError, ValueError):
        raise InvalidSettings("handling settings document is malformed",
                              field="settings") from None
