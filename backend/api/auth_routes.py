"""POST /auth/login, /auth/refresh, /auth/logout and /auth/invitations/accept.

A browser asks for ``"session": "cookie"`` (the default) and gets the tokens as httpOnly
cookies plus a CSRF token; other callers ask for ``"session": "token"`` and get them in the
JSON body. Bodies must be JSON, so a cross-site form cannot post here without a preflight.
Every outcome is audited; the token logic itself is the auth service's.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from backend.api.audit import Auditor, Outcome
from backend.api.errors import ApiError, Code, classify
from backend.api.middleware import request_id_of
from backend.api.responses import NO_STORE, read_json_object, rest_error_response, text_field
from backend.api.runtime import ApiRuntime
from backend.api.session import (
    REFRESH_COOKIE,
    check_csrf,
    clear_session_cookies,
    new_csrf_token,
    set_session_cookies,
)
from backend.services import auth, users
from backend.services.auth import ClientInfo, TokenPair

MAX_AUTH_BODY: Final = 8 * 1024


def _session_mode(body: dict[str, Any]) -> str:
    mode = body.get("session", "cookie")
    if mode not in {"cookie", "token"}:
        raise ApiError(Code.BAD_REQUEST, 'session must be "cookie" or "token"')
    return str(mode)


def _tokens_response(pair: TokenPair, mode: str, refresh_seconds: int) -> JSONResponse:
    if mode == "token":
        return JSONResponse({"access_token": pair.access_token, "token_type": "Bearer",
                             "expires_in": pair.expires_in, "refresh_token": pair.refresh_token},
                            headers=NO_STORE)
    csrf = new_csrf_token()
    response = JSONResponse({"expires_in": pair.expires_in, "csrf_token": csrf},
                            headers=NO_STORE)
    set_session_cookies(response, access_token=pair.access_token,
                        access_seconds=pair.expires_in, refresh_token=pair.refresh_token,
                        refresh_seconds=refresh_seconds, csrf=csrf)
    return response


class AuthRoutes:
    def __init__(self, runtime: ApiRuntime) -> None:
        self.runtime = runtime

    def routes(self) -> list[Route]:
        return [Route("/auth/login", self.login, methods=["POST"]),
                Route("/auth/refresh", self.refresh, methods=["POST"]),
                Route("/auth/logout", self.logout, methods=["POST"]),
                Route("/auth/invitations/accept", self.accept_invitation, methods=["POST"])]

    def _auditor(self, request: Request) -> Auditor:
        return self.runtime.auditor(request)

    async def _failed(self, request: Request, auditor: Auditor, operation: str,
                      error: Exception, actor_hint: str | None = None) -> Response:
        typed = classify(error)
        if typed is None:
            raise error
        outcome = Outcome.DENIED if typed.code in {Code.CSRF_FAILED, Code.RATE_LIMITED} \
            else Outcome.FAILED
        await auditor.record(None, operation, outcome, actor_hint=actor_hint,
                             details={"reason": str(typed.extensions.get("reason",
                                                                         typed.code.value))})
        return rest_error_response(typed, request_id_of(request.scope))

    def _client(self, request: Request, auditor: Auditor) -> ClientInfo:
        return ClientInfo(user_agent=auditor.origin.user_agent, ip=auditor.origin.ip)

    async def login(self, request: Request) -> Response:
        auditor = self._auditor(request)
        email: str | None = None
        try:
            await self.runtime.limiter.login_attempt(auditor.origin.ip or "-")
            body = await read_json_object(request, MAX_AUTH_BODY)
            mode = _session_mode(body)
            email = text_field(body, "email", limit=320)
            password = text_field(body, "password", limit=1024)
            totp = text_field(body, "totp", required=False, limit=16)
            services = self.runtime.services
            pair = await auth.login(services.db, services.auth, email or "", password or "",
                                    totp_code=totp, client=self._client(request, auditor))
        except Exception as error:
            return await self._failed(request, auditor, "auth.login", error, email)
        await auditor.record(pair.principal, "auth.login", Outcome.OK,
                             tenant=pair.principal.tenant)
        return _tokens_response(pair, mode, self._refresh_seconds())

    async def refresh(self, request: Request) -> Response:
        auditor = self._auditor(request)
        try:
            body = await read_json_object(request, MAX_AUTH_BODY)
            mode = _session_mode(body)
            if mode == "cookie":
                check_csrf(request)
                token = request.cookies.get(REFRESH_COOKIE) or ""
                if not token:
                    raise ApiError(Code.UNAUTHENTICATED, "no refresh cookie")
            else:
                token = text_field(body, "refresh_token", limit=512) or ""
            services = self.runtime.services
            pair = await auth.refresh(services.db, services.auth, token,
                                      client=self._client(request, auditor))
        except Exception as error:
            return await self._failed(request, auditor, "auth.refresh", error)
        await auditor.record(pair.principal, "auth.refresh", Outcome.OK,
                             tenant=pair.principal.tenant)
        return _tokens_response(pair, mode, self._refresh_seconds())

    async def logout(self, request: Request) -> Response:
        """Revokes the session of the presented access token; the cookies are cleared
        whatever happens, so a browser never keeps a dead session."""
        auditor = self._auditor(request)
        try:
            principal = await self.runtime.identify(request, auditor, csrf=True)
            if principal is None:
                raise ApiError(Code.UNAUTHENTICATED, "no session to end")
            revoked = await auth.logout(self.runtime.services.db, principal)
        except Exception as error:
            response = await self._failed(request, auditor, "auth.logout", error)
            clear_session_cookies(response)
            return response
        await auditor.record(principal, "auth.logout", Outcome.OK, tenant=principal.tenant,
                             details={"revoked": revoked})
        response = JSONResponse({"revoked": revoked}, headers=NO_STORE)
        clear_session_cookies(response)
        return response

    async def accept_invitation(self, request: Request) -> Response:
        auditor = self._auditor(request)
        try:
            await self.runtime.limiter.login_attempt(auditor.origin.ip or "-")
            body = await read_json_object(request, MAX_AUTH_BODY)
            token = text_field(body, "token", limit=512) or ""
            password = text_field(body, "password", limit=1024) or ""
            name = text_field(body, "display_name", required=False, limit=200) or ""
            services = self.runtime.services
            created = await users.accept_invitation(services.db, services.auth, token,
                                                    password=password, display_name=name)
        except Exception as error:
            return await self._failed(request, auditor, "auth.invitation_accept", error)
        user = created.user
        await auditor.record(None, "auth.invitation_accept", Outcome.OK, tenant=user.tenant,
                             targets=(f"user:{user.id}",), actor_hint=f"user:{user.id}")
        return JSONResponse({"user": {"id": user.id, "email": user.email,
                                      "role": user.role.value, "tenant": user.tenant},
                             "totp_uri": created.totp_uri}, headers=NO_STORE)

    def _refresh_seconds(self) -> int:
        return int(self.runtime.services.auth.refresh_token_ttl.total_seconds())
