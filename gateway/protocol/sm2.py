"""SM2 (GB/T 32918) encryption and signatures for 2025 frames (PROTOCOL.md §14.2, §14.5).

A typed adapter over ``gmssl``, which works on hex strings and has sharp edges this module
closes (docs/protocol/encryption.md lists them): its ``decrypt`` never checks C3, its ``encrypt``
draws the ephemeral key from ``random`` instead of a CSPRNG, its constructor corrupts public keys
that start with hex digits 0/4, and it does not validate points or (r, s) ranges. So gmssl
supplies the curve arithmetic and the signature equations; SM3 comes from ``cryptography``.
"""

from __future__ import annotations

import enum
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Final

from cryptography.hazmat.primitives import hashes
from gmssl import sm2 as gm_sm2

from .errors import DecryptionFailed

# GM/T 0009 §10: the user id both sides assume when none was agreed.
DEFAULT_USER_ID: Final = b"1234567812345678"

_CURVE = gm_sm2.default_ecc_table
_P: Final = int(_CURVE["p"], 16)
_A: Final = int(_CURVE["a"], 16)
_B: Final = int(_CURVE["b"], 16)
_N: Final = int(_CURVE["n"], 16)
_G_HEX: Final[str] = _CURVE["g"].lower()
_COORD = 32
_POINT = 2 * _COORD
_UNCOMPRESSED = 0x04
_DIGEST = 32
# Only used for its key-independent point arithmetic.
_ENGINE = gm_sm2.CryptSM2(private_key="", public_key="")


class CiphertextLayout(enum.Enum):
    """Order of the SM2 ciphertext parts; GB/T 32918.4-2016 uses C1C3C2, older code C1C2C3."""

    C1C3C2 = "c1c3c2"
    C1C2C3 = "c1c2c3"


def _on_curve(point: bytes) -> bool:
    if len(point) != _POINT:
        return False
    x = int.from_bytes(point[:_COORD], "big")
    y = int.from_bytes(point[_COORD:], "big")
    return x < _P and y < _P and (y * y - (x * x * x + _A * x + _B)) % _P == 0


@dataclass(frozen=True, slots=True)
class Sm2PublicKey:
    """Public point as ``x || y`` (64 bytes); ``from_bytes`` also takes the 0x04-prefixed form."""

    point: bytes
    user_id: bytes = DEFAULT_USER_ID

    def __post_init__(self) -> None:
        if not _on_curve(self.point):
            raise ValueError("SM2 public key is not a point on the SM2 curve")

    @classmethod
    def from_bytes(cls, data: bytes, user_id: bytes = DEFAULT_USER_ID) -> Sm2PublicKey:
        if len(data) == _POINT + 1 and data[0] == _UNCOMPRESSED:
            data = data[1:]
        return cls(bytes(data), user_id)


@dataclass(frozen=True, slots=True)
class Sm2PrivateKey:
    secret: bytes = field(repr=False)
    user_id: bytes = DEFAULT_USER_ID
    public: Sm2PublicKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        scalar = int.from_bytes(self.secret, "big")
        # GB/T 32918.1 §6.1: d in [1, n-2] so that (1 + d) is invertible when signing.
        if len(self.secret) != _COORD or not 1 <= scalar <= _N - 2:
            raise ValueError("SM2 private key must be 32 bytes holding d in [1, n-2]")
        public = Sm2PublicKey(_multiply(scalar, _G_HEX), self.user_id)
        object.__setattr__(self, "public", public)

    @classmethod
    def generate(cls, user_id: bytes = DEFAULT_USER_ID) -> Sm2PrivateKey:
        scalar = secrets.randbelow(_N - 2) + 1
        return cls(scalar.to_bytes(_COORD, "big"), user_id)


def _multiply(scalar: int, point_hex: str) -> bytes:
    """Scalar multiplication; gmssl has no public API for it, so this uses its ``_kg``."""
    result: str | None = _ENGINE._kg(scalar, point_hex)
    if result is None:
        # Unreachable for our inputs (scalars in [1, n-1], points on a cofactor-1 curve), but
        # gmssl signals the point at infinity with None and that must never become bytes.
        raise ValueError("SM2 point multiplication reached the point at infinity")
    return bytes.fromhex(result)


def _sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def _kdf(shared: bytes, size: int) -> bytes:
    """GB/T 32918.4 §5.4.3: SM3 over ``shared || counter`` (32-bit, from 1), truncated."""
    blocks = (size + _DIGEST - 1) // _DIGEST
    stream = b"".join(_sm3(shared + counter.to_bytes(4, "big")) for counter in range(1, blocks + 1))
    return stream[:size]


def _xor(data: bytes, key_stream: bytes) -> bytes:
    if not data:
        return b""
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(key_stream, "big")
    return mixed.to_bytes(len(data), "big")


def _message_digest(key: Sm2PublicKey, message: bytes) -> bytes:
    """e = SM3(Z_A || M), Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A)."""
    entl = (8 * len(key.user_id)).to_bytes(2, "big")
    curve = b"".join(bytes.fromhex(_CURVE[name]) for name in ("a", "b", "g"))
    z_a = _sm3(entl + key.user_id + curve + key.point)
    return _sm3(z_a + message)


def sign(key: Sm2PrivateKey, message: bytes, *, nonce: int | None = None) -> tuple[bytes, bytes]:
    """Return (r, s), 32 bytes each. ``nonce`` fixes k for known-answer tests only."""
    digest = _message_digest(key.public, message)
    engine = gm_sm2.CryptSM2(private_key=key.secret.hex(), public_key="")
    while True:
        k = nonce if nonce is not None else secrets.randbelow(_N - 1) + 1
        signature: str | None = engine.sign(digest, f"{k:064x}")
        if signature is not None:
            raw = bytes.fromhex(signature)
            return raw[:_COORD], raw[_COORD:]
        if nonce is not None:
            raise ValueError("this nonce gives a degenerate SM2 signature; pick another")


def verify(key: Sm2PublicKey, message: bytes, r: bytes, s: bytes) -> bool:
    """Check an SM2 signature; r and s are unsigned big-endian integers of any width."""
    r_value = int.from_bytes(r, "big")
    s_value = int.from_bytes(s, "big")
    if not (1 <= r_value < _N and 1 <= s_value < _N):
        return False
    engine = gm_sm2.CryptSM2(private_key="", public_key="")
    # Set after construction: the constructor's lstrip("04") would eat leading 0/4 digits of x.
    engine.public_key = key.point.hex()
    try:
        valid: bool = engine.verify(f"{r_value:064x}{s_value:064x}",
                                    _message_digest(key, message))
    except TypeError:
        # gmssl returns None instead of a point when s*G + t*P is the point at infinity.
        return False
    return bool(valid)


def encrypt(key: Sm2PublicKey, plaintext: bytes, *,
            layout: CiphertextLayout = CiphertextLayout.C1C3C2, nonce: int | None = None) -> bytes:
    """GB/T 32918.4 encryption; C1 is written uncompressed with its 0x04 prefix."""
    while True:
        k = nonce if nonce is not None else secrets.randbelow(_N - 1) + 1
        c1 = _multiply(k, _G_HEX)
        shared = _multiply(k, key.point.hex())
        stream = _kdf(shared, len(plaintext))
        if plaintext and not any(stream):
            if nonce is not None:
                raise ValueError("this nonce gives an all-zero SM2 key stream; pick another")
            continue
        c2 = _xor(plaintext, stream)
        c3 = _sm3(shared[:_COORD] + plaintext + shared[_COORD:])
        middle_last = (c3, c2) if layout is CiphertextLayout.C1C3C2 else (c2, c3)
        return bytes((_UNCOMPRESSED,)) + c1 + b"".join(middle_last)


def decrypt(key: Sm2PrivateKey, ciphertext: bytes) -> bytes:
    """Decrypt C1C3C2 or C1C2C3, C1 with or without its 0x04 prefix; C3 decides which fits.

    Raises ``DecryptionFailed`` when no reading yields a point on the curve and a matching C3
    (wrong key, tampered or truncated ciphertext).
    """
    scalar = int.from_bytes(key.secret, "big")
    for c1_size in (_POINT + 1, _POINT):
        if len(ciphertext) < c1_size + _DIGEST:
            continue
        c1 = ciphertext[:c1_size]
        if c1_size > _POINT:
            if c1[0] != _UNCOMPRESSED:
                continue
            c1 = c1[1:]
        if not _on_curve(c1):
            continue
        shared = _multiply(scalar, c1.hex())
        rest = ciphertext[c1_size:]
        size = len(rest) - _DIGEST
        stream = _kdf(shared, size)
        if size and not any(stream):
            continue
        for c3, c2 in ((rest[:_DIGEST], rest[_DIGEST:]), (rest[size:], rest[:size])):
            plaintext = _xor(c2, stream)
            expected = _sm3(shared[:_COORD] + plaintext + shared[_COORD:])
            if hmac.compare_digest(expected, c3):
                return plaintext
    raise DecryptionFailed("SM2 ciphertext does not decrypt with the configured key")

