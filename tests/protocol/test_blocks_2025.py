"""GB/T 32960-2025 realtime blocks (PROTOCOL.md §14.4) with hand-built byte literals.

Every literal below is written from the tables in PROTOCOL.md, field by field, and decoded through
the realtime container exactly as the gateway does; re-encoding must give the same bytes back.
"""

from __future__ import annotations

from datetime import datetime

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies_2025 import blocks_2025, realtime_2025

from gateway.protocol.blocks_2025 import (
    BLOCKS_2025,
    DriveMotor2025,
    DriveMotors2025,
    Engine2025,
    Position2025,
    Vehicle2025,
)
from gateway.protocol.blocks_2025_alarm import Alarm2025, AlarmBitLevel
from gateway.protocol.blocks_2025_energy import (
    CellVoltages2025,
    PackVoltages,
    Supercapacitor,
    SupercapacitorExtremes,
)
from gateway.protocol.blocks_2025_hydrogen import FuelCell2025, FuelCellStack, FuelCellStacks
from gateway.protocol.blocks_common import ProbeSubsystem, ProbeTemperatures
from gateway.protocol.errors import ValueOutOfRange
from gateway.protocol.model import Block, Edition, Hex, Sentinel
from gateway.protocol.realtime import RealtimeData, decode_realtime, encode_realtime, signed_part
from gateway.protocol.signature import Signature
from gateway.protocol.wire import BEIJING

ABN, INV = Sentinel.ABNORMAL, Sentinel.INVALID
TIME = "19 0B 01 0A 14 1E"  # 2025-11-01 10:20:30 (UTC+8), §6.1
COLLECTED_AT = datetime(2025, 11, 1, 10, 20, 30, tzinfo=BEIJING)


def hexbytes(*parts: str) -> bytes:
    return bytes.fromhex(" ".join(parts))


def decode(data_unit: bytes, edition: Edition = Edition.V2025) -> RealtimeData:
    body = decode_realtime(data_unit, edition)
    assert isinstance(body, RealtimeData)
    return body


# ---- one literal per block: (type + body hex, the block it must decode to) ----------------------

VEHICLE = ("01"
           "01 03 01"      # started, not charging, pure electric
           "03 20"         # speed 800 × 0.1 = 80.0 km/h
           "00 01 E2 40"   # odometer 123456 × 0.1 = 12345.6 km
           "0D 48"         # voltage 3400 × 0.1 = 340.0 V
           "75 94"         # current 30100 × 0.1 − 3000 = 10.0 A
           "55 01"         # SOC 85 %, DC-DC working
           "2E"            # gear: bit 5 driving force, nibble 0xE = D, bit 7 clear = valid
           "13 88")        # insulation 5000 kΩ
VEHICLE_MODEL = Vehicle2025(
    vehicle_state=1, charging_state=3, running_mode=1, speed_kmh=80.0, odometer_km=12345.6,
    total_voltage_v=340.0, total_current_a=10.0, soc_pct=85, dcdc_state=1, gear=0x2E,
    insulation_kohm=5000)

MOTORS = ("02 01"          # one motor
          "01 01"          # motor 1, consuming power
          "5A"             # controller 90 − 40 = 50 °C
          "88 B8"          # speed 35000 − 32000 = 3000 rpm
          "00 03 13 21"    # torque 201505 × 0.1 − 20000 = 150.5 N·m
          "55")            # motor 85 − 40 = 45 °C
MOTORS_MODEL = DriveMotors2025(motors=(DriveMotor2025(
    motor_no=1, state=1, controller_temperature_c=50, speed_rpm=3000, torque_nm=150.5,
    temperature_c=45),))

FUEL_CELL = ("03"
             "00 41 03"    # H2 max temperature 65 − 40 = 25 °C [unconfirmed 1 °C], probe 3
             "00 0C 02"    # H2 max concentration 12 × 0.0001 = 0.0012 % [unconfirmed], sensor 2
             "01 5E 04"    # H2 max pressure 350 × 0.1 = 35.0 MPa, sensor 4
             "01 50 46")   # DC/DC working, 80 % hydrogen left, DC/DC controller 70 − 40 = 30 °C
FUEL_CELL_MODEL = FuelCell2025(
    hydrogen_max_temperature_c=25.0, hydrogen_max_temperature_probe_no=3,
    hydrogen_max_concentration_pct=0.0012, hydrogen_max_concentration_sensor_no=2,
    hydrogen_max_pressure_mpa=35.0, hydrogen_max_pressure_sensor_no=4, dcdc_state=1,
    hydrogen_remaining_pct=80, dcdc_controller_temperature_c=30)

ENGINE = "04 0B B8"        # crankshaft 3000 rpm, nothing else in 2025
ENGINE_MODEL = Engine2025(crankshaft_speed_rpm=3000)

POSITION = ("05"
            "00 01"        # valid fix, north, east; WGS-84
            "06 F0 14 48"  # longitude 116397128 × 10^-6 °
            "02 61 13 EF") # latitude 39916527 × 10^-6 °
POSITION_MODEL = Position2025(status=0, coordinate_system=1, longitude_deg=116.397128,
                              latitude_deg=39.916527)

ALARM = ("06"              # 0x06 is the alarm in 2025 (extremes in 2016)
         "04"              # highest level 4: thermal event (2025)
         "00 84 08 00"     # flags: bits 11 insulation, 18 over-charge, 23 thermal event
         "01 00 00 00 2A"  # N1 = 1 battery fault code
         "00 00"           # N2 = N3 = 0
         "02 12 34 56 78 9A BC DE F0"   # N4 = 2 other fault codes
         "02 0B 02 17 04") # N5 = 2: bit 11 at level 2, bit 23 at level 4
ALARM_MODEL = Alarm2025(
    max_level=4, general_flags=0x00840800, battery_fault_codes=(0x2A,), motor_fault_codes=(),
    engine_fault_codes=(), other_fault_codes=(0x12345678, 0x9ABCDEF0),
    alarm_levels=(AlarmBitLevel(bit=11, level=2), AlarmBitLevel(bit=23, level=4)))

CELLS = ("07 01"           # one pack
         "01 0D 48 75 94"  # pack 1, 340.0 V, 10.0 A (−3000 A offset)
         "00 03"           # 3 units, no first-index field in 2025
         "0E 10 0E 11 0E 0F")  # 3600, 3601, 3599 mV
CELLS_MODEL = CellVoltages2025(packs=(PackVoltages(
    pack_no=1, voltage_v=340.0, current_a=10.0, cell_voltages_mv=(3600, 3601, 3599)),))

PROBES = "08 01 01 00 02 41 42"  # one pack, pack 1, 2 probes: 25 °C, 26 °C (2016 0x09 layout)
PROBES_MODEL = ProbeTemperatures(subsystems=(ProbeSubsystem(subsystem_no=1,
                                                            temperatures_c=(25, 26)),))

STACKS = ("30 01"          # one stack
          "01 0B B8 03 E8" # stack 1, 300.0 V, 100.0 A
          "0B B8 07 D0"    # H2 inlet 3000 × 0.1 − 100 = 200.0 kPa, air inlet 100.0 [unconfirmed]
          "3C"             # air inlet 60 − 40 = 20 °C
          "00 02 5A 5B")   # 2 coolant probes: 50 °C, 51 °C
STACKS_MODEL = FuelCellStacks(stacks=(FuelCellStack(
    stack_no=1, voltage_v=300.0, current_a=100.0, hydrogen_inlet_pressure_kpa=200.0,
    air_inlet_pressure_kpa=100.0, air_inlet_temperature_c=20, coolant_temperatures_c=(50, 51)),))

SUPERCAP = ("31"
            "01 03 20 75 3A"   # system 1, 80.0 V, 30010 × 0.1 − 3000 = 1.0 A
            "00 02 0A 8C 0A 8D"  # 2 cells: 2700, 2701 mV
            "00 01 41")        # 1 probe: 25 °C
SUPERCAP_MODEL = Supercapacitor(system_no=1, total_voltage_v=80.0, total_current_a=1.0,
                                cell_voltages_mv=(2700, 2701), temperatures_c=(25,))

EXTREMES = ("32"
            "01 00 02 0A 8D"   # max voltage: system 1, cell 2 (WORD), 2701 mV
            "01 00 01 0A 8C"   # min voltage: system 1, cell 1, 2700 mV
            "01 00 01 42"      # max temperature: system 1, probe 1 (WORD), 26 °C
            "01 00 02 41")     # min temperature: system 1, probe 2, 25 °C
EXTREMES_MODEL = SupercapacitorExtremes(
    max_voltage_system_no=1, max_voltage_cell_no=2, max_cell_voltage_mv=2701,
    min_voltage_system_no=1, min_voltage_cell_no=1, min_cell_voltage_mv=2700,
    max_temperature_system_no=1, max_temperature_probe_no=1, max_temperature_c=26,
    min_temperature_system_no=1, min_temperature_probe_no=2, min_temperature_c=25)

ALL_BLOCKS = [
    (VEHICLE, VEHICLE_MODEL), (MOTORS, MOTORS_MODEL), (FUEL_CELL, FUEL_CELL_MODEL),
    (ENGINE, ENGINE_MODEL), (POSITION, POSITION_MODEL), (ALARM, ALARM_MODEL),
    (CELLS, CELLS_MODEL), (PROBES, PROBES_MODEL), (STACKS, STACKS_MODEL),
    (SUPERCAP, SUPERCAP_MODEL), (EXTREMES, EXTREMES_MODEL),
]

SENTINEL_BLOCKS = [
    # Every measured field of the vehicle block at a sentinel; gear bit 7 = gear invalid.
    ("01 FF FE FF"        # vehicle state invalid, charging abnormal, running mode invalid
     " FF FE FF FF FF FF"  # speed abnormal, odometer invalid
     " FF FF FF FE"        # voltage invalid, current abnormal
     " FE FF 8F FF FE",    # SOC abnormal, DC-DC invalid, gear invalid (P), insulation abnormal
     Vehicle2025(vehicle_state=INV, charging_state=ABN, running_mode=INV, speed_kmh=ABN,
                 odometer_km=INV, total_voltage_v=INV, total_current_a=ABN, soc_pct=ABN,
                 dcdc_state=INV, gear=0x8F, insulation_kohm=ABN)),
    # Motor count "abnormal": no records follow, the count is kept.
    ("02 FE", DriveMotors2025(motors=(), motor_count_raw=0xFE)),
    ("02 01 FF 00 FE FF FF FF FF FF FE FF",
     DriveMotors2025(motors=(DriveMotor2025(motor_no=INV, state=0, controller_temperature_c=ABN,
                                            speed_rpm=INV, torque_nm=ABN,
                                            temperature_c=INV),))),
    ("03 FF FE FE"   # H2 temperature abnormal, probe abnormal
     " FF FF FE"     # concentration invalid, sensor abnormal
     " FF FF FF"     # pressure invalid, sensor invalid
     " FE FF FE",    # DC/DC abnormal, hydrogen left invalid, DC/DC temperature abnormal
     FuelCell2025(hydrogen_max_temperature_c=ABN, hydrogen_max_temperature_probe_no=ABN,
                  hydrogen_max_concentration_pct=INV, hydrogen_max_concentration_sensor_no=ABN,
                  hydrogen_max_pressure_mpa=INV, hydrogen_max_pressure_sensor_no=INV,
                  dcdc_state=ABN, hydrogen_remaining_pct=INV, dcdc_controller_temperature_c=ABN)),
    ("04 FF FE", Engine2025(crankshaft_speed_rpm=ABN)),
    # Invalid fix, south + west, reserved bit 7 kept; sentinel longitude, latitude 0 stays 0.0.
    ("05 87 FF FF FF FF FF 00 00 00 00",
     Position2025(status=0x87, coordinate_system=INV, longitude_deg=INV, latitude_deg=0.0)),
    # Every count a sentinel: no list follows any of them.
    ("06 FF FF FF FF FF FE FF FE FF FE",
     Alarm2025(max_level=INV, general_flags=0xFFFFFFFF, battery_fault_codes=(),
               motor_fault_codes=(), engine_fault_codes=(), other_fault_codes=(),
               alarm_levels=(), battery_fault_count_raw=0xFE, motor_fault_count_raw=0xFF,
               engine_fault_count_raw=0xFE, other_fault_count_raw=0xFF,
               alarm_level_count_raw=0xFE)),
    # Pack 1 unit count "invalid" (no voltages), pack 2 with one abnormal and one invalid cell.
    ("07 02 01 FF FF FF FE FF FF 02 00 00 75 30 00 03 0E 10 FF FE FF FF",
     CellVoltages2025(packs=(
         PackVoltages(pack_no=1, voltage_v=INV, current_a=ABN, cell_voltages_mv=(),
                      cell_count_raw=0xFFFF),
         PackVoltages(pack_no=2, voltage_v=0.0, current_a=0.0,
                      cell_voltages_mv=(3600, ABN, INV))))),
    ("07 FF", CellVoltages2025(packs=(), pack_count_raw=0xFF)),
    ("30 01 FE FF FF FF FE FF FF FF FE FF FF FE",
     FuelCellStacks(stacks=(FuelCellStack(
         stack_no=ABN, voltage_v=INV, current_a=ABN, hydrogen_inlet_pressure_kpa=INV,
         air_inlet_pressure_kpa=ABN, air_inlet_temperature_c=INV, coolant_temperatures_c=(),
         coolant_probe_count_raw=0xFFFE),))),
    ("31 FF FF FE FF FF FF FF FF FE",
     Supercapacitor(system_no=INV, total_voltage_v=ABN, total_current_a=INV, cell_voltages_mv=(),
                    temperatures_c=(), cell_count_raw=0xFFFF, probe_count_raw=0xFFFE)),
    ("32 FE FF FF FF FE"  # max voltage: system abnormal, cell invalid, value abnormal
     " FF FF FE FF FF"    # min voltage: system invalid, cell abnormal, value invalid
     " FF FF FE FE"       # max temperature: system invalid, probe abnormal, value abnormal
     " FF FF FE FF",      # min temperature: system invalid, probe abnormal, value invalid
     SupercapacitorExtremes(
         max_voltage_system_no=ABN, max_voltage_cell_no=INV, max_cell_voltage_mv=ABN,
         min_voltage_system_no=INV, min_voltage_cell_no=ABN, min_cell_voltage_mv=INV,
         max_temperature_system_no=INV, max_temperature_probe_no=ABN, max_temperature_c=ABN,
         min_temperature_system_no=INV, min_temperature_probe_no=ABN, min_temperature_c=INV)),
]


@pytest.mark.parametrize(("block_hex", "expected"), ALL_BLOCKS + SENTINEL_BLOCKS)
def test_block_decodes_and_reencodes(block_hex: str, expected: Block) -> None:
    data_unit = hexbytes(TIME, block_hex)
    report = decode(data_unit)
    assert report.undecoded_reason is None
    assert report.blocks == (expected,)
    assert report.signature is None  # absence of the signature block is accepted
    assert encode_realtime(report, Edition.V2025) == data_unit


def test_block_table_covers_every_2025_type_once() -> None:
    assert sorted(codec.type_id for codec in BLOCKS_2025) == [
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x30, 0x31, 0x32]
    assert len({codec.block_type for codec in BLOCKS_2025}) == len(BLOCKS_2025)


# ---- whole data units with the 0xFF signature (§14.4, §14.5) -------------------------------------

ALL_BLOCKS_HEX = " ".join(block for block, _ in ALL_BLOCKS)
SM2_SIGNATURE = "FF 01 00 20 " + "11" * 32 + " 00 20 " + "22" * 32  # SM2, 32-byte R and S
RSA_SIGNATURE = "FF 02 01 00 " + "A5" * 256 + " 00 00"               # RSA-2048 in R, S empty


@pytest.mark.parametrize(("signature_hex", "signature"), [
    (SM2_SIGNATURE, Signature(algorithm=1, r=Hex(b"\x11" * 32), s=Hex(b"\x22" * 32))),
    (RSA_SIGNATURE, Signature(algorithm=2, r=Hex(b"\xa5" * 256), s=Hex(b""))),
    ("", None),
])
def test_whole_data_unit(signature_hex: str, signature: Signature | None) -> None:
    data_unit = hexbytes(TIME, ALL_BLOCKS_HEX, signature_hex)
    report = decode(data_unit)
    assert report.collected_at == COLLECTED_AT
    assert report.blocks == tuple(model for _, model in ALL_BLOCKS)
    assert report.signature == signature
    assert report.undecoded is None
    assert encode_realtime(report, Edition.V2025) == data_unit
    covered = signed_part(data_unit, report)
    assert covered == (hexbytes(TIME, ALL_BLOCKS_HEX) if signature else None)


def test_blocks_in_any_order_with_user_block_before_signature() -> None:
    data_unit = hexbytes(TIME, ENGINE, "81 00 02 AB CD", VEHICLE, SM2_SIGNATURE)
    report = decode(data_unit)
    assert [type(block).__name__ for block in report.blocks] == [
        "Engine2025", "UserDefinedBlock", "Vehicle2025"]
    assert encode_realtime(report, Edition.V2025) == data_unit


# ---- the renumbering trap (§14.4) ----------------------------------------------------------------

# 2016 0x06 extreme values, 14 bytes (§8.6): pack 1 cell 2 at 3.601 V, pack 1 cell 3 at 3.599 V,
# pack 1 probe 1 at 26 °C, pack 1 probe 2 at 25 °C.
EXTREMES_2016 = "06 01 02 0E 11 01 03 0E 0F 01 01 42 01 02 41"


def test_type_06_is_an_alarm_in_2025_and_extremes_in_2016() -> None:
    assert decode(hexbytes(TIME, ALARM)).blocks == (ALARM_MODEL,)
    as_2016 = decode(hexbytes(TIME, EXTREMES_2016), Edition.V2016)
    assert as_2016.undecoded is None
    assert not isinstance(as_2016.blocks[0], Alarm2025)
    assert type(as_2016.blocks[0]).__name__ == "Extremes"
    # The same 2016 bytes read as a 2025 alarm: level 1, flags 0x020E1101, then N1 = 3 codes
    # that run past the end, so decoding stops and keeps the rest raw.
    as_2025 = decode(hexbytes(TIME, EXTREMES_2016))
    assert as_2025.blocks == ()
    assert as_2025.undecoded_reason == "truncated_block"


@pytest.mark.parametrize("block_hex", [
    "09 01 01 00 01 41",   # 2016 temperatures id: 0x09 is platform-exchange custom in 2025
    "33 00",               # 0x33-0x7F reserved
])
def test_types_not_standard_in_2025_stop_decoding(block_hex: str) -> None:
    data_unit = hexbytes(TIME, VEHICLE, block_hex, SM2_SIGNATURE)
    report = decode(data_unit)
    assert report.blocks == (VEHICLE_MODEL,)
    assert report.undecoded_reason == "unknown_block_type"
    assert report.signature is None
    assert encode_realtime(report, Edition.V2025) == data_unit


@pytest.mark.parametrize("block", [block for block, _ in ALL_BLOCKS])
def test_truncated_block_is_kept_raw(block: str) -> None:
    data_unit = hexbytes(TIME, VEHICLE, block)[:-1]
    report = decode(data_unit)
    assert report.blocks == (VEHICLE_MODEL,)
    assert report.undecoded_reason == "truncated_block"
    assert encode_realtime(report, Edition.V2025) == data_unit


# ---- decoded properties and value rules ----------------------------------------------------------

@pytest.mark.parametrize(("gear", "valid", "position", "driving", "braking"), [
    (0x2E, True, 14, True, False),   # D with driving force
    (0x1F, True, 15, False, True),   # P with braking force
    (0x8D, False, 13, False, False), # bit 7: gear invalid (2025)
    (0x00, True, 0, False, False),   # neutral
])
def test_gear_byte(gear: int, valid: bool, position: int, driving: bool, braking: bool) -> None:
    vehicle = msgspec.structs.replace(VEHICLE_MODEL, gear=gear)
    assert (vehicle.gear_valid, vehicle.gear_position, vehicle.driving_force,
            vehicle.braking_force) == (valid, position, driving, braking)


def test_south_west_coordinates_are_negative() -> None:
    data_unit = hexbytes(TIME, "05 07 02 06 F0 14 48 02 61 13 EF")  # invalid fix, S, W, GCJ-02
    (position,) = decode(data_unit).blocks
    assert position == Position2025(status=7, coordinate_system=2, longitude_deg=-116.397128,
                                    latitude_deg=-39.916527)
    assert isinstance(position, Position2025)
    assert not position.fix_valid
    assert encode_realtime(decode(data_unit), Edition.V2025) == data_unit


def test_alarm_flag_bits_2025() -> None:
    assert ALARM_MODEL.active_flag_bits == (11, 18, 23)


def _encode_one(block: Block) -> bytes:
    return encode_realtime(RealtimeData(collected_at=COLLECTED_AT, blocks=(block,)),
                           Edition.V2025)


@pytest.mark.parametrize("block", [
    msgspec.structs.replace(VEHICLE_MODEL, speed_kmh=6553.4),      # raw 0xFFFE is "abnormal"
    msgspec.structs.replace(VEHICLE_MODEL, total_current_a=-3000.1),  # below raw 0
    msgspec.structs.replace(VEHICLE_MODEL, gear=0x100),
    msgspec.structs.replace(POSITION_MODEL, longitude_deg=-1.0),   # sign vs status bit 2
    msgspec.structs.replace(CELLS_MODEL, pack_count_raw=0xFE),     # sentinel count with a list
    msgspec.structs.replace(MOTORS_MODEL, motors=MOTORS_MODEL.motors * 254),  # count 0xFE
    msgspec.structs.replace(ENGINE_MODEL, crankshaft_speed_rpm=-1),
])
def test_encoder_refuses_what_the_wire_cannot_carry(block: Block) -> None:
    with pytest.raises(ValueOutOfRange):
        _encode_one(block)


# ---- properties ----------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(blocks_2025())
def test_block_round_trip(block: Block) -> None:
    data_unit = _encode_one(block)
    assert decode(data_unit).blocks == (block,)
    assert msgspec.json.decode(msgspec.json.encode(block), type=type(block)) == block


@settings(max_examples=150, deadline=None)
@given(realtime_2025())
def test_data_unit_round_trip(report: RealtimeData) -> None:
    data_unit = encode_realtime(report, Edition.V2025)
    decoded = decode(data_unit)
    assert decoded == report
    assert encode_realtime(decoded, Edition.V2025) == data_unit


@settings(max_examples=200, deadline=None)
@given(realtime_2025(), st.data())
def test_damaged_data_unit_reencodes_byte_exactly(report: RealtimeData, data: st.DataObject
                                                  ) -> None:
    """Overwrite some bytes after the time and maybe cut the end: whatever the decoder makes of
    it (other values, unknown types, truncation), encoding gives the damaged bytes back."""
    damaged = bytearray(encode_realtime(report, Edition.V2025))
    positions = st.integers(6, max(6, len(damaged) - 1))
    for _ in range(data.draw(st.integers(0, 4))):
        if len(damaged) > 6:
            damaged[data.draw(positions)] = data.draw(st.integers(0, 0xFF))
    cut = data.draw(st.integers(6, len(damaged)))
    damaged_unit = bytes(damaged[:cut])
    assert encode_realtime(decode(damaged_unit), Edition.V2025) == damaged_unit
