"""Data-unit encryption (byte 21, PROTOCOL.md §5, §14.2) and 2025 signatures (§14.5).

The standard names algorithms but no mode, padding, IV or block layout; the choices below are
the ones documented in docs/protocol/encryption.md and can be set per key:

* AES-128 (0x03) and SM4 (0x05): ECB + PKCS#7 by default, or CBC + PKCS#7 with a fixed IV, or
  CBC + PKCS#7 with a fresh IV sent as the first 16 bytes of the data unit.
* RSA (0x02): PKCS#1 v1.5 (or OAEP-SHA256), ciphertext = concatenated modulus-sized blocks,
  each holding at most ``modulus - 11`` (OAEP: ``modulus - 66``) plaintext bytes.
* SM2 (0x04): GB/T 32918.4, written C1C3C2 with a 0x04-prefixed C1; see ``sm2.decrypt``.
* An empty data unit stays empty: nothing is encrypted, so N = 0 frames keep N = 0.

The BCC is computed over the ciphertext (§2.1): decryption happens after framing.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import padding as block_padding
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from . import sm2
from .errors import DecryptionFailed, InvalidModel, UnsupportedEncryption, ValueOutOfRange
from .model import EncryptionType, Hex
from .signature import Signature, SignatureAlgorithm
from .sm2 import Sm2PrivateKey, Sm2PublicKey

_BLOCK = 16


class BlockMode(enum.Enum):
    ECB = "ecb"
    CBC = "cbc"                       # fixed IV from the key configuration
    CBC_IV_PREFIX = "cbc-iv-prefix"   # random IV, sent in clear before the ciphertext


class RsaPadding(enum.Enum):
    PKCS1V15 = "pkcs1v15"
    OAEP_SHA256 = "oaep-sha256"


@dataclass(frozen=True, slots=True)
class SymmetricKey:
    """A 128-bit AES or SM4 key with its block mode."""

    key: bytes = field(repr=False)
    mode: BlockMode = BlockMode.ECB
    iv: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if len(self.key) != _BLOCK:
            raise ValueError("AES-128 and SM4 keys are 16 bytes")
        if (self.mode is BlockMode.CBC) != (self.iv is not None):
            raise ValueError("a fixed IV is required for CBC and only allowed there")
        if self.iv is not None and len(self.iv) != _BLOCK:
            raise ValueError("the IV is 16 bytes")


@dataclass(frozen=True, slots=True)
class RsaKey:
    """The platform holds the private key; a vehicle (simulator) only the public one."""

    key: rsa.RSAPrivateKey | rsa.RSAPublicKey = field(repr=False)
    padding: RsaPadding = RsaPadding.PKCS1V15


VerifyingKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | Sm2PublicKey
SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | Sm2PrivateKey


@dataclass(frozen=True, slots=True)
class UnitKeys:
    """Keys of one unique id (VIN, or platform code for platform links)."""

    aes128: SymmetricKey | None = None
    sm4: SymmetricKey | None = None
    rsa: RsaKey | None = None
    sm2: Sm2PrivateKey | Sm2PublicKey | None = None
    signature: VerifyingKey | None = None    # registered at activation (§14.3 0x09)


class KeyRing:
    """Immutable map unique id -> ``UnitKeys``; ``with_unit`` returns an updated copy."""

    __slots__ = ("_units",)

    def __init__(self, units: Mapping[str, UnitKeys] | None = None) -> None:
        self._units: Mapping[str, UnitKeys] = MappingProxyType(dict(units or {}))

    def get(self, unique_id: str) -> UnitKeys | None:
        return self._units.get(unique_id)

    def with_unit(self, unique_id: str, keys: UnitKeys) -> KeyRing:
        return KeyRing({**self._units, unique_id: keys})

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, unique_id: object) -> bool:
        return unique_id in self._units


def public_key_for(keys: KeyRing, unique_id: str) -> VerifyingKey | None:
    """The signature-verification key registered for a unique id, if any (§14.5)."""
    unit = keys.get(unique_id)
    return None if unit is None else unit.signature


_ALGORITHMS = frozenset({EncryptionType.RSA, EncryptionType.AES128, EncryptionType.SM2,
                         EncryptionType.SM4})


def decrypt(encryption: int, unique_id: str, ciphertext: bytes, keys: KeyRing) -> bytes | None:
    """Plaintext of a data unit, or None when no usable key is configured (keep the ciphertext).

    Raises ``DecryptionFailed`` for a ciphertext that cannot be decrypted (bad length, padding,
    SM2 C3 check) and ``UnsupportedEncryption`` for 0xFE, 0xFF and reserved codes, whose policy
    belongs to the caller (§5).
    """
    if encryption == EncryptionType.NONE:
        return ciphertext
    if encryption not in _ALGORITHMS:
        raise UnsupportedEncryption(f"encryption byte 0x{encryption:02x} names no algorithm",
                                    offset=21)
    if not ciphertext:
        return b""
    unit = keys.get(unique_id)
    if encryption == EncryptionType.RSA:
        rsa_key = None if unit is None else unit.rsa
        if rsa_key is None or not isinstance(rsa_key.key, rsa.RSAPrivateKey):
            return None
        return _rsa_decrypt(rsa_key.key, rsa_key.padding, ciphertext)
    if encryption == EncryptionType.SM2:
        sm2_key = None if unit is None else unit.sm2
        return sm2.decrypt(sm2_key, ciphertext) if isinstance(sm2_key, Sm2PrivateKey) else None
    symmetric = _symmetric_key(encryption, unit)
    return None if symmetric is None else _symmetric_decrypt(*symmetric, ciphertext)


def encrypt(encryption: int, unique_id: str, plaintext: bytes, keys: KeyRing) -> bytes:
    """Ciphertext for the simulator, tests and re-encoding; RSA and SM2 use the public key
    (derived from the private key when that is what the ring holds).

    Raises ``InvalidModel`` when no key is configured and ``ValueOutOfRange`` for codes that
    name no algorithm: both mean our side asked for a frame it cannot build.
    """
    if encryption == EncryptionType.NONE:
        return plaintext
    if encryption not in _ALGORITHMS:
        raise ValueOutOfRange(f"encryption byte 0x{encryption:02x} names no algorithm")
    if not plaintext:
        return b""
    unit = keys.get(unique_id)
    ciphertext: bytes | None = None
    if encryption == EncryptionType.RSA:
        rsa_key = None if unit is None else unit.rsa
        if rsa_key is not None:
            public = rsa_key.key
            if isinstance(public, rsa.RSAPrivateKey):
                public = public.public_key()
            ciphertext = _rsa_encrypt(public, rsa_key.padding, plaintext)
    elif encryption == EncryptionType.SM2:
        sm2_key = None if unit is None else unit.sm2
        if sm2_key is not None:
            public_sm2 = sm2_key.public if isinstance(sm2_key, Sm2PrivateKey) else sm2_key
            ciphertext = sm2.encrypt(public_sm2, plaintext)
    else:
        symmetric = _symmetric_key(encryption, unit)
        ciphertext = None if symmetric is None else _symmetric_encrypt(*symmetric, plaintext)
    if ciphertext is None:
        name = EncryptionType(encryption).name
        raise InvalidModel(f"no {name} key configured for unique id {unique_id!r}")
    return ciphertext


def _symmetric_key(encryption: int, unit: UnitKeys | None
                   ) -> tuple[algorithms.AES128 | algorithms.SM4, SymmetricKey] | None:
    if encryption == EncryptionType.AES128:
        key = None if unit is None else unit.aes128
        return None if key is None else (algorithms.AES128(key.key), key)
    key = None if unit is None else unit.sm4
    return None if key is None else (algorithms.SM4(key.key), key)


def _cipher(algorithm: algorithms.AES128 | algorithms.SM4,
            iv: bytes | None) -> Cipher[modes.ECB] | Cipher[modes.CBC]:
    if iv is None:
        # ECB is weak (equal blocks leak), but it is what deployed terminals use; CBC is a
        # per-key option (docs/protocol/encryption.md).
        return Cipher(algorithm, modes.ECB())  # noqa: S305
    return Cipher(algorithm, modes.CBC(iv))


def _symmetric_decrypt(algorithm: algorithms.AES128 | algorithms.SM4, key: SymmetricKey,
                       ciphertext: bytes) -> bytes:
    iv = key.iv                       # None for ECB
    if key.mode is BlockMode.CBC_IV_PREFIX:
        iv, ciphertext = ciphertext[:_BLOCK], ciphertext[_BLOCK:]
    if not ciphertext or len(ciphertext) % _BLOCK:
        raise DecryptionFailed(f"{algorithm.name} ciphertext of {len(ciphertext)} bytes is not"
                               f" a non-empty multiple of {_BLOCK}")
    decryptor = _cipher(algorithm, iv).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = block_padding.PKCS7(8 * _BLOCK).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError as exc:
        raise DecryptionFailed(f"{algorithm.name}: bad PKCS#7 padding (wrong key?)") from exc


def _symmetric_encrypt(algorithm: algorithms.AES128 | algorithms.SM4, key: SymmetricKey,
                       plaintext: bytes) -> bytes:
    padder = block_padding.PKCS7(8 * _BLOCK).padder()
    padded = padder.update(plaintext) + padder.finalize()
    iv, prefix = key.iv, b""
    if key.mode is BlockMode.CBC_IV_PREFIX:
        iv = prefix = os.urandom(_BLOCK)
    encryptor = _cipher(algorithm, iv).encryptor()
    return prefix + encryptor.update(padded) + encryptor.finalize()


def _rsa_padding(choice: RsaPadding) -> rsa_padding.AsymmetricPadding:
    if choice is RsaPadding.PKCS1V15:
        return rsa_padding.PKCS1v15()
    return rsa_padding.OAEP(rsa_padding.MGF1(hashes.SHA256()), hashes.SHA256(), None)


def _rsa_capacity(modulus_bytes: int, choice: RsaPadding) -> int:
    # PKCS#1 v1.5 needs 11 bytes of padding per block; OAEP-SHA256 needs 2 * 32 + 2.
    return modulus_bytes - (11 if choice is RsaPadding.PKCS1V15 else 66)


def _rsa_decrypt(key: rsa.RSAPrivateKey, choice: RsaPadding, ciphertext: bytes) -> bytes:
    size = (key.key_size + 7) // 8
    if len(ciphertext) % size:
        raise DecryptionFailed(f"RSA ciphertext of {len(ciphertext)} bytes is not a multiple of"
                               f" the {size}-byte modulus")
    padding = _rsa_padding(choice)
    try:
        return b"".join(key.decrypt(ciphertext[start:start + size], padding)
                        for start in range(0, len(ciphertext), size))
    except ValueError as exc:
        raise DecryptionFailed("RSA block does not decrypt with the configured key") from exc


def _rsa_encrypt(key: rsa.RSAPublicKey, choice: RsaPadding, plaintext: bytes) -> bytes:
    capacity = _rsa_capacity((key.key_size + 7) // 8, choice)
    padding = _rsa_padding(choice)
    return b"".join(key.encrypt(plaintext[start:start + capacity], padding)
                    for start in range(0, len(plaintext), capacity))


def sign(signed: bytes, key: SigningKey) -> Signature:
    """Signature block for the simulator and tests; the algorithm follows from the key type."""
    if isinstance(key, Sm2PrivateKey):
        r, s = sm2.sign(key, signed)
        return Signature(algorithm=SignatureAlgorithm.SM2, r=Hex(r), s=Hex(s))
    if isinstance(key, rsa.RSAPrivateKey):
        whole = key.sign(signed, rsa_padding.PKCS1v15(), hashes.SHA256())
        return Signature(algorithm=SignatureAlgorithm.RSA, r=Hex(whole), s=Hex(b""))
    r_value, s_value = decode_dss_signature(key.sign(signed, ec.ECDSA(hashes.SHA256())))
    width = (key.curve.key_size + 7) // 8
    return Signature(algorithm=SignatureAlgorithm.ECC, r=Hex(r_value.to_bytes(width, "big")),
                     s=Hex(s_value.to_bytes(width, "big")))


def verify_signature(signature: Signature, signed: bytes, public_key: VerifyingKey) -> bool:
    """True only when the signature is valid for ``public_key`` under its algorithm code.

    A key of another algorithm, an unknown algorithm code, or an RSA signature whose S part is
    not empty (§14.5 puts the whole RSA signature in R) all give False.
    """
    try:
        if signature.algorithm == SignatureAlgorithm.SM2:
            return isinstance(public_key, Sm2PublicKey) and sm2.verify(
                public_key, signed, signature.r, signature.s)
        if signature.algorithm == SignatureAlgorithm.RSA:
            if not isinstance(public_key, rsa.RSAPublicKey) or signature.s:
                return False
            public_key.verify(bytes(signature.r), signed, rsa_padding.PKCS1v15(), hashes.SHA256())
            return True
        if signature.algorithm == SignatureAlgorithm.ECC:
            if not isinstance(public_key, ec.EllipticCurvePublicKey):
                return False
            der = encode_dss_signature(int.from_bytes(signature.r, "big"),
                                       int.from_bytes(signature.s, "big"))
            public_key.verify(der, signed, ec.ECDSA(hashes.SHA256()))
            return True
    except InvalidSignature:
        return False
    return False
