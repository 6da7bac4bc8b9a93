"""Alarm names, vehicle conditions and the platform rules (backend/core/alarms)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.core.alarms.conditions import UNFLAGGED_FAULT, Source, vehicle_conditions
from backend.core.alarms.labels import condition_names
from backend.core.alarms.names import (
    ALARM_BITS,
    ALARM_BITS_2016,
    ALARM_BITS_2025,
    ALARM_LEVEL_NAMES_2025,
    bit_name,
)
from backend.core.alarms.record import FrameRecord
from backend.core.alarms.rules import (
    DEFAULT_RULES,
    RuleCode,
    RuleMemory,
    RuleOverride,
    check_override,
    evaluate,
    resolve,
)
from backend.core.data_errors import InvalidArgument

T0 = datetime(2025, 6, 2, 1, 0, tzinfo=UTC)
V, P = Source.VEHICLE, Source.PLATFORM


def record(seconds: float = 0, **values: object) -> FrameRecord:
    base: dict[str, object] = {"vin": "LTEST000000000001", "edition": 2016, "reissued": False,
                               "collected_at": T0 + timedelta(seconds=seconds),
                               "received_at": T0 + timedelta(seconds=seconds + 1)}
    return FrameRecord(**{**base, **values})  # type: ignore[arg-type]


def test_every_bit_of_both_editions_is_named_once() -> None:
    assert sorted(ALARM_BITS_2016) == list(range(19))
    assert sorted(ALARM_BITS_2025) == list(range(28))
    assert ALARM_BITS[2016] is ALARM_BITS_2016 and ALARM_BITS[2025] is ALARM_BITS_2025
    assert all(ALARM_BITS_2025[bit] == ALARM_BITS_2016[bit] for bit in range(19))
    assert len({bit.code for bit in ALARM_BITS_2025.values()}) == 28
    assert all(bit.name_zh and bit.name_en for bit in ALARM_BITS_2025.values())
    assert ALARM_BITS_2016[11].code == "insulation"
    assert ALARM_BITS_2025[23].code == "storage_thermal_event"
    assert ALARM_LEVEL_NAMES_2025[4][1].startswith("level 4")


def test_reserved_bits_get_a_name_with_their_index() -> None:
    assert bit_name(2016, 23).code == "reserved_bit_23"  # 23 is reserved in 2016
    assert bit_name(2025, 23).code == "storage_thermal_event"
    assert bit_name(2025, 31).name_en == "reserved bit 31"


@pytest.mark.parametrize(("values", "active"), [
    ({}, {}),  # no alarm block: nothing active, nothing observed
    ({"alarm_level": 0, "alarm_flags": 0}, {}),
    # §8.7 worked values; 2016 has no per-bit level: the frame level applies to every flag.
    ({"alarm_level": 2, "alarm_flags": 0x00040800},
     {(V, "insulation"): 2, (V, "storage_over_charge"): 2}),
    ({"alarm_level": 0, "alarm_flags": 0x80000001},
     {(V, "temperature_difference"): 1, (V, "reserved_bit_31"): 1}),
    # Level 3 without flags: one "unflagged" condition at the frame level.
    ({"alarm_level": 3, "alarm_flags": 0}, {(V, UNFLAGGED_FAULT): 3}),
    # 2025: per-bit levels (N5) win over the frame level; level 4 is the thermal event.
    ({"edition": 2025, "alarm_level": 4, "alarm_flags": (1 << 1) | (1 << 23),
      "bit_levels": {1: 2, 23: 4}},
     {(V, "battery_high_temperature"): 2, (V, "storage_thermal_event"): 4}),
])
def test_vehicle_conditions(values: dict[str, object], active: dict[object, int]) -> None:
    evaluation = vehicle_conditions(record(**values))
    assert evaluation.active == active
    assert set(active) <= evaluation.observed
    if "alarm_flags" not in values:
        assert not evaluation.observed
    else:
        assert (V, "dcdc_state") in evaluation.observed


def test_a_sentinel_level_cannot_clear_the_unflagged_fault() -> None:
    evaluation = vehicle_conditions(record(alarm_level=None, alarm_flags=0))
    assert (V, UNFLAGGED_FAULT) not in evaluation.observed


@pytest.mark.parametrize(("values", "fires"), [
    ({"max_cell_voltage_mv": 4250}, RuleCode.CELL_OVER_VOLTAGE),
    ({"min_cell_voltage_mv": 2499}, RuleCode.CELL_UNDER_VOLTAGE),
    ({"max_cell_voltage_mv": 3900, "min_cell_voltage_mv": 3600}, RuleCode.CELL_VOLTAGE_SPREAD),
    ({"max_temperature_c": 60}, RuleCode.PROBE_OVER_TEMPERATURE),
    ({"max_temperature_c": 40, "min_temperature_c": 25}, RuleCode.TEMPERATURE_SPREAD),
    ({"insulation_kohm": 30, "total_voltage_v": 400.0}, RuleCode.INSULATION_LOW),  # 75 Ω/V
])
def test_single_record_rules(values: dict[str, object], fires: RuleCode) -> None:
    evaluation = evaluate(record(**values), DEFAULT_RULES, RuleMemory())
    assert evaluation.active == {(P, fires.value): DEFAULT_RULES[fires].level}


def test_healthy_values_are_observed_clear() -> None:
    healthy = record(max_cell_voltage_mv=3700, min_cell_voltage_mv=3680, max_temperature_c=30,
                     min_temperature_c=27, insulation_kohm=2000, total_voltage_v=400.0)
    evaluation = evaluate(healthy, DEFAULT_RULES, RuleMemory())
    assert not evaluation.active
    assert (P, "insulation_low") in evaluation.observed
    assert (P, "temperature_rise_rate") not in evaluation.observed  # needs a previous record


def test_rates_and_jumps_compare_consecutive_records_close_in_time() -> None:
    memory = RuleMemory()
    evaluate(record(0, max_temperature_c=40, soc_pct=50), DEFAULT_RULES, memory)
    hot = evaluate(record(10, max_temperature_c=51, soc_pct=62), DEFAULT_RULES, memory)
    assert hot.active == {(P, "temperature_rise_rate"): 3, (P, "soc_jump"): 1}
    later = evaluate(record(200, max_temperature_c=80, soc_pct=10), DEFAULT_RULES, memory)
    assert (P, "temperature_rise_rate") not in later.observed  # 190 s apart: no rate
    # A reissued (older) record neither judges rates nor moves the memory back.
    evaluate(record(5, reissued=True, max_temperature_c=20), DEFAULT_RULES, memory)
    assert memory.at == T0 + timedelta(seconds=200)


def test_sentinels_persisting() -> None:
    memory = RuleMemory()
    key = (P, "sentinel_persisting")
    for seconds in range(0, 300, 30):
        assert key not in evaluate(record(seconds, sentinels=frozenset({"speed_kmh"})),
                                   DEFAULT_RULES, memory).active
    assert evaluate(record(300, sentinels=frozenset({"speed_kmh"})), DEFAULT_RULES,
                    memory).active == {key: 1}
    # Another column starting later does not inherit the first one's age.
    memory = RuleMemory()
    evaluate(record(0, sentinels=frozenset({"speed_kmh"})), DEFAULT_RULES, memory)
    assert key not in evaluate(record(400, sentinels=frozenset({"soc_pct"})), DEFAULT_RULES,
                               memory).active


def test_overrides_model_over_tenant_over_default() -> None:
    overrides = [RuleOverride(RuleCode.CELL_OVER_VOLTAGE, None, threshold=4200, level=3),
                 RuleOverride(RuleCode.CELL_OVER_VOLTAGE, 7, threshold=3650),
                 RuleOverride(RuleCode.SOC_JUMP, 8, enabled=False)]
    tenant_wide = resolve(overrides, None)[RuleCode.CELL_OVER_VOLTAGE]
    assert (tenant_wide.threshold, tenant_wide.level) == (4200, 3)
    lfp = resolve(overrides, 7)[RuleCode.CELL_OVER_VOLTAGE]
    assert (lfp.threshold, lfp.level) == (3650, 3)
    assert resolve(overrides, 7)[RuleCode.SOC_JUMP].enabled
    assert not resolve(overrides, 8)[RuleCode.SOC_JUMP].enabled
    off = resolve(overrides, 8)
    memory = RuleMemory()
    evaluate(record(0, soc_pct=50), off, memory)
    assert (P, "soc_jump") not in evaluate(record(10, soc_pct=90), off, memory).observed


@pytest.mark.parametrize("override", [
    RuleOverride(RuleCode.SOC_JUMP, None, level=0),
    RuleOverride(RuleCode.SOC_JUMP, None, level=5),
    RuleOverride(RuleCode.SOC_JUMP, None, threshold=-1),
    RuleOverride(RuleCode.SOC_JUMP, None, threshold=float("nan")),
    RuleOverride(RuleCode.SOC_JUMP, None, threshold=float("inf")),
])
def test_impossible_overrides_are_refused(override: RuleOverride) -> None:
    with pytest.raises(InvalidArgument):
        check_override(override)


def test_condition_names_cover_every_source() -> None:
    assert condition_names(V, "insulation") == ("绝缘报警", "insulation")
    assert condition_names(V, "storage_thermal_event")[1].startswith("energy-storage thermal")
    assert condition_names(V, "reserved_bit_30")[1] == "reserved bit 30"
    assert condition_names(V, UNFLAGGED_FAULT)[1] == "fault without a general alarm flag"
    assert condition_names(P, "soc_jump") == ("SOC跳变", "SOC change between records above")
    assert condition_names(V, "no_such_code") == ("no_such_code", "no_such_code")
