"""Hand-built frames for the ingest tests (PROTOCOL.md §2, §7, §8, §14.4).

Data units are hex written from the field tables, with comments; ``wire`` adds the 24-byte
header and the BCC with its own XOR (not the codec's encoder). ``accepted`` decodes them with
the codec, as the gateway would, and wraps them the way the gateway hands them to the sink.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import reduce
from operator import xor

from gateway.protocol.codec import decode_frame
from gateway.protocol.crypto import KeyRing
from gateway.server.interfaces import AcceptedFrame, FrameKind

VIN = "LNGTEST0000000001"
T = "18 05 01 08 1E 00"                       # §6.1: 2024-05-01 08:30:00 UTC+8
AT = datetime(2024, 5, 1, 0, 30, tzinfo=UTC)
RECEIVED = datetime(2024, 5, 1, 0, 30, 2, 123456, tzinfo=UTC)

# 0x01 (2016, 20 bytes): started, not charging, electric, 65.2 km/h, 123456.7 km, 355.1 V,
# raw 9870 = -13.0 A (-1000 A offset), SOC 76, DC-DC on, gear 0x2E, 4200 kΩ, pedal 20, brake 0
VEHICLE_2016 = "01 01 03 01 028C 0012D687 0DDF 268E 4C 01 2E 1068 14 00"
# the same with speed invalid (FFFF) and SOC abnormal (FE), §8.0
VEHICLE_2016_SENTINELS = "01 01 03 01 FFFF 0012D687 0DDF 268E FE 01 2E 1068 14 00"
# 0x02 (2016): one motor: no 1, consuming, 35 °C, 3500 rpm, 35.0 N·m, 28 °C, 355.1 V, 0 A
MOTORS_2016 = "02 01 01 01 4B 5BCC 4F7E 44 0DDF 2710"
# 0x04 (2016): running, 3000 rpm, 6.00 L/100 km
ENGINE_2016 = "04 01 0BB8 0258"
# 0x05 (2016): status 0x04 = valid fix, west longitude; 122.419416 W, 37.774929 N
POSITION_2016 = "05 04 074BF8D8 02406651"
# 0x06 (2016): max 3712 mV (sub 1 cell 17), min 3690 mV (sub 1 cell 42),
# max 28 °C (sub 1 probe 3), min 23 °C (sub 1 probe 9)
EXTREMES_2016 = "06 01 11 0E80 01 2A 0E6A 01 03 44 01 09 3F"
# 0x07 (2016): level 2, flags bits 11 + 18, battery code ABCD, no motor/engine codes,
# two other codes
ALARM_2016 = "07 02 00040800 01 0000ABCD 00 00 02 12345678 DEADBEEF"
# 0x08 (2016): 1 subsystem, 355.1 V, -13.0 A, 96 cells, first 1, 4 cells here:
# 3700, 3701, 3699 mV and abnormal (FFFE)
CELLS_2016 = "08 01 01 0DDF 268E 0060 0001 04 0E74 0E75 0E73 FFFE"
# 0x09 (2016): 1 subsystem, 3 probes: 25 °C, 26 °C, invalid (FF)
PROBES_2016 = "09 01 01 0003 41 42 FF"
# 0x80 OEM block with a length WORD (§8.10)
USER_BLOCK = "80 0003 AABBCC"

# 0x01 (2025, 18 bytes): as above without pedals; -13.0 A is raw 29870 (-3000 A offset),
# insulation abnormal (FFFE, §14.4)
VEHICLE_2025 = "01 01 03 01 028C 0012D687 0DDF 74AE 4C 01 2E FFFE"
# 0x05 (2025): valid fix, GCJ-02 (02), 116.397128 E, 39.916527 N
POSITION_2025 = "05 00 02 06F01448 026113EF"
# 0x06 (2025 alarm): level 3, flags bits 0 + 23, four empty lists, N5 = 2: bit 0 level 1,
# bit 23 level 3
ALARM_2025 = "06 03 00800001 00 00 00 00 02 00 01 17 03"
# 0x07 (2025): pack 1, 355.1 V, -13.0 A, 3 units: 3700, 3701, 3699 mV
CELLS_2025 = "07 01 01 0DDF 74AE 0003 0E74 0E75 0E73"
# 0x08 (2025 temperatures): 1 subsystem, 2 probes: 25 °C, 26 °C
PROBES_2025 = "08 01 01 0002 41 42"
# 0xFF signature: SM2, R and S of 2 bytes each (shape only, §14.5)
SIGNATURE_2025 = "FF 01 0002 AAAA 0002 BBBB"

REALTIME_2016_FULL = " ".join((T, VEHICLE_2016, MOTORS_2016, ENGINE_2016, POSITION_2016,
                               EXTREMES_2016, ALARM_2016, CELLS_2016, PROBES_2016, USER_BLOCK))
REALTIME_2016_SENTINELS = " ".join((T, VEHICLE_2016_SENTINELS, CELLS_2016, PROBES_2016))
REALTIME_2025_FULL = " ".join((T, VEHICLE_2025, POSITION_2025, ALARM_2025, CELLS_2025,
                               PROBES_2025, SIGNATURE_2025))
# §6.1 month 13: an impossible collection time
REALTIME_BAD_TIME = " ".join(("18 0D 01 08 1E 00", VEHICLE_2016))
# 0x30-0x7F is reserved in 2016: decoding stops there and keeps the rest raw (§8)
REALTIME_UNKNOWN_TAIL = " ".join((T, VEHICLE_2016, "31 0102"))
# §7.1: time, serial 1, ICCID, 1 code of 4 bytes "BAT1"
LOGIN_2016 = " ".join((T, "0001", "3839383630303132333435363738393031323334", "01 04",
                       "42415431"))
LOGOUT = " ".join((T, "0001"))                 # §7.2: time, serial 1


def wire(marker: str, command: int, data_unit: str, vin: str = VIN, *, flag: int = 0xFE,
         encryption: int = 0x01) -> bytes:
    """§2: marker, command, flag, VIN, encryption, length, data, BCC (XOR §2.1)."""
    data = bytes.fromhex(data_unit)
    body = (bytes((command, flag)) + vin.encode("ascii") + bytes((encryption,))
            + len(data).to_bytes(2, "big") + data)
    return marker.encode("ascii") + body + bytes((reduce(xor, body, 0),))


def accepted(raw: bytes, *, tenant: str = "acme", received_at: datetime = RECEIVED,
             kind: FrameKind = FrameKind.REALTIME, keys: KeyRing | None = None) -> AcceptedFrame:
    frame = decode_frame(raw, keys=keys)
    return AcceptedFrame(tenant=tenant, vin=frame.unique_id, received_at=received_at, raw=raw,
                         frame=frame, connection_id="c1", peer="127.0.0.1:5000", kind=kind)


def realtime_at(vin: str, second: int, *, soc_pct: int = 76, command: int = 0x02) -> bytes:
    """A small 2016 realtime frame collected ``second`` seconds after ``AT`` (distinct rows)."""
    at = AT + timedelta(seconds=second) + timedelta(hours=8)   # wire time is UTC+8 (§6.1)
    time_hex = bytes((at.year - 2000, at.month, at.day, at.hour, at.minute, at.second)).hex()
    vehicle = VEHICLE_2016.replace(" 4C ", f" {soc_pct:02X} ")
    return wire("##", command, " ".join((time_hex, vehicle, POSITION_2016)), vin)
