"""Who is calling: a bearer access token or the browser's access cookie, the CSRF double
submit for cookie requests, and the cookies themselves.

Cookies are httpOnly (except the CSRF token, which the page must read to echo it), Secure and
SameSite=Strict. The access and CSRF cookies use the ``__Host-`` prefix (no Domain, Path=/);
the refresh cookie is only sent to /auth.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Final

from starlette.requests import HTTPConnection
from starlette.responses import Response

from backend.api.errors import ApiError, Code
from backend.core.access import Principal
from backend.services import auth
from backend.services.runtime import Services

ACCESS_COOKIE: Final = "__Host-nevguard_access"
CSRF_COOKIE: Final = "__Host-nevguard_csrf"
REFRESH_COOKIE: Final = "__Secure-nevguard_refresh"
REFRESH_PATH: Final = "/auth"
CSRF_HEADER: Final = "x-csrf-token"


@dataclass(frozen=True, slots=True)
class Credential:
    token: str
    from_cookie: bool


def credential(connection: HTTPConnection) -> Credential | None:
    """The bearer header wins over the cookie; a malformed header is an error, not a
    fallback to the cookie (that would hide a client bug)."""
    header = connection.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(Code.UNAUTHENTICATED, "expected Authorization: Bearer <token>")
        return Credential(token.strip(), from_cookie=False)
    cookie = connection.cookies.get(ACCESS_COOKIE)
    return None if not cookie else Credential(cookie, from_cookie=True)


def check_csrf(connection: HTTPConnection) -> None:
    cookie = connection.cookies.get(CSRF_COOKIE, "")
    header = connection.headers.get(CSRF_HEADER, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), header.encode()):
        raise ApiError(Code.CSRF_FAILED, f"cookie requests must repeat the {CSRF_COOKIE}"
                       f" cookie in the X-CSRF-Token header")


async def principal_of(services: Services, connection: HTTPConnection, *,
                       csrf: bool) -> Principal | None:
    """None for an anonymous caller; a present but bad credential raises."""
    found = credential(connection)
    if found is None:
        return None
    if found.from_cookie and csrf:
        check_csrf(connection)
    return await auth.authenticate(services.db, services.auth, found.token)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def set_session_cookies(response: Response, *, access_token: str, access_seconds: int,
                        refresh_token: str, refresh_seconds: int, csrf: str) -> None:
    for name, value, max_age, path, httponly in (
            (ACCESS_COOKIE, access_token, access_seconds, "/", True),
            (REFRESH_COOKIE, refresh_token, refresh_seconds, REFRESH_PATH, True),
            (CSRF_COOKIE, csrf, refresh_seconds, "/", False)):
        response.set_cookie(name, value, max_age=max_age, path=path, secure=True,
                            httponly=httponly, samesite="strict")


def clear_session_cookies(response: Response) -> None:
    for name, path in ((ACCESS_COOKIE, "/"), (REFRESH_COOKIE, REFRESH_PATH), (CSRF_COOKIE, "/")):
        response.delete_cookie(name, path=path, secure=True, httponly=name != CSRF_COOKIE,
                               samesite="strict")
