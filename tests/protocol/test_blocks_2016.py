"""GB/T 32960-2016 realtime blocks (PROTOCOL.md §8) with hand-built byte literals.

Every literal below is written from the tables in PROTOCOL.md, field by field, and decoded through
the realtime container exactly as the gateway does; re-encoding must give the same bytes back.
"""

from __future__ import annotations

from datetime import datetime

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies_2016 import blocks_2016, data_unit_bytes_2016, realtime_2016

from gateway.protocol.alarm_bits import active_bits
from gateway.protocol.blocks_2016 import (
    BLOCKS_2016,
    GEAR_POSITION_NAMES,
    DriveMotor,
    DriveMotors,
    Engine,
    Position,
    Vehicle,
)
from gateway.protocol.blocks_2016_alarm import Alarm
from gateway.protocol.blocks_2016_battery import (
    CellVoltages,
    CellVoltageSubsystem,
    Extremes,
    FuelCell,
)
from gateway.protocol.blocks_common import ProbeSubsystem, ProbeTemperatures, UserDefinedBlock
from gateway.protocol.errors import ValueOutOfRange
from gateway.protocol.model import Block, Edition, Hex, Sentinel
from gateway.protocol.realtime import RealtimeData, decode_realtime, encode_realtime
from gateway.protocol.wire import BEIJING, byte_temperatures

ABN, INV = Sentinel.ABNORMAL, Sentinel.INVALID
TIME = "18 05 01 08 1E 00"  # 2024-05-01 08:30:00 (UTC+8), §6.1
COLLECTED_AT = datetime(2024, 5, 1, 8, 30, 0, tzinfo=BEIJING)


def hexbytes(*parts: str) -> bytes:
    return bytes.fromhex(" ".join(parts))


def decode(data_unit: bytes) -> RealtimeData:
    body = decode_realtime(data_unit, Edition.V2016)
    assert isinstance(body, RealtimeData)
    return body


# ---- one literal per block: (type + body hex, the block it must decode to) ----------------------

VEHICLE = ("01"
           "01 01 01"      # started, parked charging, pure electric
           "02 58"         # speed 600 × 0.1 = 60.0 km/h
           "00 01 E2 40"   # odometer 123456 × 0.1 = 12345.6 km
           "0D 48"         # voltage 3400 × 0.1 = 340.0 V
           "26 AC"         # current 9900 × 0.1 − 1000 = −10.0 A (charging)
           "50 01"         # SOC 80 %, DC-DC working
           "3E"            # gear: driving + braking force, nibble 0xE = D
           "13 88"         # insulation 5000 kΩ
           "14"            # accelerator 20 %
           "65")           # brake 101: applied, travel unknown
VEHICLE_MODEL = Vehicle(
    vehicle_state=1, charging_state=1, running_mode=1, speed_kmh=60.0, odometer_km=12345.6,
    total_voltage_v=340.0, total_current_a=-10.0, soc_pct=80, dcdc_state=1, gear=0x3E,
    insulation_kohm=5000, accelerator_pedal_pct=20, brake_pedal=101)

VEHICLE_SENTINELS = ("01"
                     "FE FF 01"      # state abnormal, charging invalid, pure electric
                     "FF FF"         # speed invalid
                     "FF FF FF FE"   # odometer abnormal
                     "FF FE"         # voltage abnormal
                     "FF FF"         # current invalid
                     "FE 02 1F"      # SOC abnormal, DC-DC off, gear: braking force, P
                     "FF FF"         # insulation: no sentinels in 2016, stays 65535
                     "FE FF")        # accelerator abnormal, brake invalid
VEHICLE_SENTINELS_MODEL = Vehicle(
    vehicle_state=ABN, charging_state=INV, running_mode=1, speed_kmh=INV, odometer_km=ABN,
    total_voltage_v=ABN, total_current_a=INV, soc_pct=ABN, dcdc_state=2, gear=0x1F,
    insulation_kohm=65535, accelerator_pedal_pct=ABN, brake_pedal=INV)

MOTORS = ("02 02"          # two motors, motor 2 listed first (§8.2)
          "02 01"          # motor 2, consuming power
          "5A"             # controller 90 − 40 = 50 °C
          "55 F0"          # speed 22000 − 20000 = 2000 rpm
          "4F B0"          # torque 20400 × 0.1 − 2000 = 40.0 N·m
          "55"             # motor 85 − 40 = 45 °C
          "0E 10"          # controller voltage 3600 × 0.1 = 360.0 V
          "28 00"          # controller current 10240 × 0.1 − 1000 = 24.0 A
          "01 00"          # motor 1, state 0x00 (out of range, kept)
          "3C 4E 20 4E 20 3C"  # 20 °C, 0 rpm, 0.0 N·m, 20 °C
          "0E 10 FF FE")   # 360.0 V, current abnormal
MOTORS_MODEL = DriveMotors(motors=(
    DriveMotor(motor_no=2, state=1, controller_temperature_c=50, speed_rpm=2000, torque_nm=40.0,
               temperature_c=45, controller_voltage_v=360.0, controller_current_a=24.0),
    DriveMotor(motor_no=1, state=0, controller_temperature_c=20, speed_rpm=0, torque_nm=0.0,
               temperature_c=20, controller_voltage_v=360.0, controller_current_a=ABN)))

FUEL_CELL = ("03"
             "0F A0"       # voltage 4000 × 0.1 = 400.0 V
             "01 F4"       # current 500 × 0.1 = 50.0 A (no offset)
             "00 C8"       # consumption 200 × 0.01 = 2.0 kg/100 km
             "00 03"       # three probes
             "3C 41 FE"    # 20 °C, 25 °C, abnormal
             "03 84 02"    # H2 max temperature 900 × 0.1 − 40 = 50.0 °C at probe 2
             "01 2C 01"    # H2 max concentration 300 mg/kg at sensor 1
             "01 90 03"    # H2 max pressure 400 × 0.1 = 40.0 MPa at sensor 3
             "01")         # high-voltage DC/DC working
FUEL_CELL_MODEL = FuelCell(
    voltage_v=400.0, current_a=50.0, fuel_consumption_kg_per_100km=2.0,
    probe_temperatures_c=(20, 25, ABN), hydrogen_max_temperature_c=50.0,
    hydrogen_max_temperature_probe_no=2, hydrogen_max_concentration_mg_per_kg=300,
    hydrogen_max_concentration_sensor_no=1, hydrogen_max_pressure_mpa=40.0,
    hydrogen_max_pressure_sensor_no=3, dcdc_state=1)

ENGINE = "04 01 0B B8 01 90"  # running, 3000 rpm, 400 × 0.01 = 4.0 L/100 km
ENGINE_MODEL = Engine(state=1, crankshaft_speed_rpm=3000, fuel_consumption_l_per_100km=4.0)

POSITION = "05 00 06 F0 14 48 02 61 13 EF"  # valid fix, N/E, 116.397128 E, 39.916527 N
POSITION_MODEL = Position(status=0, longitude_deg=116.397128, latitude_deg=39.916527)

EXTREMES = ("06"
            "01 02 0E 11"  # highest cell: subsystem 1, cell 2, 3601 mV
            "01 03 0E 0F"  # lowest cell: subsystem 1, cell 3, 3599 mV
            "01 01 42"     # highest temperature: subsystem 1, probe 1, 66 − 40 = 26 °C
            "01 02 41")    # lowest temperature: subsystem 1, probe 2, 25 °C
EXTREMES_MODEL = Extremes(
    max_voltage_subsystem_no=1, max_voltage_cell_no=2, max_cell_voltage_mv=3601,
    min_voltage_subsystem_no=1, min_voltage_cell_no=3, min_cell_voltage_mv=3599,
    max_temperature_subsystem_no=1, max_temperature_probe_no=1, max_temperature_c=26,
    min_temperature_subsystem_no=1, min_temperature_probe_no=2, min_temperature_c=25)

ALARM = ("07 01"           # level 1
         "00 04 08 00"     # flags: bits 11 (insulation) and 18 (over-charge), §8.7 worked value
         "01 00 00 00 2A"  # one battery fault code
         "00 00"           # no motor, no engine codes
         "02 12 34 56 78 9A BC DE F0")  # two other codes
ALARM_MODEL = Alarm(max_level=1, general_flags=0x00040800, battery_fault_codes=(0x2A,),
                    motor_fault_codes=(), engine_fault_codes=(),
                    other_fault_codes=(0x12345678, 0x9ABCDEF0))

CELLS = ("08 01"           # one subsystem
         "01"              # subsystem 1
         "0D 48"           # 340.0 V
         "27 74"           # 10100 × 0.1 − 1000 = 10.0 A (−3000 would give −1990.0 A)
         "00 60 00 01"     # 96 cells in total, this slice starts at cell 1
         "05"              # five cells in this frame
         "0C E4 0C FF FF 00 0C E3 FF FE")  # 3300, 3327, 65280 (no sentinel), 3299, abnormal
CELLS_MODEL = CellVoltages(subsystems=(CellVoltageSubsystem(
    subsystem_no=1, voltage_v=340.0, current_a=10.0, cell_total=96, first_cell_index=1,
    cell_voltages_mv=(3300, 3327, 65280, 3299, ABN)),))

PROBES = "09 01 01 00 03 41 42 FF"  # subsystem 1, three probes: 25 °C, 26 °C, invalid
PROBES_MODEL = ProbeTemperatures(subsystems=(
    ProbeSubsystem(subsystem_no=1, temperatures_c=(25, 26, INV)),))

ALL_BLOCKS = [(VEHICLE, VEHICLE_MODEL), (MOTORS, MOTORS_MODEL), (FUEL_CELL, FUEL_CELL_MODEL),
              (ENGINE, ENGINE_MODEL), (POSITION, POSITION_MODEL), (EXTREMES, EXTREMES_MODEL),
              (ALARM, ALARM_MODEL), (CELLS, CELLS_MODEL), (PROBES, PROBES_MODEL)]

EDGE_BLOCKS = [
    (VEHICLE_SENTINELS, VEHICLE_SENTINELS_MODEL),
    ("02 FF", DriveMotors(motors=(), motor_count_raw=0xFF)),   # sentinel count, no records
    ("02 00", DriveMotors(motors=())),
    ("03 FF FF FF FE 00 00"   # voltage invalid, current abnormal, 0.0 kg/100 km
     "FF FF"                  # probe count invalid: no temperatures follow
     "00 00 FE FF FE FF FF FF FF FF",  # −40.0 °C at probe abnormal, then sentinels
     FuelCell(voltage_v=INV, current_a=ABN, fuel_consumption_kg_per_100km=0.0,
              probe_temperatures_c=(), hydrogen_max_temperature_c=-40.0,
              hydrogen_max_temperature_probe_no=ABN, hydrogen_max_concentration_mg_per_kg=ABN,
              hydrogen_max_concentration_sensor_no=INV, hydrogen_max_pressure_mpa=INV,
              hydrogen_max_pressure_sensor_no=INV, dcdc_state=INV, probe_count_raw=0xFFFF)),
    ("04 FE FF FF FF FE", Engine(state=ABN, crankshaft_speed_rpm=INV,
                                 fuel_consumption_l_per_100km=ABN)),
    # West and south (status bits 2 and 1): 58.381592 W, 34.603722 S.
    ("05 06 03 7A D5 18 02 10 02 CA",
     Position(status=0x06, longitude_deg=-58.381592, latitude_deg=-34.603722)),
    # Invalid fix with reserved bits 3-7 set and a west bit on zero: kept, and 0.0 not −0.0.
    ("05 FD 00 00 00 00 FF FF FF FF",
     Position(status=0xFD, longitude_deg=0.0, latitude_deg=INV)),
    ("06 FE FF FF FE FF FE FF FF FF FE FF FE FF 00",
     Extremes(max_voltage_subsystem_no=ABN, max_voltage_cell_no=INV, max_cell_voltage_mv=ABN,
              min_voltage_subsystem_no=INV, min_voltage_cell_no=ABN, min_cell_voltage_mv=INV,
              max_temperature_subsystem_no=INV, max_temperature_probe_no=ABN,
              max_temperature_c=INV, min_temperature_subsystem_no=ABN,
              min_temperature_probe_no=INV, min_temperature_c=-40)),
    # §8.7 worked values: 00000005 -> bits 0 and 2, no codes at all (the usual block).
    ("07 02 00 00 00 05 00 00 00 00",
     Alarm(max_level=2, general_flags=5, battery_fault_codes=(), motor_fault_codes=(),
           engine_fault_codes=(), other_fault_codes=())),
    # 80000001 -> bit 0 and reserved bit 31 (kept); counts 0xFF and 0xFE: no lists follow.
    ("07 FE 80 00 00 01 FF 00 FE 01 00 00 00 07",
     Alarm(max_level=ABN, general_flags=0x80000001, battery_fault_codes=(),
           motor_fault_codes=(), engine_fault_codes=(), other_fault_codes=(7,),
           battery_fault_count_raw=0xFF, engine_fault_count_raw=0xFE)),
    # Level 0 with a code only in the "other" list, as real frames do (§8.7).
    ("07 00 00 00 00 00 00 00 00 01 00 01 00 02",
     Alarm(max_level=0, general_flags=0, battery_fault_codes=(), motor_fault_codes=(),
           engine_fault_codes=(), other_fault_codes=(0x00010002,))),
    ("08 FE", CellVoltages(subsystems=(), subsystem_count_raw=0xFE)),
    # Subsystem current 0xFFFF and 0xFFFE are states; a sentinel cell count carries no list.
    ("08 02 02 0D 48 FF FF 00 60 00 61 FF 03 FF FF FF FE FF FF FF FE 00",
     CellVoltages(subsystems=(
         CellVoltageSubsystem(subsystem_no=2, voltage_v=340.0, current_a=INV, cell_total=96,
                              first_cell_index=97, cell_voltages_mv=(), cell_count_raw=0xFF),
         CellVoltageSubsystem(subsystem_no=3, voltage_v=INV, current_a=ABN, cell_total=INV,
                              first_cell_index=ABN, cell_voltages_mv=())))),
    ("09 FF", ProbeTemperatures(subsystems=(), subsystem_count_raw=0xFF)),
]


@pytest.mark.parametrize(("block_hex", "expected"), ALL_BLOCKS + EDGE_BLOCKS)
def test_block_decodes_and_reencodes(block_hex: str, expected: Block) -> None:
    data_unit = hexbytes(TIME, block_hex)
    report = decode(data_unit)
    assert report.undecoded_reason is None
    assert report.blocks == (expected,)
    assert encode_realtime(report, Edition.V2016) == data_unit


@pytest.mark.parametrize(("block_hex", "expected"), ALL_BLOCKS + EDGE_BLOCKS)
def test_block_codec_directly(block_hex: str, expected: Block) -> None:
    block = hexbytes(block_hex)
    codec = {codec.type_id: codec for codec in BLOCKS_2016}[block[0]]
    assert codec.decode(block, 1) == (expected, len(block))
    assert codec.encode(expected) == block[1:]


def test_block_table_covers_every_2016_type_once() -> None:
    assert [codec.type_id for codec in BLOCKS_2016] == list(range(0x01, 0x0A))
    assert len({codec.block_type for codec in BLOCKS_2016}) == len(BLOCKS_2016)


def test_whole_data_unit_in_any_order() -> None:
    # A real vehicle sends 0x09 before 0x08 (§8); a user block sits in the middle.
    blocks = [VEHICLE, MOTORS, POSITION, EXTREMES, ALARM, PROBES, "81 00 02 AB CD", CELLS,
              FUEL_CELL, ENGINE]
    data_unit = hexbytes(TIME, *blocks)
    report = decode(data_unit)
    assert report.collected_at == COLLECTED_AT
    assert report.undecoded is None
    assert report.blocks == (VEHICLE_MODEL, MOTORS_MODEL, POSITION_MODEL, EXTREMES_MODEL,
                             ALARM_MODEL, PROBES_MODEL,
                             UserDefinedBlock(block_type=0x81, data=Hex(hexbytes("AB CD"))),
                             CELLS_MODEL, FUEL_CELL_MODEL, ENGINE_MODEL)
    assert encode_realtime(report, Edition.V2016) == data_unit


def test_96_cells_in_one_frame() -> None:
    cells = ("08 01 01 0D 48 27 10 00 60 00 01 60"  # 340.0 V, 0.0 A, 96 cells from cell 1
             + " 0C E4" * 95 + " FF FF")            # 95 × 3300 mV, the last invalid
    data_unit = hexbytes(TIME, cells)
    (block,) = decode(data_unit).blocks
    assert isinstance(block, CellVoltages)
    assert block.subsystems[0].cell_voltages_mv == (3300,) * 95 + (INV,)
    assert encode_realtime(decode(data_unit), Edition.V2016) == data_unit


def test_sentinel_motor_count_reads_no_records() -> None:
    # Count 0xFE: the next byte is already the engine block's type, not a motor record.
    data_unit = hexbytes(TIME, "02 FE", ENGINE)
    report = decode(data_unit)
    assert report.blocks == (DriveMotors(motors=(), motor_count_raw=0xFE), ENGINE_MODEL)
    assert encode_realtime(report, Edition.V2016) == data_unit


@pytest.mark.parametrize("block", [block for block, _ in ALL_BLOCKS])
def test_truncated_block_is_kept_raw(block: str) -> None:
    data_unit = hexbytes(TIME, VEHICLE, block)[:-1]
    report = decode(data_unit)
    assert report.blocks == (VEHICLE_MODEL,)
    assert report.undecoded_reason == "truncated_block"
    assert encode_realtime(report, Edition.V2016) == data_unit


def test_2025_only_types_stop_a_2016_data_unit() -> None:
    data_unit = hexbytes(TIME, ENGINE, "30 01 02 03")  # 0x30 is reserved in 2016
    report = decode(data_unit)
    assert report.blocks == (ENGINE_MODEL,)
    assert report.undecoded_reason == "unknown_block_type"
    assert encode_realtime(report, Edition.V2016) == data_unit


# ---- decoded properties and vocabulary ----------------------------------------------------------

@pytest.mark.parametrize(("gear", "position", "driving", "braking"), [
    (0x3E, 14, True, True),    # §8.1 example: driving + braking force, D
    (0x1F, 15, False, True),   # §8.1 example: braking force, P
    (0x0D, 13, False, False),  # reverse
    (0xC1, 1, False, False),   # reserved bits 7-6 set: kept in ``gear``, ignored here
])
def test_gear_byte(gear: int, position: int, driving: bool, braking: bool) -> None:
    vehicle = msgspec.structs.replace(VEHICLE_MODEL, gear=gear)
    assert (vehicle.gear_position, vehicle.driving_force, vehicle.braking_force) == (
        position, driving, braking)
    assert encode_realtime(RealtimeData(collected_at=COLLECTED_AT, blocks=(vehicle,)),
                           Edition.V2016)[6 + 16] == gear


def test_gear_names_cover_every_position() -> None:
    assert sorted(GEAR_POSITION_NAMES) == list(range(16))
    assert GEAR_POSITION_NAMES[14] == ("自动D挡", "drive")


@pytest.mark.parametrize(("brake", "pressed"), [
    (0, False), (35, True), (100, True), (0x65, True), (102, None), (ABN, None), (INV, None)])
def test_brake_pedal(brake: int | Sentinel, pressed: bool | None) -> None:
    assert msgspec.structs.replace(VEHICLE_MODEL, brake_pedal=brake).brake_pressed is pressed


def test_position_bits_and_builder() -> None:
    assert POSITION_MODEL.fix_valid
    south_west = Position.at(-58.381592, -34.603722, fix_valid=False)
    assert south_west == Position(status=0x07, longitude_deg=-58.381592, latitude_deg=-34.603722)
    assert not south_west.fix_valid
    assert Position(status=0xFD, longitude_deg=0.0, latitude_deg=0.0).reserved_bits == 0xF8


@pytest.mark.parametrize(("flags", "bits"), [
    (0x00000005, (0, 2)), (0x00040800, (11, 18)), (0x80000001, (0, 31)), (0, ())])
def test_alarm_flag_bits(flags: int, bits: tuple[int, ...]) -> None:
    assert active_bits(flags) == bits
    assert msgspec.structs.replace(ALARM_MODEL, general_flags=flags).active_flag_bits == bits


@pytest.mark.parametrize(("raw", "temperatures"), [
    (b"", ()), (b"\x28", (0,)), (b"\x00\xfe\xff\xfd", (-40, ABN, INV, 213))])
def test_byte_temperatures(raw: bytes, temperatures: tuple[int | Sentinel, ...]) -> None:
    assert byte_temperatures(raw) == temperatures


def test_json_shape() -> None:
    document = msgspec.json.decode(msgspec.json.encode(VEHICLE_SENTINELS_MODEL))
    assert document["kind"] == "vehicle"
    assert document["speed_kmh"] == "invalid"
    assert document["insulation_kohm"] == 65535
    assert msgspec.json.decode(msgspec.json.encode(CELLS_MODEL))["subsystems"][0][
        "cell_voltages_mv"] == [3300, 3327, 65280, 3299, "abnormal"]


# ---- the encoder refuses what the wire cannot carry --------------------------------------------

_SUBSYSTEM = CELLS_MODEL.subsystems[0]


@pytest.mark.parametrize("block", [
    msgspec.structs.replace(VEHICLE_MODEL, speed_kmh=6553.4),        # raw 0xFFFE = "abnormal"
    msgspec.structs.replace(VEHICLE_MODEL, total_current_a=-1000.1),  # below raw 0
    msgspec.structs.replace(VEHICLE_MODEL, gear=0x100),
    msgspec.structs.replace(VEHICLE_MODEL, insulation_kohm=0x10000),
    msgspec.structs.replace(POSITION_MODEL, longitude_deg=-1.0),     # sign vs status bit 2
    msgspec.structs.replace(POSITION_MODEL, status=0x02),            # south bit, positive lat
    msgspec.structs.replace(MOTORS_MODEL, motors=MOTORS_MODEL.motors * 127),  # count 0xFE
    msgspec.structs.replace(MOTORS_MODEL, motor_count_raw=0xFF),     # sentinel with records
    DriveMotors(motors=(), motor_count_raw=3),                       # not a sentinel
    msgspec.structs.replace(ENGINE_MODEL, crankshaft_speed_rpm=-1),
    msgspec.structs.replace(ALARM_MODEL, general_flags=1 << 32),
    msgspec.structs.replace(ALARM_MODEL, other_fault_codes=(1 << 32,)),
    msgspec.structs.replace(CELLS_MODEL, subsystem_count_raw=0xFE),  # sentinel with a list
    msgspec.structs.replace(CELLS_MODEL, subsystems=(msgspec.structs.replace(
        _SUBSYSTEM, cell_voltages_mv=(3300, 0xFFFE)),)),             # a number in sentinel range
    msgspec.structs.replace(CELLS_MODEL, subsystems=(msgspec.structs.replace(
        _SUBSYSTEM, cell_voltages_mv=(3300.5,)),)),                  # not whole millivolts
    msgspec.structs.replace(FUEL_CELL_MODEL, probe_temperatures_c=(214,)),  # raw 0xFE
])
def test_encoder_refuses_what_the_wire_cannot_carry(block: Block) -> None:
    with pytest.raises(ValueOutOfRange):
        encode_realtime(RealtimeData(collected_at=COLLECTED_AT, blocks=(block,)), Edition.V2016)


# ---- properties ----------------------------------------------------------------------------------

def _encode_one(block: Block) -> bytes:
    return encode_realtime(RealtimeData(collected_at=COLLECTED_AT, blocks=(block,)),
                           Edition.V2016)


@settings(max_examples=300, deadline=None)
@given(blocks_2016())
def test_block_round_trip(block: Block) -> None:
    assert decode(_encode_one(block)).blocks == (block,)
    assert msgspec.json.decode(msgspec.json.encode(block), type=type(block)) == block


@settings(max_examples=150, deadline=None)
@given(realtime_2016())
def test_data_unit_round_trip(report: RealtimeData) -> None:
    data_unit = encode_realtime(report, Edition.V2016)
    decoded = decode(data_unit)
    assert decoded == report
    assert encode_realtime(decoded, Edition.V2016) == data_unit


@settings(max_examples=300, deadline=None)
@given(data_unit_bytes_2016())
def test_wire_bytes_round_trip(data_unit: bytes) -> None:
    report = decode(data_unit)
    assert report.undecoded is None
    assert encode_realtime(report, Edition.V2016) == data_unit


@settings(max_examples=200, deadline=None)
@given(data_unit_bytes_2016(), st.data())
def test_damaged_data_unit_reencodes_byte_exactly(data_unit: bytes, data: st.DataObject
                                                  ) -> None:
    """Overwrite some bytes after the time and maybe cut the end: whatever the decoder makes of
    it (other values, unknown types, truncation), encoding gives the damaged bytes back."""
    damaged = bytearray(data_unit)
    for _ in range(data.draw(st.integers(0, 4))):
        if len(damaged) > 6:
            damaged[data.draw(st.integers(6, len(damaged) - 1))] = data.draw(st.integers(0, 0xFF))
    damaged_unit = bytes(damaged[:data.draw(st.integers(6, len(damaged)))])
    assert encode_realtime(decode(damaged_unit), Edition.V2016) == damaged_unit
