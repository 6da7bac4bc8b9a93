"""TOTP against the RFC 6238 appendix B vectors, the ±1 step window and replay refusal."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.totp import (
    Digest,
    TotpInvalid,
    TotpMalformed,
    TotpReplayed,
    decode_secret,
    encode_secret,
    hotp,
    provisioning_uri,
    time_step,
    totp,
    verify_totp,
)

# RFC 6238 appendix B: the seeds are the ASCII digits repeated to the digest's size.
SEEDS: dict[Digest, bytes] = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
KEY = SEEDS["sha1"]


@pytest.mark.parametrize(("at", "sha1", "sha256", "sha512"), VECTORS)
def test_rfc6238_vectors(at: int, sha1: str, sha256: str, sha512: str) -> None:
    for digest, expected in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
        assert hotp(SEEDS[digest], time_step(at), digits=8, digest=digest) == expected
    # The six-digit code is the last six digits of the same truncation.
    assert totp(KEY, at) == sha1[-6:]


def test_rfc4226_hotp_vectors() -> None:
    expected = ["755224", "287082", "359152", "969429", "338314",
                "254676", "287922", "162583", "399871", "520489"]
    assert [hotp(KEY, counter) for counter in range(10)] == expected


def test_window_of_one_step_each_side() -> None:
    at = 1_700_000_015.0
    step = time_step(at)
    for offset in (-1, 0, 1):
        assert verify_totp(KEY, hotp(KEY, step + offset), at, last_used_step=None) == step + offset
    for offset in (-2, 2):
        with pytest.raises(TotpInvalid):
            verify_totp(KEY, hotp(KEY, step + offset), at, last_used_step=None)


def test_a_used_step_is_spent() -> None:
    at = datetime(2025, 6, 1, 8, 0, 10, tzinfo=UTC)
    code = totp(KEY, at)
    used = verify_totp(KEY, code, at, last_used_step=None)
    with pytest.raises(TotpReplayed) as caught:
        verify_totp(KEY, code, at, last_used_step=used)
    assert caught.value.code == "totp.replayed"
    # An older step inside the window is refused once a newer one was used.
    previous = hotp(KEY, used - 1)
    with pytest.raises(TotpReplayed):
        verify_totp(KEY, previous, at, last_used_step=used)
    assert verify_totp(KEY, hotp(KEY, used + 1), at, last_used_step=used) == used + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12345a", "١٢٣٤٥٦", " 123456"])
def test_malformed_codes(code: str) -> None:
    with pytest.raises(TotpMalformed) as caught:
        verify_totp(KEY, code, 59, last_used_step=None)
    assert caught.value.code == "totp.malformed"


@given(st.binary(min_size=1, max_size=64))
def test_secret_base32_round_trip(key: bytes) -> None:
    text = encode_secret(key)
    assert "=" not in text
    assert decode_secret(text) == key
    assert decode_secret(text.lower()) == key


def test_bad_base32_secret() -> None:
    with pytest.raises(TotpMalformed):
        decode_secret("not base32!")


def test_provisioning_uri() -> None:
    uri = provisioning_uri(KEY, account="zhang.wei@acme.cn", issuer="NEVGuard")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert parts.path == "/NEVGuard:zhang.wei@acme.cn"
    assert parse_qs(parts.query) == {
        "secret": ["GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"], "issuer": ["NEVGuard"],
        "algorithm": ["SHA1"], "digits": ["6"], "period": ["30"]}
    with pytest.raises(TotpMalformed):
        provisioning_uri(KEY, account="a:b", issuer="NEVGuard")
