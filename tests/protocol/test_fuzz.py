"""Fuzzing the frame decoder with hypothesis (50 000 examples in total, about a minute on 2 cores).

Two invariants on any input: ``decode_frame`` raises nothing but ``ProtocolError`` subclasses,
and a frame that decodes re-encodes to exactly the bytes it came from (§13). Random bytes
rarely survive the envelope checks, so most examples are frames whose data unit was damaged
(bytes changed, inserted, deleted; command, flag or edition swapped) and whose length field and
BCC were then fixed, which sends them into the body and block decoders. For long runs see
bench/fuzz_atheris.py.
"""

from __future__ import annotations

import random
from functools import reduce
from operator import xor

import pytest
from golden_frames import GOLDEN
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from strategies_frames import REGISTERED, frames

from bench.sample_frames import BENCH_FRAMES
from gateway.protocol.codec import decode_frame, encode_frame
from gateway.protocol.errors import ProtocolError
from gateway.protocol.frame import Frame
from gateway.protocol.framer import StreamFramer

pytestmark = pytest.mark.slow

# Example counts per test; they add up to 50 000.
ARBITRARY, ENVELOPED, CORPUS_MUTATIONS, FRAME_MUTATIONS = 10_000, 16_000, 20_000, 4_000


def fuzz_settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def decodes_losslessly(wire: bytes) -> bool:
    """False when the decoder rejects the bytes with a typed error; any other exception, or a
    frame that does not re-encode to ``wire``, fails the test."""
    try:
        frame = decode_frame(wire)
    except ProtocolError as error:
        event(error.code)      # --hypothesis-show-statistics shows how far inputs got
        return False
    event(f"decoded: {type(frame.body).__name__}")
    assert encode_frame(frame) == wire
    return True


def seal(header: bytes | bytearray, data_unit: bytes | bytearray) -> bytes:
    """Write the data-unit length into the 24-byte header and append the BCC (§2, §2.1)."""
    head = bytearray(header)
    head[22:24] = len(data_unit).to_bytes(2, "big")
    body = bytes(head) + bytes(data_unit)
    return body + bytes((reduce(xor, body[2:], 0),))


COMMANDS = sorted({command for _, command, _ in REGISTERED} | {0x00, 0x0C, 0x7F, 0xC0, 0xFE, 0xFF})
FLAGS = (0xFE, 0x01, 0x02, 0x03, 0x07, 0x00, 0xFF)
# Mostly 0x01; 0x00/0xFE/0xFF are read as plaintext, AES/SM4 kept as ciphertext without a key (§5).
ENCRYPTIONS = (0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0xFE, 0xFF, 0x03, 0x05)
UNIQUE_IDS = (b"LTESTVIN000000001", b"123456789" + bytes(8), b"LTEST" + b" " * 12,
              b"\x80" * 17)
HEADERS = [marker + bytes((command, flag)) + unique_id + bytes((encryption,)) + b"\0\0"
           for marker in (b"##", b"$$") for command in COMMANDS for flag in FLAGS
           for unique_id in UNIQUE_IDS for encryption in ENCRYPTIONS]
"""Every combination of edition, command, flag, id style and encryption byte, drawn as one
choice so each example costs hypothesis a single draw for its header."""

INTERESTING_BYTES = (0x00, 0x01, 0x7F, 0x80, 0xFD, 0xFE, 0xFF)
CORPUS = sorted({golden.wire for golden in GOLDEN} | set(BENCH_FRAMES.values()))
seeds = st.integers(0, 2**32 - 1)


def damage(wire: bytes, seed: int) -> bytes:
    """``wire`` with 1-4 bytes changed, inserted or deleted in its data unit and sometimes a
    swapped command, flag or marker; length and BCC fixed so it passes the envelope checks.

    The damage comes from a seeded RNG rather than from one hypothesis draw per byte: that keeps
    an example under a millisecond, and the seed in a failure report reproduces it exactly.
    """
    rng = random.Random(seed)
    header, data = bytearray(wire[:24]), bytearray(wire[24:-1])
    for _ in range(rng.randint(1, 4)):
        operation = rng.choice(("set", "set", "insert", "delete"))
        pos = rng.randint(0, len(data))
        if operation == "insert":
            data[pos:pos] = rng.randbytes(rng.randint(1, 8))
        elif operation == "delete":
            del data[pos:pos + rng.randint(1, 8)]
        elif data:
            value = rng.choice(INTERESTING_BYTES) if rng.random() < 0.5 else rng.randrange(256)
            data[min(pos, len(data) - 1)] = value
    swap = rng.randrange(10)
    if swap == 0:
        header[2] = rng.choice(COMMANDS)                         # another command's decoder
    elif swap == 1:
        header[3] = rng.choice(FLAGS)                            # request <-> reply decoder
    elif swap == 2:
        header[0:2] = b"$$" if header[0:2] == b"##" else b"##"   # the other edition's tables
    return seal(header, data)


@fuzz_settings(ARBITRARY)
@given(prefix=st.sampled_from((b"", b"##", b"$$")), data=st.binary(max_size=160),
       chunk=st.integers(1, 64))
def test_arbitrary_bytes(prefix: bytes, data: bytes, chunk: int) -> None:
    wire = prefix + data
    decodes_losslessly(wire)
    framer = StreamFramer()
    for start in range(0, len(wire), chunk):
        for frame in framer.feed(wire[start:start + chunk]):
            decodes_losslessly(frame)


@fuzz_settings(ENVELOPED)
@given(header=st.sampled_from(HEADERS), data_unit=st.binary(max_size=120),
       plausible_time=st.booleans())
def test_random_data_unit_in_a_valid_envelope(header: bytes, data_unit: bytes,
                                              plausible_time: bool) -> None:
    if plausible_time:
        # 2024-05-01 08:30:00 first, so the decoders get past the time more often (§6.1).
        data_unit = bytes((24, 5, 1, 8, 30, 0)) + data_unit
    decodes_losslessly(seal(header, data_unit))


@fuzz_settings(CORPUS_MUTATIONS)
@given(wire=st.sampled_from(CORPUS), seed=seeds)
def test_damaged_hand_built_frames(wire: bytes, seed: int) -> None:
    decodes_losslessly(damage(wire, seed))


@fuzz_settings(FRAME_MUTATIONS)
@given(frame=frames(), seed=seeds)
def test_damaged_generated_frames(frame: Frame, seed: int) -> None:
    decodes_losslessly(damage(encode_frame(frame), seed))


def test_the_damage_reaches_the_body_decoders() -> None:
    """The length/BCC fix-up works: a damaged frame passes the envelope, a sealed one decodes."""
    logout = GOLDEN[0].wire
    assert seal(logout[:24], logout[24:-1]) == logout
    truncated = seal(logout[:24], logout[24:-2])
    with pytest.raises(ProtocolError) as caught:
        decode_frame(truncated)
    assert caught.value.code == "peer.truncated_data_unit"
