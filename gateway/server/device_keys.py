"""Rows of ``nevguard.device_keys`` → the codec's ``KeyRing`` (§5, §14.2, §14.5).

Key material is stored as the standard byte forms, the options the standard leaves open in
``parameters`` (docs/protocol/encryption.md):

| kind | key_material | parameters |
|---|---|---|
| aes128, sm4 | the 16-byte key | ``mode``: ecb (default), cbc, cbc-iv-prefix; ``iv``: hex (cbc) |
| rsa | the platform's private key, DER (PKCS#8 or PKCS#1) | ``padding``: pkcs1v15, oaep-sha256 |
| sm2 | the platform's 32-byte private scalar | ``user_id``: hex (default 1234567812345678) |
| signature | the terminal's public key: DER SubjectPublicKeyInfo (RSA, ECDSA), | ``user_id`` |
|           | or the SM2 point (64 bytes, or 65 with 0x04)                     | (SM2)       |

A row that does not make a key is skipped and logged (never its material): one bad row must
not stop the gateway from decrypting every other terminal's frames.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_der_private_key, load_der_public_key

from backend.storage.registry import DeviceKey
from gateway.protocol.crypto import (
    BlockMode,
    KeyRing,
    RsaKey,
    RsaPadding,
    SymmetricKey,
    UnitKeys,
    VerifyingKey,
)
from gateway.protocol.sm2 import DEFAULT_USER_ID, Sm2PrivateKey, Sm2PublicKey

log = logging.getLogger(__name__)

_SM2_POINT_SIZES = (64, 65)


def _user_id(parameters: Mapping[str, Any]) -> bytes:
    value = parameters.get("user_id")
    return DEFAULT_USER_ID if value is None else bytes.fromhex(str(value))


def _symmetric(material: bytes, parameters: Mapping[str, Any]) -> SymmetricKey:
    iv = parameters.get("iv")
    return SymmetricKey(material, BlockMode(parameters.get("mode", BlockMode.ECB.value)),
                        None if iv is None else bytes.fromhex(str(iv)))


def _rsa(material: bytes, parameters: Mapping[str, Any]) -> RsaKey:
    key = load_der_private_key(material, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("not an RSA private key")
    return RsaKey(key, RsaPadding(parameters.get("padding", RsaPadding.PKCS1V15.value)))


def _verifying(material: bytes, parameters: Mapping[str, Any]) -> VerifyingKey:
    if len(material) in _SM2_POINT_SIZES:
        return Sm2PublicKey.from_bytes(material, _user_id(parameters))
    key = load_der_public_key(material)
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise ValueError(f"{type(key).__name__} cannot verify GB/T 32960 signatures")
    return key


def _with_key(unit: UnitKeys, row: DeviceKey) -> UnitKeys:
    material, parameters = row.key_material, row.parameters
    if row.key_kind == "aes128":
        return replace(unit, aes128=_symmetric(material, parameters))
    if row.key_kind == "sm4":
        return replace(unit, sm4=_symmetric(material, parameters))
    if row.key_kind == "rsa":
        return replace(unit, rsa=_rsa(material, parameters))
    if row.key_kind == "sm2":
        return replace(unit, sm2=Sm2PrivateKey(material, _user_id(parameters)))
    if row.key_kind == "signature":
        return replace(unit, signature=_verifying(material, parameters))
    raise ValueError(f"unknown key kind {row.key_kind!r}")


def key_ring(rows: Iterable[DeviceKey]) -> tuple[KeyRing, int]:
    """The ring of every usable row, and how many rows were skipped as unusable."""
    units: dict[str, UnitKeys] = {}
    skipped = 0
    for row in rows:
        try:
            units[row.unique_id] = _with_key(units.get(row.unique_id, UnitKeys()), row)
        except (ValueError, TypeError) as exc:
            skipped += 1
            log.warning("device key %s/%s is unusable and skipped: %s", row.unique_id,
                        row.key_kind, exc)
    return KeyRing(units), skipped
