"""Stored device keys → the codec's key ring; unusable rows are skipped, never fatal."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from backend.storage.registry import DeviceKey
from gateway.protocol.crypto import BlockMode, RsaPadding
from gateway.protocol.sm2 import Sm2PrivateKey, Sm2PublicKey
from gateway.server.device_keys import key_ring

SINCE = datetime(2025, 1, 1, tzinfo=UTC)
VIN = "LKEYS000000000001"


def row(kind: str, material: bytes, unique_id: str = VIN, **parameters: Any) -> DeviceKey:
    return DeviceKey(unique_id, kind, material, parameters, SINCE, None)


def test_every_kind_becomes_its_key_slot() -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_public = ec.generate_private_key(ec.SECP256R1()).public_key()
    sm2 = Sm2PrivateKey.generate()
    ring, skipped = key_ring([
        row("aes128", bytes(16)),
        row("sm4", bytes(range(16)), mode="cbc", iv="00" * 16),
        row("rsa", rsa_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()),
            padding="oaep-sha256"),
        row("sm2", sm2.secret),
        row("signature", ec_public.public_bytes(Encoding.DER,
                                                PublicFormat.SubjectPublicKeyInfo)),
        row("signature", b"\x04" + sm2.public.point, unique_id="PLATFORM000000001"),
    ])
    assert skipped == 0
    unit = ring.get(VIN)
    assert unit is not None and unit.aes128 is not None and unit.sm4 is not None
    assert unit.aes128.mode is BlockMode.ECB and unit.sm4.mode is BlockMode.CBC
    assert unit.rsa is not None and unit.rsa.padding is RsaPadding.OAEP_SHA256
    assert isinstance(unit.sm2, Sm2PrivateKey) and unit.sm2.public == sm2.public
    assert isinstance(unit.signature, ec.EllipticCurvePublicKey)
    platform = ring.get("PLATFORM000000001")
    assert platform is not None and isinstance(platform.signature, Sm2PublicKey)


@pytest.mark.parametrize(("kind", "material", "parameters"), [
    ("aes128", bytes(15), {}),                          # not 16 bytes
    ("sm4", bytes(16), {"mode": "ofb"}),                # no such mode
    ("sm4", bytes(16), {"mode": "cbc"}),                # CBC without its IV
    ("rsa", b"not DER", {}),
    ("sm2", bytes(32), {}),                             # d = 0 is no key
    ("signature", bytes(64), {}),                       # not a point on the curve
    ("signature", b"\x30\x03\x02\x01\x01", {}),         # DER, but no public key
    ("aes128", bytes(16), {"iv": "zz"}),                # not hex
])
def test_an_unusable_row_is_skipped_and_logged_without_its_material(
        kind: str, material: bytes, parameters: dict[str, Any],
        caplog: pytest.LogCaptureFixture) -> None:
    good = row("aes128", bytes(range(16)), unique_id="LGOOD000000000001")
    with caplog.at_level(logging.WARNING):
        ring, skipped = key_ring([row(kind, material, **parameters), good])
    assert skipped == 1
    assert VIN not in ring and "LGOOD000000000001" in ring
    assert VIN in caplog.text and material.hex() not in caplog.text
