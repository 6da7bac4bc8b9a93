"""Access tokens: round trip and every attack the verifier must refuse."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc import jws
from joserfc.jwk import ECKey

from backend.core.access import Principal, Role
from backend.core.tokens import (
    AccessClaims,
    SigningKey,
    TokenError,
    access_claims,
    new_signing_key,
    sign_access_token,
    verify_access_token,
)

ISS, AUD, NOW = "https://nevguard.test", "nevguard-api", 1_750_000_000
KEY = new_signing_key()
KEYS = {KEY.kid: KEY.public_jwk}
USER = Principal("user:42", Role.ANALYST, "acme", session_id="5f0c5e6e-0000-4000-8000-000000000001")
CLIENT = Principal("client:acme-etl", Role.API_CLIENT, "acme", frozenset({"fleet:read"}))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _json(value: Any) -> str:
    return _b64(json.dumps(value).encode())


def _sign_raw(claims: dict[str, Any]) -> str:
    """Sign any claim set with our real key, as a compromised issuer bug would."""
    header = {"alg": "ES256", "typ": "at+jwt", "kid": KEY.kid}
    return jws.serialize_compact(header, json.dumps(claims).encode(),
                                 ECKey.import_key(KEY.private_pem), algorithms=["ES256"])


def _claims(principal: Principal = USER, lifetime: int = 600) -> AccessClaims:
    return access_claims(principal, issuer=ISS, audience=AUD, token_id="jti-1", now=NOW,
                         lifetime=timedelta(seconds=lifetime))


def _verify(token: str, *, now: int = NOW, keys: Any = None) -> AccessClaims:
    return verify_access_token(token, KEYS if keys is None else keys, issuer=ISS, audience=AUD,
                               now=now)


def _code(token: str, **options: Any) -> str:
    with pytest.raises(TokenError) as caught:
        _verify(token, **options)
    return caught.value.code


def test_round_trip_user_and_client() -> None:
    for principal in (USER, CLIENT):
        claims = _claims(principal)
        token = sign_access_token(claims, KEY)
        assert _verify(token) == claims
        assert _verify(token).principal() == principal
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "ES256", "typ": "at+jwt", "kid": KEY.kid}


def test_signing_key_repr_hides_the_private_key() -> None:
    assert "PRIVATE" not in repr(KEY)
    assert KEY.public_jwk["kid"] == KEY.kid and "d" not in KEY.public_jwk


def test_lifetimes_are_bounded() -> None:
    for seconds in (0, -1, 3601):
        with pytest.raises(TokenError) as caught:
            _claims(lifetime=seconds)
        assert caught.value.code == "token.claims"


def test_claims_must_fit_the_role() -> None:
    with pytest.raises(TokenError):
        _claims(Principal("user:1", Role.PLATFORM_ADMIN, "acme", session_id="s"))
    with pytest.raises(TokenError):
        _claims(Principal("user:1", Role.VIEWER, "acme"))  # a user token needs a session
    with pytest.raises(TokenError):
        _claims(Principal("user:1", Role.API_CLIENT, "acme", frozenset()))


def test_expiry_not_before_and_leeway() -> None:
    token = sign_access_token(_claims(), KEY)
    assert _verify(token, now=NOW + 600 + 29)
    assert _code(token, now=NOW + 600 + 30) == "token.expired"
    assert _verify(token, now=NOW - 29)
    assert _code(token, now=NOW - 31) == "token.not_yet_valid"


def test_wrong_issuer_and_audience() -> None:
    token = sign_access_token(_claims(), KEY)
    with pytest.raises(TokenError) as caught:
        verify_access_token(token, KEYS, issuer="https://evil", audience=AUD, now=NOW)
    assert caught.value.code == "token.issuer"
    with pytest.raises(TokenError) as caught:
        verify_access_token(token, KEYS, issuer=ISS, audience="other-api", now=NOW)
    assert caught.value.code == "token.audience"


def test_unknown_and_other_keys() -> None:
    other = new_signing_key()
    assert _code(sign_access_token(_claims(), other)) == "token.unknown_key"
    # Another key presenting our kid: the signature does not verify.
    impostor = SigningKey(KEY.kid, other.private_pem, other.public_jwk)
    assert _code(sign_access_token(_claims(), impostor)) == "token.signature"
    assert _code(sign_access_token(_claims(), KEY), keys={}) == "token.unknown_key"


def test_alg_none_is_refused() -> None:
    header = _json({"alg": "none", "typ": "at+jwt", "kid": KEY.kid})
    body = _json(_claims().as_jwt())
    assert _code(f"{header}.{body}.") == "token.malformed"
    assert _code(f"{header}.{body}.AAAA") == "token.algorithm"


def test_hs256_with_the_public_key_as_secret_is_refused() -> None:
    header = _json({"alg": "HS256", "typ": "at+jwt", "kid": KEY.kid})
    body = _json(_claims().as_jwt())
    secret = json.dumps(KEY.public_jwk).encode()
    signature = _b64(hmac.new(secret, f"{header}.{body}".encode(), hashlib.sha256).digest())
    assert _code(f"{header}.{body}.{signature}") == "token.algorithm"


def test_key_injection_headers_are_refused() -> None:
    attacker = new_signing_key()
    header = _json({"alg": "ES256", "typ": "at+jwt", "kid": KEY.kid,
                    "jwk": attacker.public_jwk})
    _, body, signature = sign_access_token(_claims(), KEY).split(".")
    assert _code(f"{header}.{body}.{signature}") == "token.malformed"


def test_wrong_token_type_is_refused() -> None:
    header = _json({"alg": "ES256", "typ": "JWT", "kid": KEY.kid})
    _, body, signature = sign_access_token(_claims(), KEY).split(".")
    assert _code(f"{header}.{body}.{signature}") == "token.malformed"


def test_tampered_payload_and_signature() -> None:
    header, _, signature = sign_access_token(_claims(), KEY).split(".")
    forged = {**_claims().as_jwt(), "role": "tenant_admin"}
    assert _code(f"{header}.{_json(forged)}.{signature}") == "token.signature"
    token = sign_access_token(_claims(), KEY)
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert _code(flipped) == "token.signature"


@pytest.mark.parametrize(
    "token",
    ["", "abc", "a.b", "a.b.c.d", "..", "!!!.e30.AAAA", "e30.e30.AAAA", "bm90IGpzb24.e30.AA",
     "W10.e30.AA", "é.é.é", "a" * 9000],
)
def test_malformed_tokens(token: str) -> None:
    assert _code(token) in {"token.malformed", "token.algorithm"}


@pytest.mark.parametrize(
    ("claim", "value"),
    [("exp", True), ("exp", "1750000600"), ("iat", None), ("sub", ""), ("role", "root"),
     ("tenant", "Acme"), ("tenant", None), ("aud", [AUD]), ("scope", "fleet:read"),
     ("sub", "client:x"), ("jti", 5)],
)
def test_signed_but_bad_claims(claim: str, value: object) -> None:
    raw = {**_claims().as_jwt(), claim: value}
    assert _code(_sign_raw(raw)) in {"token.claims", "token.audience"}


def test_overlong_signed_lifetime_is_refused() -> None:
    raw = {**_claims().as_jwt(), "exp": NOW + 7200}
    assert _code(_sign_raw(raw)) == "token.claims"


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_arbitrary_text_never_verifies(token: str) -> None:
    with pytest.raises(TokenError):
        _verify(token)
