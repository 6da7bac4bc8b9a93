"""The API's error vocabulary: stable codes in ``extensions.code`` (GraphQL) or
``error.code`` (the REST auth routes), and the one table that maps every typed error of the
layers below onto them. Anything without a mapping is an internal error: its message is
replaced by a reference to the request id and the details go to the log only."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Final

from backend.core.access import AccessDenied
from backend.services.auth_errors import AccountLocked
from backend.services.ratelimits import RateLimited


class Code(enum.StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    BAD_REQUEST = "BAD_REQUEST"  # the HTTP request itself: body, content type, JSON shape
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    CSRF_FAILED = "CSRF_FAILED"
    CONFLICT = "CONFLICT"
    RATE_LIMITED = "RATE_LIMITED"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
    QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
    TIMEOUT = "TIMEOUT"
    TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"  # per websocket connection
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


HTTP_STATUS: Final[Mapping[Code, int]] = {
    Code.UNAUTHENTICATED: 401, Code.FORBIDDEN: 403, Code.NOT_FOUND: 404,
    Code.BAD_USER_INPUT: 400, Code.BAD_REQUEST: 400, Code.PAYLOAD_TOO_LARGE: 413,
    Code.CSRF_FAILED: 403, Code.CONFLICT: 409, Code.RATE_LIMITED: 429,
    Code.GRAPHQL_PARSE_FAILED: 400, Code.GRAPHQL_VALIDATION_FAILED: 400,
    Code.QUERY_TOO_DEEP: 400, Code.TOO_MANY_ALIASES: 400, Code.TOO_MANY_TOKENS: 400,
    Code.QUERY_TOO_COSTLY: 400, Code.TIMEOUT: 504, Code.TOO_MANY_SUBSCRIPTIONS: 429,
    Code.INTERNAL_SERVER_ERROR: 500,
}

# Service, core and storage error codes (their classes' ``code``) -> API code. Matched by
# the code string: the API may not import the storage layer, and the strings are stable.
SERVICE_CODES: Final[Mapping[str, Code]] = {
    "access.unknown_scope": Code.BAD_USER_INPUT,
    "auth.invalid_scope": Code.BAD_USER_INPUT,
    "auth.invalid_request": Code.BAD_USER_INPUT,
    "auth.invitation_invalid": Code.BAD_USER_INPUT,
    "auth.not_found": Code.NOT_FOUND,
    "service.invalid_input": Code.BAD_USER_INPUT,
    "service.not_found": Code.NOT_FOUND,
    "service.conflict": Code.CONFLICT,
    "rate.limited": Code.RATE_LIMITED,
    "storage.unknown_tenant": Code.NOT_FOUND,
    "storage.invalid_registry_value": Code.BAD_USER_INPUT,
    "storage.identity_conflict": Code.CONFLICT,
    "tenant.invalid_slug": Code.BAD_USER_INPUT,
    "storage.unknown_column": Code.BAD_USER_INPUT,
    "data.not_found": Code.NOT_FOUND,
    "data.already_exists": Code.CONFLICT,
    "data.case_conflict": Code.CONFLICT,
    "audit.invalid_query": Code.BAD_USER_INPUT,
    # A prune into the retention period: the request is refused as it stands, not retryable.
    "audit.retention_refused": Code.BAD_USER_INPUT,
}
# Whole families: every login, session and token failure is "who are you?"; every password
# policy refusal is bad input (``reason`` says which rule).
SERVICE_PREFIXES: Final[Mapping[str, Code]] = {
    "auth.": Code.UNAUTHENTICATED,
    "token.": Code.UNAUTHENTICATED,
    "totp.": Code.UNAUTHENTICATED,
    "password.": Code.BAD_USER_INPUT,
    "data.": Code.BAD_USER_INPUT,  # arguments, cursors, ranges and limits of data queries
}
CROSS_TENANT: Final = "cross-tenant access"
# SQLSTATE query_canceled, read from the driver's exception by attribute: the API does not
# import the database driver (the layering contracts).
_QUERY_CANCELED: Final = "57014"


class ApiError(Exception):
    """An error the transport raises itself, already in API terms."""

    def __init__(self, code: Code, message: str,
                 extensions: Mapping[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.extensions: Mapping[str, Any] = extensions or {}


def classify(error: BaseException) -> ApiError | None:
    """The API form of a typed error from any layer, or None when it is not ours to show."""
    if isinstance(error, ApiError):
        return error
    if isinstance(error, AccessDenied):
        # Another tenant's objects must look absent, not forbidden (docs/auth.md).
        if error.reason == CROSS_TENANT:
            return ApiError(Code.NOT_FOUND, "not found", {"reason": error.code})
        return ApiError(Code.FORBIDDEN, "not allowed", {"reason": error.code})
    if getattr(error, "sqlstate", None) == _QUERY_CANCELED:
        # The database's statement_timeout ended a statement: the same answer as the API's
        # own query timeout (narrow the request and retry), not an internal error.
        return ApiError(Code.TIMEOUT, "a database statement ran longer than allowed",
                        {"reason": "database.statement_timeout"})
    service_code = getattr(type(error), "code", None)
    if not isinstance(service_code, str):
        return None
    code = SERVICE_CODES.get(service_code) or next(
        (code for prefix, code in SERVICE_PREFIXES.items() if service_code.startswith(prefix)),
        None)
    if code is None:
        return None
    detail = getattr(error, "detail", None)
    message = detail if isinstance(detail, str) else code.value.lower().replace("_", " ")
    return ApiError(code, message, {"reason": service_code, **_extra(error)})


def _extra(error: BaseException) -> dict[str, Any]:
    if isinstance(error, RateLimited):
        return {"limit": error.limit, "quota": error.quota, "retry_after_s": error.retry_after_s}
    if isinstance(error, AccountLocked):
        return {"locked_until": error.until.isoformat()}
    return {}


def internal(request_id: str) -> ApiError:
    return ApiError(Code.INTERNAL_SERVER_ERROR,
                    f"internal error; quote request id {request_id} when reporting it")


def error_document(error: ApiError, request_id: str) -> dict[str, Any]:
    """The GraphQL-shaped body of an error answered before or instead of execution."""
    return {"errors": [{"message": error.message,
                        "extensions": {"code": error.code.value, **error.extensions,
                                       "requestId": request_id}}]}
