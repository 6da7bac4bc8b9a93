"""POST /oauth/token: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) for OEM systems.

Clients authenticate with HTTP Basic (client_secret_basic) or with form fields
(client_secret_post), never both (§2.3). Errors are the JSON of §5.2, built with authlib's
error types; the client and token logic is the api_clients service's.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import parse_qsl

from authlib.oauth2.rfc6749.errors import (
    InvalidClientError,
    InvalidRequestError,
    InvalidScopeError,
    UnsupportedGrantTypeError,
)
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from backend.api.audit import Outcome
from backend.api.errors import ApiError
from backend.api.responses import read_body
from backend.api.runtime import ApiRuntime
from backend.services import api_clients
from backend.services.auth_errors import InvalidClient, InvalidScope
from backend.services.ratelimits import RateLimited

MAX_TOKEN_BODY: Final = 4 * 1024
FORM: Final = "application/x-www-form-urlencoded"


def _oauth_error(error: Any) -> JSONResponse:
    status, body, headers = error()
    return JSONResponse(body, status_code=status, headers=dict(headers))


def _form(raw: bytes) -> dict[str, str]:
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw))
    except (UnicodeDecodeError, ValueError):
        raise InvalidRequestError(description="the body is not a valid form") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:  # §3.2: parameters must not be repeated
            raise InvalidRequestError(description=f"parameter {name} is repeated")
        form[name] = value
    return form


def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str, str, bool]:
    """(client_id, client_secret, via_basic)."""
    in_body = "client_id" in form or "client_secret" in form
    if "authorization" in request.headers:
        if in_body:
            raise InvalidRequestError(description="use one client authentication method")
        client_id, secret = extract_basic_authorization(request.headers)
        if not client_id or not secret:
            raise InvalidClientError(description="malformed Basic credentials", status_code=401)
        return str(client_id), str(secret), True
    client_id, secret = form.get("client_id"), form.get("client_secret")
    if not client_id or not secret:
        raise InvalidClientError(description="client authentication is required",
                                 status_code=401)
    return client_id, secret, False


class OAuthRoutes:
    def __init__(self, runtime: ApiRuntime) -> None:
        self.runtime = runtime

    def routes(self) -> list[Route]:
        return [Route("/oauth/token", self.token, methods=["POST"])]

    async def token(self, request: Request) -> Response:
        auditor = self.runtime.auditor(request)
        client_id: str | None = None
        try:
            await self.runtime.limiter.login_attempt(auditor.origin.ip or "-")
            content_type = request.headers.get("content-type", "").split(";")[0].strip()
            if content_type.lower() != FORM:
                raise InvalidRequestError(description=f"expected Content-Type: {FORM}")
            try:
                form = _form(await read_body(request, MAX_TOKEN_BODY))
            except ApiError as error:
                raise InvalidRequestError(description=error.message) from None
            grant_type = form.get("grant_type")
            if not grant_type:
                raise InvalidRequestError(description="grant_type is required")
            if grant_type != "client_credentials":
                raise UnsupportedGrantTypeError(grant_type)
            client_id, secret, via_basic = _client_credentials(request, form)
            services = self.runtime.services
            try:
                issued = await api_clients.client_credentials_token(
                    services.db, services.auth, client_id=client_id, client_secret=secret,
                    scope=form.get("scope"))
            except InvalidClient:
                raise InvalidClientError(description="unknown client or wrong secret",
                                         status_code=401 if via_basic else 400) from None
            except InvalidScope:
                raise InvalidScopeError(description="scope beyond what the client was given"
                                        ) from None
        except RateLimited as limited:
            await auditor.record(None, "auth.client_credentials", Outcome.DENIED,
                                 actor_hint=client_id, details={"limit": limited.limit})
            return JSONResponse(
                {"error": "temporarily_unavailable", "error_description": limited.detail},
                status_code=429, headers={"Retry-After": str(limited.retry_after_s),
                                          "Cache-Control": "no-store"})
        except (InvalidRequestError, InvalidClientError, InvalidScopeError,
                UnsupportedGrantTypeError) as error:
            await auditor.record(None, "auth.client_credentials", Outcome.FAILED,
                                 actor_hint=client_id, details={"reason": str(error.error)})
            return _oauth_error(error)
        await auditor.record(None, "auth.client_credentials", Outcome.OK,
                             actor_hint=f"client:{client_id}", details={"scope": issued.scope})
        return JSONResponse({"access_token": issued.access_token, "token_type": "Bearer",
                             "expires_in": issued.expires_in, "scope": issued.scope},
                            headers={"Cache-Control": "no-store", "Pragma": "no-cache"})
