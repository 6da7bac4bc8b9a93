"""Access tokens: the claim set, signing, and every check a token must pass (issue 4).

Tokens are JWTs (RFC 7519) in the access-token profile of RFC 9068 (``typ: at+jwt``), signed
with ES256 only. The algorithm is pinned on both sides: a header that names anything else
(``none``, HS256 with the public key as an HMAC secret, RS256...) is refused before any
cryptography runs, and the verification key is chosen by ``kid`` among our own keys, never from
a header (``jwk``, ``jku``, ``x5u`` and any other header parameter are refused).
Issuer, audience, expiry, not-before and issue time are always checked, against a ``now`` the
caller passes in. Whether the session behind a token is still alive is a database question the
service answers after this.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar, Final

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from backend.core.access import Principal, Role, is_provider_role, parse_scope
from backend.core.tenancy import is_tenant_slug

ALGORITHM: Final = "ES256"
TOKEN_TYPE: Final = "at+jwt"  # noqa: S105 - a media type (RFC 9068 §2.1), not a secret
MAX_ACCESS_LIFETIME: Final = timedelta(hours=1)
MAX_REFRESH_LIFETIME: Final = timedelta(days=30)
# Clock skew tolerated between the issuing and the verifying host.
LEEWAY: Final = timedelta(seconds=30)
# Bounds the work an unauthenticated caller can cause; our tokens are well under 1 KiB.
MAX_TOKEN_BYTES: Final = 8192
_HEADER_KEYS: Final = frozenset({"alg", "typ", "kid"})


class TokenError(ValueError):
    """A token that must not be trusted; `code` is stable, the message never echoes it."""

    code: ClassVar[str] = "token.invalid"

    def __init__(self, detail: str) -> None:
        super().__init__(f"{self.code}: {detail}")
        self.detail = detail


class TokenMalformed(TokenError):
    code = "token.malformed"


class TokenAlgorithm(TokenError):
    code = "token.algorithm"


class TokenUnknownKey(TokenError):
    code = "token.unknown_key"


class TokenSignature(TokenError):
    code = "token.signature"


class TokenExpired(TokenError):
    code = "token.expired"


class TokenNotYetValid(TokenError):
    code = "token.not_yet_valid"


class TokenIssuer(TokenError):
    code = "token.issuer"


class TokenAudience(TokenError):
    code = "token.audience"


class TokenClaims(TokenError):
    code = "token.claims"


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    private_pem: str = field(repr=False)
    public_jwk: Mapping[str, Any]


def new_signing_key() -> SigningKey:
    """A fresh P-256 key; its kid is the RFC 7638 thumbprint, so it names the key itself."""
    key = ECKey.generate_key("P-256", private=True)
    kid = key.thumbprint()
    public = {**key.as_dict(private=False), "kid": kid, "alg": ALGORITHM, "use": "sig"}
    return SigningKey(kid, key.as_pem(private=True).decode("ascii"), public)


@dataclass(frozen=True, slots=True)
class AccessClaims:
    issuer: str
    audience: str
    subject: str
    role: Role
    tenant: str | None
    token_id: str
    issued_at: int
    not_before: int
    expires_at: int
    session_id: str | None = None  # users: the refresh-token family; clients have none
    scopes: frozenset[str] | None = None  # API clients only

    def principal(self) -> Principal:
        return Principal(self.subject, self.role, self.tenant, self.scopes, self.session_id)

    def as_jwt(self) -> dict[str, Any]:
        claims: dict[str, Any] = {
            "iss": self.issuer, "aud": self.audience, "sub": self.subject,
            "role": self.role.value, "tenant": self.tenant, "jti": self.token_id,
            "iat": self.issued_at, "nbf": self.not_before, "exp": self.expires_at,
        }
        if self.session_id is not None:
            claims["sid"] = self.session_id
        if self.scopes is not None:
            claims["scope"] = " ".join(sorted(self.scopes))
        return claims


def access_claims(principal: Principal, *, issuer: str, audience: str, token_id: str,
                  now: int, lifetime: timedelta) -> AccessClaims:
    if not timedelta(0) < lifetime <= MAX_ACCESS_LIFETIME:
        raise TokenClaims(f"access token lifetime must be within {MAX_ACCESS_LIFETIME}")
    claims = AccessClaims(
        issuer=issuer, audience=audience, subject=principal.subject, role=principal.role,
        tenant=principal.tenant, token_id=token_id, issued_at=now, not_before=now,
        expires_at=now + int(lifetime.total_seconds()), session_id=principal.session_id,
        scopes=principal.scopes,
    )
    _check_identity(claims)
    return claims


def sign_access_token(claims: AccessClaims, key: SigningKey) -> str:
    private = ECKey.import_key(key.private_pem)
    header = {"alg": ALGORITHM, "typ": TOKEN_TYPE, "kid": key.kid}
    payload = json.dumps(claims.as_jwt(), separators=(",", ":")).encode()
    return jws.serialize_compact(header, payload, private, algorithms=[ALGORITHM])


def token_key_id(token: str) -> str:
    """The ``kid`` of a token whose header passes the pinning rules (signature unchecked)."""
    if len(token) > MAX_TOKEN_BYTES or not token.isascii():
        raise TokenMalformed("too long or not ASCII")
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise TokenMalformed("expected three non-empty parts")
    header = _json_part(parts[0])
    if header.get("alg") != ALGORITHM:
        raise TokenAlgorithm(f"only {ALGORITHM} is accepted")
    if header.get("typ") != TOKEN_TYPE or not header.keys() <= _HEADER_KEYS:
        raise TokenMalformed("unexpected header")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenUnknownKey("no kid")
    return kid


def verify_access_token(token: str, public_keys: Mapping[str, Mapping[str, Any]], *,
                        issuer: str, audience: str, now: int) -> AccessClaims:
    """Check header, signature and claims; ``public_keys`` maps kid to a public JWK."""
    kid = token_key_id(token)
    jwk = public_keys.get(kid)
    if jwk is None:
        raise TokenUnknownKey("kid is not one of our keys")
    try:
        signed = jws.deserialize_compact(token, ECKey.import_key(dict(jwk)),
                                         algorithms=[ALGORITHM])
    except JoseError:
        raise TokenSignature("signature does not verify") from None
    claims = _claims(_json_bytes(signed.payload))
    if claims.issuer != issuer:
        raise TokenIssuer("unexpected issuer")
    if claims.audience != audience:
        raise TokenAudience("unexpected audience")
    leeway = int(LEEWAY.total_seconds())
    if now >= claims.expires_at + leeway:
        raise TokenExpired("expired")
    if now + leeway < claims.not_before or now + leeway < claims.issued_at:
        raise TokenNotYetValid("not valid yet")
    if claims.expires_at - claims.issued_at > MAX_ACCESS_LIFETIME.total_seconds():
        raise TokenClaims("lifetime longer than any token we issue")
    return claims


def _json_part(part: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise TokenMalformed("bad base64url") from None
    return _json_bytes(raw)


def _json_bytes(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise TokenMalformed("bad JSON") from None
    if not isinstance(value, dict):
        raise TokenMalformed("expected a JSON object")
    return value


def _claims(raw: Mapping[str, Any]) -> AccessClaims:
    def text(name: str, *, optional: bool = False) -> str | None:
        value = raw.get(name)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value:
            raise TokenClaims(f"{name} must be a non-empty string")
        return value

    def seconds(name: str) -> int:
        value = raw.get(name)
        # bool is an int in Python; JSON true must not pass as a time.
        if not isinstance(value, int) or isinstance(value, bool):
            raise TokenClaims(f"{name} must be an integer time")
        return value

    try:
        role = Role(str(raw.get("role")))
    except ValueError:
        raise TokenClaims("unknown role") from None
    scope = text("scope", optional=True)
    try:
        scopes = None if scope is None else parse_scope(scope)
    except ValueError:
        raise TokenClaims("unknown scope") from None
    claims = AccessClaims(
        issuer=str(text("iss")), audience=str(text("aud")), subject=str(text("sub")),
        role=role, tenant=text("tenant", optional=True), token_id=str(text("jti")),
        issued_at=seconds("iat"), not_before=seconds("nbf"), expires_at=seconds("exp"),
        session_id=text("sid", optional=True), scopes=scopes,
    )
    _check_identity(claims)
    return claims


def _check_identity(claims: AccessClaims) -> None:
    """The combinations we issue: provider staff without a tenant, everyone else with one;
    users with a session and no scopes, API clients with scopes and no session."""
    if is_provider_role(claims.role) != (claims.tenant is None):
        raise TokenClaims("tenant does not fit the role")
    if claims.tenant is not None and not is_tenant_slug(claims.tenant):
        raise TokenClaims("bad tenant")
    is_client = claims.role is Role.API_CLIENT
    if is_client != (claims.scopes is not None) or is_client == (claims.session_id is not None):
        raise TokenClaims("session and scopes do not fit the role")
    if claims.subject.partition(":")[0] != ("client" if is_client else "user"):
        raise TokenClaims("subject does not fit the role")
