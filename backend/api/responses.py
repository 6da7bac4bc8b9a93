"""JSON answers of the transport: typed errors (GraphQL-shaped on /graphql, one ``error``
object on the REST routes) and bodies read with a size cap."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Final

import msgspec
from starlette.requests import Request
from starlette.responses import JSONResponse

from backend.api.errors import HTTP_STATUS, ApiError, Code, error_document

NO_STORE: Final = {"Cache-Control": "no-store"}


def _headers(error: ApiError) -> dict[str, str]:
    headers = dict(NO_STORE)
    retry = error.extensions.get("retry_after_s")
    if error.code is Code.RATE_LIMITED and isinstance(retry, int):
        headers["Retry-After"] = str(retry)
    return headers


def graphql_error_response(error: ApiError, request_id: str) -> JSONResponse:
    return JSONResponse(error_document(error, request_id), status_code=HTTP_STATUS[error.code],
                        headers=_headers(error))


def rest_error_response(error: ApiError, request_id: str) -> JSONResponse:
    body = {"error": {"code": error.code.value, "message": error.message, **error.extensions,
                      "request_id": request_id}}
    return JSONResponse(body, status_code=HTTP_STATUS[error.code], headers=_headers(error))


async def limited_body(request: Request, limit: int,
                       what: str = "request bodies") -> AsyncIterator[bytes]:
    """The body's chunks, refused with PAYLOAD_TOO_LARGE as soon as more than ``limit`` bytes
    are declared or have arrived (the declared length is not trusted: chunked bodies have
    none)."""
    too_large = ApiError(Code.PAYLOAD_TOO_LARGE, f"{what} are limited to {limit} bytes")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        yield chunk


async def read_body(request: Request, limit: int) -> bytes:
    """The whole request body, at most ``limit`` bytes."""
    body = b"".join([chunk async for chunk in limited_body(request, limit)])
    # Later readers (strawberry) get the same bytes from the request's cache.
    request._body = body
    return body


async def read_json_object(request: Request, limit: int) -> dict[str, Any]:
    """A JSON object body with ``Content-Type: application/json``. The content type matters:
    a cross-site HTML form cannot send it without a CORS preflight."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise ApiError(Code.BAD_REQUEST, "expected Content-Type: application/json")
    body = await read_body(request, limit)
    try:
        value = msgspec.json.decode(body)
    except msgspec.DecodeError:
        raise ApiError(Code.BAD_REQUEST, "the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise ApiError(Code.BAD_REQUEST, "the body must be a JSON object")
    return value


def text_field(body: dict[str, Any], name: str, *, required: bool = True,
               limit: int = 4096) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > limit:
        raise ApiError(Code.BAD_REQUEST, f"{name} must be a non-empty string"
                       f" of at most {limit} characters")
    return value
