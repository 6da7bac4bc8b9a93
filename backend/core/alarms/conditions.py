"""The conditions one record shows: what the vehicle itself reports (§8.7, §14.4).

A condition is identified by its source and code. Every set general flag bit is one condition
(reserved bits too: a set reserved bit is data). A frame level of 1 or more with no flag set
(real vehicles send it, with or without fault codes) is the condition ``unflagged_fault``.

A condition that is not active is *observed clear* only when the record could have shown it:
vehicle conditions need an alarm block. A record that cannot tell (no alarm block, a sentinel
level) neither keeps nor clears anything.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from .names import bit_name
from .record import FrameRecord

UNFLAGGED_FAULT: Final = "unflagged_fault"


class Source(enum.StrEnum):
    VEHICLE = "vehicle"
    PLATFORM = "platform"


ConditionKey = tuple[Source, str]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What one record says: the active conditions with their levels, and every condition it
    could judge (active or not)."""

    active: dict[ConditionKey, int]
    observed: frozenset[ConditionKey]


def bit_level(record: FrameRecord, bit: int) -> int:
    """A flag's level: the 2025 per-bit level when listed, else the frame's level (2016 has no
    per-bit levels, §8.7). A set flag is at least level 1 whatever the level byte says: level,
    flags and codes are independent (§8.7) and a set flag is an alarm."""
    level = record.bit_levels.get(bit)
    if level is None:
        level = record.alarm_level or 0
    return max(1, level)


def _flag_keys(edition: int) -> frozenset[ConditionKey]:
    return frozenset((Source.VEHICLE, bit_name(edition, bit).code) for bit in range(32))


_FLAG_KEYS: Final = {edition: _flag_keys(edition) for edition in (2016, 2025)}
_UNFLAGGED: Final = (Source.VEHICLE, UNFLAGGED_FAULT)


def vehicle_conditions(record: FrameRecord) -> Evaluation:
    """The conditions the vehicle reports in ``record``."""
    active: dict[ConditionKey, int] = {}
    flags = record.alarm_flags
    if flags is None:
        return Evaluation(active, frozenset())
    for bit in range(flags.bit_length()):
        if flags >> bit & 1:
            active[(Source.VEHICLE, bit_name(record.edition, bit).code)] = bit_level(record, bit)
    observed = _FLAG_KEYS.get(record.edition) or _flag_keys(record.edition)
    if record.alarm_level is not None:
        observed = observed | {_UNFLAGGED}
        if flags == 0 and record.alarm_level >= 1:
            active[_UNFLAGGED] = record.alarm_level
    return Evaluation(active, observed)
