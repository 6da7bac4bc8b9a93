"""Alarm vocabulary of GB/T 32960 (PROTOCOL.md §8.7, §14.4): levels and the general alarm
flag bits of both editions, named in Chinese and English.

The codec keeps the flag DWORD raw (gateway/protocol); this is the one table that names its
bits, for the alarm engine, the API and the gateway's tools alike. Each edition has its own table
keyed by bit index, registered in ``ALARM_BITS`` by edition year: an edition that adds bits builds
its table from the previous one (``{**ALARM_BITS_2016, 19: ...}``) and registers it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, NamedTuple


class AlarmBit(NamedTuple):
    """One general alarm flag: a stable code for APIs and storage, and display names."""

    code: str
    name_zh: str
    name_en: str


# §8.7: bit 0 is the least-significant bit of the big-endian DWORD; 19-31 are reserved in 2016.
ALARM_BITS_2016: Final[Mapping[int, AlarmBit]] = {
    0: AlarmBit("temperature_difference", "温度差异报警", "temperature difference"),
    1: AlarmBit("battery_high_temperature", "电池高温报警", "battery high temperature"),
    2: AlarmBit("storage_over_voltage", "车载储能装置类型过压报警",
                "on-board energy-storage device over-voltage"),
    3: AlarmBit("storage_under_voltage", "车载储能装置类型欠压报警",
                "on-board energy-storage device under-voltage"),
    4: AlarmBit("soc_low", "SOC低报警", "SOC low"),
    5: AlarmBit("cell_over_voltage", "单体电池过压报警", "single cell over-voltage"),
    6: AlarmBit("cell_under_voltage", "单体电池欠压报警", "single cell under-voltage"),
    7: AlarmBit("soc_high", "SOC过高报警", "SOC too high"),
    8: AlarmBit("soc_jump", "SOC跳变报警", "SOC jump"),
    9: AlarmBit("storage_mismatch", "可充电储能系统不匹配报警",
                "rechargeable energy-storage system mismatch"),
    10: AlarmBit("cell_consistency_poor", "电池单体一致性差报警", "poor cell consistency"),
    11: AlarmBit("insulation", "绝缘报警", "insulation"),
    12: AlarmBit("dcdc_temperature", "DC-DC温度报警", "DC-DC temperature"),
    13: AlarmBit("braking_system", "制动系统报警", "braking system"),
    14: AlarmBit("dcdc_state", "DC-DC状态报警", "DC-DC state"),
    15: AlarmBit("motor_controller_temperature", "驱动电机控制器温度报警",
                 "drive-motor controller temperature"),
    16: AlarmBit("high_voltage_interlock", "高压互锁状态报警", "high-voltage interlock state"),
    17: AlarmBit("motor_temperature", "驱动电机温度报警", "drive-motor temperature"),
    18: AlarmBit("storage_over_charge", "车载储能装置类型过充报警",
                 "on-board energy-storage device over-charge"),
}

ALARM_BITS: Final[dict[int, Mapping[int, AlarmBit]]] = {2016: ALARM_BITS_2016}
"""Flag-bit table per edition; a bit missing from an edition's table is reserved there."""

# §8.7: which faults map to which level is manufacturer-defined; 0xFE/0xFF are sentinels.
ALARM_LEVEL_NAMES: Final[Mapping[int, tuple[str, str]]] = {
    0: ("无故障", "no fault"),
    1: ("1级故障", "level 1: does not affect normal driving"),
    2: ("2级故障", "level 2: affects performance, driver must limit driving"),
    3: ("3级故障", "level 3: stop immediately or call for rescue"),
}
THERMAL_EVENT_LEVEL: Final = 4
ALARM_LEVEL_NAMES_2025: Final[Mapping[int, tuple[str, str]]] = {
    **ALARM_LEVEL_NAMES,
    THERMAL_EVENT_LEVEL: ("热事件", "level 4: energy-storage thermal event"),
}
"""2025 adds level 4 for an energy-storage thermal event on top of the 2016 levels 0-3 (§14.4);
NEVGuard treats it as an emergency above level 3."""


# §14.4: 2025 defines bits 19-27 (28-31 stay reserved); bits 0-18 keep their 2016 meaning.
# The Chinese names are our wording of the English list in PROTOCOL.md, not the standard's text.
ALARM_BITS_2025: Final[Mapping[int, AlarmBit]] = {
    **ALARM_BITS_2016,
    19: AlarmBit("motor_over_speed", "驱动电机超速报警", "drive-motor over-speed"),
    20: AlarmBit("motor_over_current", "驱动电机过流报警", "drive-motor over-current"),
    21: AlarmBit("supercapacitor_over_temperature", "超级电容器过温报警",
                 "super-capacitor over-temperature"),
    22: AlarmBit("supercapacitor_over_voltage", "超级电容器过压报警",
                 "super-capacitor over-voltage"),
    23: AlarmBit("storage_thermal_event", "储能装置热事件报警",
                 "energy-storage thermal event (thermal runaway)"),
    24: AlarmBit("hydrogen_leakage", "氢气泄漏报警", "hydrogen leakage"),
    25: AlarmBit("hydrogen_pressure_abnormal", "氢系统压力异常报警",
                 "hydrogen-system pressure abnormal"),
    26: AlarmBit("hydrogen_temperature_abnormal", "氢系统温度异常报警",
                 "hydrogen-system temperature abnormal"),
    27: AlarmBit("fuel_cell_stack_over_temperature", "燃料电池电堆超温报警",
                 "fuel-cell stack over-temperature"),
}
ALARM_BITS[2025] = ALARM_BITS_2025


def bit_name(edition: int, bit: int) -> AlarmBit:
    """The bit's name in that edition; a reserved bit gets a generic name with its index (a set
    reserved bit is data, §8.7)."""
    known = ALARM_BITS.get(edition, ALARM_BITS_2025).get(bit)
    if known is not None:
        return known
    return AlarmBit(f"reserved_bit_{bit}", f"保留位{bit}报警", f"reserved bit {bit}")
