"""Display names of alarm conditions, whatever their source (zh-CN, English)."""

from __future__ import annotations

from functools import cache

from .conditions import UNFLAGGED_FAULT, Source
from .names import ALARM_BITS_2025, AlarmBit, bit_name
from .rules import RULE_CODES, RULES, RuleCode

_UNFLAGGED = ("未标明类别的故障", "fault without a general alarm flag")


@cache
def _bits_by_code() -> dict[str, AlarmBit]:
    # 2025 names every 2016 bit the same way and adds 19-27; reserved bits are named by index.
    named = {bit.code: bit for bit in ALARM_BITS_2025.values()}
    named.update({bit_name(2016, index).code: bit_name(2016, index)
                  for index in range(32) if index not in ALARM_BITS_2025})
    return named


def condition_names(source: Source, code: str) -> tuple[str, str]:
    """(zh-CN, English) name of a condition; an unknown code is its own name."""
    if source is Source.PLATFORM and code in RULE_CODES:
        info = RULES[RuleCode(code)]
        return info.name_zh, info.name_en
    if code == UNFLAGGED_FAULT:
        return _UNFLAGGED
    bit = _bits_by_code().get(code)
    return (bit.name_zh, bit.name_en) if bit is not None else (code, code)
