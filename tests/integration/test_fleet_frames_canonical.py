"""Raw frames carry their canonical JSON (docs/protocol-json.md), decoded again from the stored
bytes by the frames service; an encrypted frame says so, an undecodable one keeps its hex and
gets the codec's typed error instead of failing the page."""

from __future__ import annotations

import json
from datetime import timedelta

import asyncpg
import pytest
from fleet_support import register, two_tenants

from backend.services.frames import raw_frames
from backend.storage.ingest import write_batch
from gateway.ingest.rows import frame_rows, raw_only
from gateway.protocol.canonical import from_json
from gateway.protocol.codec import decode_frame
from tests.ingest.ingest_frames import LOGIN_2016, REALTIME_2016_FULL, RECEIVED, wire

pytestmark = pytest.mark.services


async def test_canonical_json_encrypted_and_undecodable(db: asyncpg.Connection,
                                                        fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    login = wire("##", 0x01, LOGIN_2016, vin)
    realtime = wire("##", 0x02, REALTIME_2016_FULL, vin)
    # AES-128 (§5: encryption byte 0x03) with no key here: the stored bytes are ciphertext.
    encrypted = wire("##", 0x02, "00112233445566778899aabbccddeeff", vin, encryption=0x03)
    broken = bytearray(wire("##", 0x02, REALTIME_2016_FULL, vin))
    broken[-1] ^= 0xFF  # the check byte (§2.1) no longer matches
    built = [frame_rows(decode_frame(raw), raw, RECEIVED + timedelta(seconds=index))
             for index, raw in enumerate((login, realtime, encrypted))]
    built.append(raw_only(vin, bytes(broken), RECEIVED + timedelta(seconds=3)))
    await write_batch(db, t.a, realtime_rows=[b.realtime for b in built if b.realtime],
                      raw_rows=[b.raw for b in built if b.raw is not None],
                      event_rows=[event for b in built for event in b.events])

    page = await raw_frames(db, t.admin_a, t.a, vin, start=RECEIVED,
                            end=RECEIVED + timedelta(minutes=1))
    got_login, got_realtime, got_encrypted, got_broken = page.items
    for item, sent in ((got_login, login), (got_realtime, realtime)):
        assert item.canonical_json is not None and item.decode_error is None
        assert from_json(item.canonical_json) == decode_frame(sent)
        assert not item.encrypted
    assert json.loads(got_login.canonical_json or "")["body"]["kind"] == "vehicle_login_2016"
    assert got_encrypted.encrypted and got_encrypted.decode_error is None
    body = json.loads(got_encrypted.canonical_json or "")["body"]
    assert body == {"kind": "encrypted", "ciphertext": "00112233445566778899aabbccddeeff"}
    assert got_broken.canonical_json is None and got_broken.hex == bytes(broken).hex()
    assert got_broken.decode_error is not None
    assert got_broken.decode_error.code == "peer.bad_checksum"
