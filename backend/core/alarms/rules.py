"""The platform's own alarm rules, on top of what the vehicle reports.

Each rule has one threshold and one level. Defaults live here, in code; a tenant may override a
rule for all its vehicles, and again for one vehicle model (``resolve``). Which values count as
dangerous is a safety engineer's decision per model (chemistry, pack design); the defaults are
conservative values for NCM/LFP passenger packs:

* cell voltages: 4.25 V above any NCM cell's charge limit, 2.5 V below both chemistries'
  discharge cut-off; 300 mV spread is a weak or disconnected cell;
* temperatures: 60 °C probe maximum (cells age fast above 55-60 °C), 15 °C spread;
  a rise of 60 °C/min (1 °C/s) between consecutive records is the thermal-runaway criterion of
  GB 38031's heat-propagation test, hence level 3;
* insulation: 100 Ω/V is the minimum for DC circuits of GB 18384;
* SOC: a change of 10 points between records at most a minute apart;
* sentinels: any measured value reported abnormal/invalid (§8.0) for 5 minutes.

Rules whose inputs are missing (a sentinel, no battery block) make no decision for that
record: the condition is neither raised nor cleared.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Final

from backend.core.data_errors import InvalidArgument

from .conditions import ConditionKey, Evaluation, Source
from .record import FrameRecord

MAX_LEVEL: Final = 4
# Consecutive records further apart than this say nothing about a rate or a jump.
MAX_RATE_GAP_S: Final = 60.0


class RuleCode(enum.StrEnum):
    CELL_OVER_VOLTAGE = "cell_over_voltage"
    CELL_UNDER_VOLTAGE = "cell_under_voltage"
    CELL_VOLTAGE_SPREAD = "cell_voltage_spread"
    PROBE_OVER_TEMPERATURE = "probe_over_temperature"
    TEMPERATURE_SPREAD = "temperature_spread"
    TEMPERATURE_RISE_RATE = "temperature_rise_rate"
    INSULATION_LOW = "insulation_low"
    SOC_JUMP = "soc_jump"
    SENTINEL_PERSISTING = "sentinel_persisting"


RULE_CODES: Final = frozenset(code.value for code in RuleCode)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    unit: str
    name_zh: str
    name_en: str
    default_threshold: float
    default_level: int


RULES: Final[Mapping[RuleCode, RuleInfo]] = {
    RuleCode.CELL_OVER_VOLTAGE: RuleInfo("mV", "单体电压过高", "cell voltage above", 4250, 2),
    RuleCode.CELL_UNDER_VOLTAGE: RuleInfo("mV", "单体电压过低", "cell voltage below", 2500, 2),
    RuleCode.CELL_VOLTAGE_SPREAD: RuleInfo("mV", "单体压差过大", "cell voltage spread above",
                                           300, 1),
    RuleCode.PROBE_OVER_TEMPERATURE: RuleInfo("°C", "探针温度过高", "probe temperature above",
                                              60, 2),
    RuleCode.TEMPERATURE_SPREAD: RuleInfo("°C", "温差过大", "temperature spread above", 15, 1),
    RuleCode.TEMPERATURE_RISE_RATE: RuleInfo("°C/min", "温升速率过快",
                                             "temperature rise faster than", 60, 3),
    RuleCode.INSULATION_LOW: RuleInfo("Ω/V", "绝缘电阻过低", "insulation resistance below",
                                      100, 2),
    RuleCode.SOC_JUMP: RuleInfo("%", "SOC跳变", "SOC change between records above", 10, 1),
    RuleCode.SENTINEL_PERSISTING: RuleInfo("s", "数据异常/无效持续", "abnormal/invalid values for",
                                           300, 1),
}


@dataclass(frozen=True, slots=True)
class Rule:
    code: RuleCode
    threshold: float
    level: int
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class RuleOverride:
    """A tenant's setting of one rule, for all its vehicles (``model_id`` None) or one model.
    Unset parts keep the value below them (model → tenant → default)."""

    code: RuleCode
    model_id: int | None
    threshold: float | None = None
    level: int | None = None
    enabled: bool | None = None


DEFAULT_RULES: Final[Mapping[RuleCode, Rule]] = {
    code: Rule(code, info.default_threshold, info.default_level) for code, info in RULES.items()}


def check_override(override: RuleOverride) -> RuleOverride:
    """Refuse what no rule can mean: a level outside 1-4, a threshold that is not a finite
    non-negative number (every rule measures a size, a spread or a rate)."""
    if override.level is not None and not 1 <= override.level <= MAX_LEVEL:
        raise InvalidArgument(f"a rule's level is 1 to {MAX_LEVEL}", field="level",
                              reason="out_of_range")
    threshold = override.threshold
    if threshold is not None and not (0 <= threshold < 1e9):  # also refuses NaN
        raise InvalidArgument("a threshold is a finite number of at least 0", field="threshold",
                              reason="out_of_range")
    return override


def resolve(overrides: Iterable[RuleOverride], model_id: int | None) -> dict[RuleCode, Rule]:
    """The rules in force for a vehicle of ``model_id``: defaults, then the tenant's
    overrides, then the model's."""
    rules = dict(DEFAULT_RULES)
    ordered = sorted((o for o in overrides if o.model_id is None or o.model_id == model_id),
                     key=lambda o: o.model_id is not None)
    for override in ordered:
        rule = rules[override.code]
        rules[override.code] = replace(
            rule,
            threshold=rule.threshold if override.threshold is None else override.threshold,
            level=rule.level if override.level is None else override.level,
            enabled=rule.enabled if override.enabled is None else override.enabled)
    return rules


@dataclass(slots=True)
class RuleMemory:
    """What the rules remember of a vehicle between records (the newest in-order record)."""

    at: datetime | None = None
    max_temperature_c: int | None = None
    soc_pct: int | None = None
    sentinel_since: dict[str, datetime] = field(default_factory=dict)


def _spread(high: float | None, low: float | None) -> float | None:
    return None if high is None or low is None else high - low


def _rate_inputs(record: FrameRecord, memory: RuleMemory) -> float | None:
    """Seconds since the previous in-order record when it is close enough to compare."""
    if memory.at is None:
        return None
    gap = (record.collected_at - memory.at).total_seconds()
    return gap if 0 < gap <= MAX_RATE_GAP_S else None


def _measure(record: FrameRecord, memory: RuleMemory) -> dict[RuleCode, tuple[float, bool]]:
    """Per rule it can judge: (measured value, whether it is above rather than below its
    threshold when it fires)."""
    measured: dict[RuleCode, tuple[float, bool]] = {}
    if record.max_cell_voltage_mv is not None:
        measured[RuleCode.CELL_OVER_VOLTAGE] = (record.max_cell_voltage_mv, True)
    if record.min_cell_voltage_mv is not None:
        measured[RuleCode.CELL_UNDER_VOLTAGE] = (record.min_cell_voltage_mv, False)
    spread = _spread(record.max_cell_voltage_mv, record.min_cell_voltage_mv)
    if spread is not None:
        measured[RuleCode.CELL_VOLTAGE_SPREAD] = (spread, True)
    if record.max_temperature_c is not None:
        measured[RuleCode.PROBE_OVER_TEMPERATURE] = (record.max_temperature_c, True)
    spread = _spread(record.max_temperature_c, record.min_temperature_c)
    if spread is not None:
        measured[RuleCode.TEMPERATURE_SPREAD] = (spread, True)
    gap = _rate_inputs(record, memory)
    if gap is not None and not record.reissued:
        if record.max_temperature_c is not None and memory.max_temperature_c is not None:
            rise = (record.max_temperature_c - memory.max_temperature_c) * 60.0 / gap
            measured[RuleCode.TEMPERATURE_RISE_RATE] = (rise, True)
        if record.soc_pct is not None and memory.soc_pct is not None:
            measured[RuleCode.SOC_JUMP] = (abs(record.soc_pct - memory.soc_pct), True)
    voltage = record.total_voltage_v
    if record.insulation_kohm is not None and voltage is not None and voltage > 0:
        measured[RuleCode.INSULATION_LOW] = (record.insulation_kohm * 1000.0 / voltage, False)
    return measured


def _remember(record: FrameRecord, memory: RuleMemory) -> float:
    """Move the memory to ``record`` (in-order records only); returns how long the oldest
    current sentinel has lasted, in seconds."""
    at = record.collected_at
    if memory.at is not None and at <= memory.at:
        since = memory.sentinel_since.values()
        return max(((at - start).total_seconds() for start in since), default=0.0)
    memory.sentinel_since = {column: memory.sentinel_since.get(column, at)
                             for column in record.sentinels}
    memory.at = at
    memory.max_temperature_c = record.max_temperature_c
    memory.soc_pct = record.soc_pct
    return max(((at - start).total_seconds() for start in memory.sentinel_since.values()),
               default=0.0)


def evaluate(record: FrameRecord, rules: Mapping[RuleCode, Rule],
             memory: RuleMemory) -> Evaluation:
    """The platform conditions of ``record``; updates ``memory`` for the next record."""
    measured = _measure(record, memory)
    measured[RuleCode.SENTINEL_PERSISTING] = (_remember(record, memory), True)
    active: dict[ConditionKey, int] = {}
    observed: set[ConditionKey] = set()
    for code, (value, above) in measured.items():
        rule = rules[code]
        if not rule.enabled:
            continue
        key = (Source.PLATFORM, code.value)
        observed.add(key)
        if (value >= rule.threshold) if above else (value < rule.threshold):
            active[key] = rule.level
    return Evaluation(active, frozenset(observed))
