"""Data-unit encryption (PROTOCOL.md §5, §14.2) and 2025 signatures (§14.5)."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.protocol import crypto, sm2
from gateway.protocol.crypto import BlockMode, KeyRing, RsaKey, RsaPadding, SymmetricKey, UnitKeys
from gateway.protocol.errors import (
    DecryptionFailed,
    InvalidModel,
    UnsupportedEncryption,
    ValueOutOfRange,
)
from gateway.protocol.model import EncryptionType, Hex
from gateway.protocol.signature import (
    Signature,
    SignatureAlgorithm,
    decode_signature,
    encode_signature,
)

VIN = "LTESTVIN000000001"
KEY_A = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
KEY_B = bytes.fromhex("0123456789abcdeffedcba9876543210")
IV = bytes.fromhex("000102030405060708090a0b0c0d0e0f")

# GB/T 32918 (GM/T 0003.5) Annex A/C example on the recommended curve, ID "1234567812345678".
SM2_D = bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
SM2_PUBLIC = bytes.fromhex(
    "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"     # x_A
    "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")    # y_A
SM2_K = 0x59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21
SM2_R = bytes.fromhex("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3")
SM2_S = bytes.fromhex("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")
SM2_C1 = ("04"                                                                 # uncompressed
          "04EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73"  # x1 = k·G
          "E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0")  # y1
SM2_C3 = "59983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766"
SM2_C2 = "21886CA989CA9C7D58087307CA93092D651EFA"   # "encryption standard" XOR key stream


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def sm2_key() -> sm2.Sm2PrivateKey:
    return sm2.Sm2PrivateKey(SM2_D)


def _ring(**keys: Any) -> KeyRing:
    return KeyRing({VIN: UnitKeys(**keys)})


# ---- symmetric ---------------------------------------------------------------------------

def test_aes_ecb_known_answer() -> None:
    # FIPS-197 Appendix C.1: one block; PKCS#7 then adds a whole padding block.
    ring = _ring(aes128=SymmetricKey(KEY_A))
    plaintext = bytes.fromhex("00112233445566778899aabbccddeeff")
    ciphertext = crypto.encrypt(EncryptionType.AES128, VIN, plaintext, ring)
    assert ciphertext is not None
    assert ciphertext[:16] == bytes.fromhex("69c4e0d86a7b0430d8cdb78070b4c55a")
    assert len(ciphertext) == 32


def test_sm4_ecb_known_answer() -> None:
    # GB/T 32907-2016 Annex A.1: plaintext = key.
    ring = _ring(sm4=SymmetricKey(KEY_B))
    ciphertext = crypto.encrypt(EncryptionType.SM4, VIN, KEY_B, ring)
    assert ciphertext is not None
    assert ciphertext[:16] == bytes.fromhex("681edf34d206965e86b3e94f536e4246")


def test_sm4_cbc_known_answer_decrypts() -> None:
    ring = _ring(sm4=SymmetricKey(KEY_B, BlockMode.CBC, IV))
    ciphertext = bytes.fromhex(
        "4691e99a3261b6144f6aa68bea48dbbd16e96658f113bf22cbe041bb87f2e011"
        "45d4184544ee7728d4f5e61653665de5")                  # last block = PKCS#7 padding
    plaintext = bytes.fromhex("00112233445566778899aabbccddeeff" * 2)
    assert crypto.decrypt(EncryptionType.SM4, VIN, ciphertext, ring) == plaintext


SYMMETRIC_CASES = [
    (code, mode)
    for code in (EncryptionType.AES128, EncryptionType.SM4)
    for mode in BlockMode
]


def _symmetric_ring(code: EncryptionType, mode: BlockMode, key: bytes = KEY_A) -> KeyRing:
    configured = SymmetricKey(key, mode, IV if mode is BlockMode.CBC else None)
    return _ring(aes128=configured) if code == EncryptionType.AES128 else _ring(sm4=configured)


@pytest.mark.parametrize(("code", "mode"), SYMMETRIC_CASES)
@settings(max_examples=25, deadline=None)
@given(plaintext=st.binary(min_size=1, max_size=300))
def test_symmetric_round_trip(code: EncryptionType, mode: BlockMode, plaintext: bytes) -> None:
    ring = _symmetric_ring(code, mode)
    ciphertext = crypto.encrypt(code, VIN, plaintext, ring)
    assert ciphertext is not None
    extra = 16 if mode is BlockMode.CBC_IV_PREFIX else 0
    assert len(ciphertext) == (len(plaintext) // 16 + 1) * 16 + extra
    assert crypto.decrypt(code, VIN, ciphertext, ring) == plaintext


@pytest.mark.parametrize(("code", "mode"), SYMMETRIC_CASES)
def test_symmetric_wrong_key_fails(code: EncryptionType, mode: BlockMode) -> None:
    # Deterministic for these inputs: the wrong key leaves an invalid PKCS#7 tail.
    ciphertext = crypto.encrypt(code, VIN, b"vehicle data unit", _symmetric_ring(code, mode))
    assert ciphertext is not None
    with pytest.raises(DecryptionFailed):
        crypto.decrypt(code, VIN, ciphertext, _symmetric_ring(code, mode, KEY_B))


@pytest.mark.parametrize("size", [15, 17, 1])
def test_symmetric_bad_length(size: int) -> None:
    ring = _symmetric_ring(EncryptionType.AES128, BlockMode.ECB)
    with pytest.raises(DecryptionFailed, match="multiple of 16"):
        crypto.decrypt(EncryptionType.AES128, VIN, bytes(size), ring)


def test_iv_prefix_needs_a_block_after_the_iv() -> None:
    ring = _symmetric_ring(EncryptionType.SM4, BlockMode.CBC_IV_PREFIX)
    with pytest.raises(DecryptionFailed):
        crypto.decrypt(EncryptionType.SM4, VIN, bytes(16), ring)


@pytest.mark.parametrize(("key", "mode", "iv"), [
    (bytes(15), BlockMode.ECB, None),
    (KEY_A, BlockMode.CBC, None),
    (KEY_A, BlockMode.ECB, IV),
    (KEY_A, BlockMode.CBC, bytes(8)),
])
def test_symmetric_key_validation(key: bytes, mode: BlockMode, iv: bytes | None) -> None:
    with pytest.raises(ValueError, match=r"16 bytes|IV"):
        SymmetricKey(key, mode, iv)


def test_key_material_stays_out_of_repr() -> None:
    assert KEY_A.hex() not in repr(SymmetricKey(KEY_A))
    assert SM2_D.hex() not in repr(sm2.Sm2PrivateKey(SM2_D)).lower()


# ---- RSA -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("padding", "capacity"), [(RsaPadding.PKCS1V15, 245),
                                                   (RsaPadding.OAEP_SHA256, 190)])
@pytest.mark.parametrize("size", [1, 245, 246, 600])
def test_rsa_round_trip_in_blocks(rsa_key: rsa.RSAPrivateKey, padding: RsaPadding,
                                  capacity: int, size: int) -> None:
    plaintext = bytes(range(256)) * 3
    plaintext = plaintext[:size]
    vehicle = _ring(rsa=RsaKey(rsa_key.public_key(), padding))
    platform = _ring(rsa=RsaKey(rsa_key, padding))
    ciphertext = crypto.encrypt(EncryptionType.RSA, VIN, plaintext, vehicle)
    assert ciphertext is not None
    assert len(ciphertext) == 256 * -(-size // capacity)
    assert crypto.decrypt(EncryptionType.RSA, VIN, ciphertext, platform) == plaintext
    assert crypto.encrypt(EncryptionType.RSA, VIN, plaintext, platform) is not None


def test_rsa_wrong_key(rsa_key: rsa.RSAPrivateKey, other_rsa_key: rsa.RSAPrivateKey) -> None:
    plaintext = b"vehicle data unit"
    for padding in RsaPadding:
        ciphertext = crypto.encrypt(EncryptionType.RSA, VIN, plaintext,
                                    _ring(rsa=RsaKey(rsa_key, padding)))
        assert ciphertext is not None
        wrong = _ring(rsa=RsaKey(other_rsa_key, padding))
        if padding is RsaPadding.OAEP_SHA256:
            with pytest.raises(DecryptionFailed):
                crypto.decrypt(EncryptionType.RSA, VIN, ciphertext, wrong)
        else:
            # OpenSSL's implicit rejection (Marvin countermeasure) may return stable random bytes
            # instead of failing (docs/protocol/encryption.md); builds without it fail. Either
            # way the wrong key never yields the plaintext.
            with contextlib.suppress(DecryptionFailed):
                assert crypto.decrypt(EncryptionType.RSA, VIN, ciphertext, wrong) != plaintext


def test_rsa_bad_length(rsa_key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(DecryptionFailed, match="multiple"):
        crypto.decrypt(EncryptionType.RSA, VIN, bytes(255), _ring(rsa=RsaKey(rsa_key)))


def test_rsa_public_key_cannot_decrypt(rsa_key: rsa.RSAPrivateKey) -> None:
    ring = _ring(rsa=RsaKey(rsa_key.public_key()))
    assert crypto.decrypt(EncryptionType.RSA, VIN, bytes(256), ring) is None


# ---- SM2 -----------------------------------------------------------------------------------

def test_sm2_public_key_known_answer(sm2_key: sm2.Sm2PrivateKey) -> None:
    assert sm2_key.public.point == SM2_PUBLIC
    assert sm2.Sm2PublicKey.from_bytes(b"\x04" + SM2_PUBLIC) == sm2_key.public


@pytest.mark.parametrize("ciphertext_hex", [
    SM2_C1 + SM2_C3 + SM2_C2,         # C1C3C2 (GB/T 32918.4-2016)
    SM2_C1 + SM2_C2 + SM2_C3,         # C1C2C3 (older libraries)
    SM2_C1[2:] + SM2_C3 + SM2_C2,     # C1 without its 0x04 prefix (gmssl style)
    SM2_C1[2:] + SM2_C2 + SM2_C3,
])
def test_sm2_decrypt_known_answer(sm2_key: sm2.Sm2PrivateKey, ciphertext_hex: str) -> None:
    ring = _ring(sm2=sm2_key)
    ciphertext = bytes.fromhex(ciphertext_hex)
    assert crypto.decrypt(EncryptionType.SM2, VIN, ciphertext, ring) == b"encryption standard"


def test_sm2_encrypt_known_answer(sm2_key: sm2.Sm2PrivateKey) -> None:
    ciphertext = sm2.encrypt(sm2_key.public, b"encryption standard", nonce=SM2_K)
    assert ciphertext == bytes.fromhex(SM2_C1 + SM2_C3 + SM2_C2)
    layout = sm2.CiphertextLayout.C1C2C3
    other = sm2.encrypt(sm2_key.public, b"encryption standard", nonce=SM2_K, layout=layout)
    assert other == bytes.fromhex(SM2_C1 + SM2_C2 + SM2_C3)


def test_sm2_round_trip_and_failures(sm2_key: sm2.Sm2PrivateKey) -> None:
    plaintext = bytes(range(200))
    vehicle = _ring(sm2=sm2_key.public)
    ciphertext = crypto.encrypt(EncryptionType.SM2, VIN, plaintext, vehicle)
    assert ciphertext is not None
    assert len(ciphertext) == 65 + 32 + 200
    assert crypto.decrypt(EncryptionType.SM2, VIN, ciphertext, _ring(sm2=sm2_key)) == plaintext
    assert crypto.decrypt(EncryptionType.SM2, VIN, ciphertext, vehicle) is None
    wrong = _ring(sm2=sm2.Sm2PrivateKey(SM2_K.to_bytes(32, "big")))
    tampered = ciphertext[:-1] + bytes((ciphertext[-1] ^ 1,))
    for ring, data in ((wrong, ciphertext), (_ring(sm2=sm2_key), tampered),
                       (_ring(sm2=sm2_key), ciphertext[:90])):
        with pytest.raises(DecryptionFailed):
            crypto.decrypt(EncryptionType.SM2, VIN, data, ring)


@pytest.mark.parametrize("point", [bytes(64), SM2_PUBLIC[:-1] + b"\x00", SM2_PUBLIC[:32]])
def test_sm2_rejects_points_off_the_curve(point: bytes) -> None:
    with pytest.raises(ValueError, match="curve"):
        sm2.Sm2PublicKey(point)


N_MINUS_1 = bytes.fromhex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54122")


@pytest.mark.parametrize("secret", [bytes(32), N_MINUS_1, b"\xff" * 32, b"\x01" * 31])
def test_sm2_private_key_range(secret: bytes) -> None:
    with pytest.raises(ValueError, match=r"\[1, n-2\]"):
        sm2.Sm2PrivateKey(secret)


# ---- key ring and dispatch -----------------------------------------------------------------

@pytest.mark.parametrize("code", [EncryptionType.RSA, EncryptionType.AES128,
                                  EncryptionType.SM2, EncryptionType.SM4])
def test_no_key_configured(code: EncryptionType) -> None:
    for ring in (KeyRing(), _ring()):
        assert crypto.decrypt(code, VIN, bytes(32), ring) is None
        with pytest.raises(InvalidModel, match=r"no .* key configured"):
            crypto.encrypt(code, VIN, bytes(32), ring)
        assert crypto.decrypt(code, VIN, b"", ring) == b""      # N = 0 stays N = 0
        assert crypto.encrypt(code, VIN, b"", ring) == b""


@pytest.mark.parametrize("code", [0x00, 0x06, 0x7F, EncryptionType.ABNORMAL,
                                  EncryptionType.INVALID])
def test_codes_without_an_algorithm(code: int) -> None:
    with pytest.raises(UnsupportedEncryption):
        crypto.decrypt(code, VIN, bytes(16), KeyRing())
    with pytest.raises(ValueOutOfRange):
        crypto.encrypt(code, VIN, bytes(16), KeyRing())


def test_plaintext_code_passes_through() -> None:
    assert crypto.decrypt(EncryptionType.NONE, VIN, b"\x01\x02", KeyRing()) == b"\x01\x02"
    assert crypto.encrypt(EncryptionType.NONE, VIN, b"\x01\x02", KeyRing()) == b"\x01\x02"


def test_key_ring_is_immutable(sm2_key: sm2.Sm2PrivateKey) -> None:
    empty = KeyRing()
    ring = empty.with_unit(VIN, UnitKeys(signature=sm2_key.public))
    assert len(empty) == 0
    assert VIN not in empty
    assert VIN in ring
    assert crypto.public_key_for(ring, VIN) == sm2_key.public
    assert crypto.public_key_for(ring, "LOTHERVIN00000000") is None
    assert empty.get(VIN) is None


# ---- signatures (§14.5) ---------------------------------------------------------------------

SIGNED = bytes.fromhex("18 05 01 08 1E 00 01 01 03 01 00 00")   # time + the start of a block


def test_sm2_signature_known_answer(sm2_key: sm2.Sm2PrivateKey) -> None:
    assert sm2.sign(sm2_key, b"message digest", nonce=SM2_K) == (SM2_R, SM2_S)
    signature = Signature(algorithm=SignatureAlgorithm.SM2, r=Hex(SM2_R), s=Hex(SM2_S))
    assert crypto.verify_signature(signature, b"message digest", sm2_key.public)
    assert not crypto.verify_signature(signature, b"message digesT", sm2_key.public)


def test_sm2_signature_round_trip(sm2_key: sm2.Sm2PrivateKey) -> None:
    signature = crypto.sign(SIGNED, sm2_key)
    assert signature.algorithm == SignatureAlgorithm.SM2
    assert len(signature.r) == len(signature.s) == 32
    decoded, _ = decode_signature(encode_signature(signature), 0)
    assert crypto.verify_signature(decoded, SIGNED, sm2_key.public)
    assert not crypto.verify_signature(decoded, SIGNED + b"\x00", sm2_key.public)
    assert not crypto.verify_signature(decoded, SIGNED, sm2.Sm2PrivateKey(SM2_K.to_bytes(
        32, "big")).public)


def test_sm2_key_whose_x_starts_with_hex_04() -> None:
    # k·G of the standard example has x = 04EB...: gmssl's constructor would strip "04".
    key = sm2.Sm2PrivateKey(SM2_K.to_bytes(32, "big"))
    assert key.public.point.hex().startswith("04eb")
    assert crypto.verify_signature(crypto.sign(SIGNED, key), SIGNED, key.public)


@pytest.mark.parametrize(("r", "s"), [
    (b"", SM2_S),
    (SM2_R, bytes(32)),
    (bytes.fromhex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123"), SM2_S),  # n
    (SM2_S, SM2_R),
])
def test_sm2_signature_out_of_range_or_wrong(sm2_key: sm2.Sm2PrivateKey, r: bytes,
                                             s: bytes) -> None:
    signature = Signature(algorithm=SignatureAlgorithm.SM2, r=Hex(r), s=Hex(s))
    assert not crypto.verify_signature(signature, b"message digest", sm2_key.public)


def test_rsa_signature(rsa_key: rsa.RSAPrivateKey) -> None:
    signature = crypto.sign(SIGNED, rsa_key)
    assert signature.algorithm == SignatureAlgorithm.RSA
    assert len(signature.r) == 256
    assert signature.s == b""
    public = rsa_key.public_key()
    assert crypto.verify_signature(signature, SIGNED, public)
    assert not crypto.verify_signature(signature, SIGNED[:-1] + b"\x01", public)
    with_s = Signature(algorithm=SignatureAlgorithm.RSA, r=signature.r, s=Hex(b"\x00"))
    assert not crypto.verify_signature(with_s, SIGNED, public)


def test_ecc_signature_p256() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    signature = crypto.sign(SIGNED, key)
    assert signature.algorithm == SignatureAlgorithm.ECC
    assert len(signature.r) == len(signature.s) == 32
    assert crypto.verify_signature(signature, SIGNED, key.public_key())
    assert not crypto.verify_signature(signature, SIGNED + b"\x00", key.public_key())


def test_signature_with_a_key_of_another_algorithm(rsa_key: rsa.RSAPrivateKey,
                                                   sm2_key: sm2.Sm2PrivateKey) -> None:
    rsa_signature = crypto.sign(SIGNED, rsa_key)
    sm2_signature = crypto.sign(SIGNED, sm2_key)
    ecc_signature = Signature(algorithm=SignatureAlgorithm.ECC, r=Hex(SM2_R), s=Hex(SM2_S))
    assert not crypto.verify_signature(rsa_signature, SIGNED, sm2_key.public)
    assert not crypto.verify_signature(sm2_signature, SIGNED, rsa_key.public_key())
    assert not crypto.verify_signature(ecc_signature, SIGNED, sm2_key.public)
    unknown = Signature(algorithm=0x04, r=sm2_signature.r, s=sm2_signature.s)
    assert not crypto.verify_signature(unknown, SIGNED, sm2_key.public)
