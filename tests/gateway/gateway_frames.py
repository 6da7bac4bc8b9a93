"""Hand-built request frames and the exact answers PROTOCOL.md §6.2 / §15 prescribe.

Requests go through ``build`` (an XOR written here, not the project's encoder); the expected
answers are hex literals whose BCC was worked out by hand (XOR of command .. last data byte).
"""

from __future__ import annotations

import functools
import operator

VIN1 = "LTESTVIN000000001"
VIN2 = "LTESTVIN000000002"
PLATFORM_CODE = "PLATFORM000000001"
PLATFORM_USER = "oem-link"
PLATFORM_PASSWORD = "s3cret"
VIN1_HEX = "4C 54 45 53 54 56 49 4E 30 30 30 30 30 30 30 30 31"   # XOR of the 17 bytes = 3A
VIN2_HEX = "4C 54 45 53 54 56 49 4E 30 30 30 30 30 30 30 30 32"   # XOR = 39
PLATFORM_HEX = "50 4C 41 54 46 4F 52 4D 30 30 30 30 30 30 30 30 31"
TIME = "18 05 01 08 1E 00"                   # 2024-05-01 08:30:00 (UTC+8), §6.1
ICCID = "38 39 38 36 30 31 31 37 38 35 31 30 31 34 37 38 33 32 36 31"   # "89860117851014783261"
POSITION_2016 = "05 00 06 F0 14 48 02 61 13 EF"  # §8.5: valid fix, 116.397128 E, 39.916527 N
POSITION_2025 = "05 00 01 06 F0 14 48 02 61 13 EF"  # §14.4: + coordinate system 0x01 WGS-84

V2016, V2025 = "23 23", "24 24"
COMMAND = 0xFE


def build(command: int, data_hex: str = "", *, vin: str = VIN1, marker: str = V2016,
          flag: int = COMMAND, encryption: int = 0x01) -> bytes:
    data = bytes.fromhex(data_hex)
    body = (bytes((command, flag)) + vin.encode("ascii") + bytes((encryption,))
            + len(data).to_bytes(2, "big") + data)
    return bytes.fromhex(marker) + body + bytes((functools.reduce(operator.xor, body, 0),))


def login(vin: str = VIN1, marker: str = V2016, serial: str = "00 01") -> bytes:
    if marker == V2016:
        return build(0x01, f"{TIME} {serial} {ICCID} 01 00", vin=vin, marker=marker)  # n=1, m=0
    return build(0x01, f"{TIME} {serial} {ICCID} 00", vin=vin, marker=marker)     # no BMS (§14.3)


def realtime(vin: str = VIN1, marker: str = V2016, command: int = 0x02) -> bytes:
    block = POSITION_2016 if marker == V2016 else POSITION_2025
    return build(command, f"{TIME} {block}", vin=vin, marker=marker)


def logout(vin: str = VIN1) -> bytes:
    return build(0x04, f"{TIME} 00 01", vin=vin)


def platform_login(password: str = PLATFORM_PASSWORD) -> bytes:
    username = PLATFORM_USER.encode().ljust(12, b"\0").hex()
    secret = password.encode().ljust(20, b"\0").hex()
    return build(0x05, f"{TIME} 00 01 {username} {secret} 01", vin=PLATFORM_CODE)


def platform_logout() -> bytes:
    return build(0x06, f"{TIME} 00 01", vin=PLATFORM_CODE)


def heartbeat(vin: str = VIN1) -> bytes:
    return build(0x07, vin=vin)


def time_request(vin: str = VIN1) -> bytes:
    return build(0x08, vin=vin)


def h(text: str) -> bytes:
    return bytes.fromhex(text)


# ---- answers (§6.2: flag set, request time echoed, N = 6, BCC recomputed) --------------------
LOGIN_OK = h(f"23 23 01 01 {VIN1_HEX} 01 00 06 {TIME} 37")
LOGIN_ERROR = h(f"23 23 01 02 {VIN1_HEX} 01 00 06 {TIME} 34")
LOGIN_DUPLICATE = h(f"23 23 01 03 {VIN1_HEX} 01 00 06 {TIME} 35")
LOGIN_UNKNOWN_2025 = h(f"24 24 01 04 {VIN1_HEX} 01 00 06 {TIME} 32")   # §14.2 flag 0x04
REALTIME_ERROR = h(f"23 23 02 02 {VIN1_HEX} 01 00 06 {TIME} 37")
REALTIME_OK = h(f"23 23 02 01 {VIN1_HEX} 01 00 06 {TIME} 34")
REALTIME_STRUCTURE_2025 = h(f"24 24 02 06 {VIN1_HEX} 01 00 06 {TIME} 33")  # §14.2 flag 0x06
LOGOUT_OK = h(f"23 23 04 01 {VIN1_HEX} 01 00 06 {TIME} 32")          # = §15 reply
PLATFORM_OK = h(f"23 23 05 01 {PLATFORM_HEX} 01 00 06 {TIME} 27")
PLATFORM_ERROR = h(f"23 23 05 02 {PLATFORM_HEX} 01 00 06 {TIME} 24")
PLATFORM_LOGOUT_OK = h(f"23 23 06 01 {PLATFORM_HEX} 01 00 06 {TIME} 24")
HEARTBEAT_OK = h(f"23 23 07 01 {VIN1_HEX} 01 00 00 3D")                 # N = 0
# 0x08 carries the platform clock: 2024-06-02 12:00:05 UTC = 20:00:05 UTC+8.
TIME_OK = h(f"23 23 08 01 {VIN1_HEX} 01 00 06 18 06 02 14 00 05 39")
