"""POST /alarm-cases/{case_id}/evidence: the console's evidence upload.

``attachAlarmEvidence`` answers a presigned S3 PUT, which suits API clients; a browser PUT to
the object store's origin needs CORS on the bucket, which not every store is configured for.
So the console sends the file here instead: the body is the file itself, its media type the
request's ``Content-Type``, its name the ``file_name`` query parameter. The caller is
identified, checked for CSRF (cookie flow) and counted against the rate limits before a byte
of the body is read; the body is spooled (memory up to 1 MiB, then a temporary file) and
refused with 413 as soon as it exceeds ``evidence_max_bytes``, then written to S3 and recorded
on the case like the mutation (an ``evidence_added`` step). The answer is the evidence record
as JSON; the request is audited whatever its outcome.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from typing import IO, Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from backend.api.audit import Outcome
from backend.api.errors import ApiError, Code, classify, internal
from backend.api.middleware import request_id_of
from backend.api.responses import limited_body, rest_error_response
from backend.api.runtime import ApiRuntime
from backend.core.access import AccessDenied, Principal
from backend.core.alarm_cases.query import Evidence
from backend.services import alarm_cases

LOG = logging.getLogger("nevguard.api")
OPERATION: Final = "Upload.attachAlarmEvidence"
SPOOL_IN_MEMORY: Final = 1024 * 1024
DENIALS: Final = frozenset({Code.UNAUTHENTICATED, Code.FORBIDDEN, Code.CSRF_FAILED,
                            Code.RATE_LIMITED})


def evidence_document(evidence: Evidence) -> dict[str, Any]:
    """The same fields as the GraphQL AlarmEvidence (without the download URL)."""
    return {"id": evidence.id, "fileName": evidence.file_name,
            "contentType": evidence.content_type, "addedBy": evidence.added_by,
            "addedAt": evidence.added_at.isoformat()}


async def spool_body(request: Request, limit: int, spool: IO[bytes]) -> int:
    """Copy the body into ``spool``, refused as soon as it exceeds ``limit`` bytes (the
    declared length is not trusted); the number of bytes, with ``spool`` rewound."""
    size = 0
    async for chunk in limited_body(request, limit, "evidence files"):
        size += len(chunk)
        spool.write(chunk)
    if size == 0:
        raise ApiError(Code.BAD_USER_INPUT, "the evidence file is empty")
    spool.seek(0)
    return size


class EvidenceRoute:
    def __init__(self, runtime: ApiRuntime) -> None:
        self.runtime = runtime

    def routes(self) -> list[Route]:
        return [Route("/alarm-cases/{case_id}/evidence", self.upload, methods=["POST"])]

    async def upload(self, request: Request) -> Response:
        runtime = self.runtime
        auditor = runtime.auditor(request)
        principal: Principal | None = None
        case_id = str(request.path_params["case_id"])
        try:
            content_type = request.headers.get("content-type", "").split(";")[0]
            file_name = request.query_params.get("file_name", "")
            principal, tenant = await runtime.tenant_uploader(
                request, auditor, "evidence belongs to a case of your own tenant")
            services = runtime.services
            acting = alarm_cases.Acting(services.db, services.redis, principal, tenant)
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
                length = await spool_body(request, services.settings.data.evidence_max_bytes,
                                          spool)
                async with asyncio.timeout(services.settings.api.query_timeout
                                           .total_seconds()):
                    evidence = await alarm_cases.store_evidence(
                        acting, services.settings, case_id, file_name=file_name,
                        content_type=content_type, data=spool, length=length)
        except Exception as error:
            typed = _typed(error, request_id_of(request.scope))
            denied = typed.code in DENIALS or isinstance(error, AccessDenied)
            await auditor.record(principal, OPERATION,
                                 Outcome.DENIED if denied else Outcome.FAILED,
                                 tenant=None if principal is None else principal.tenant,
                                 details={"code": typed.code.value, "case_id": case_id})
            return rest_error_response(typed, request_id_of(request.scope))
        await auditor.record(principal, OPERATION, Outcome.OK, tenant=principal.tenant,
                             details={"case_id": case_id, "evidence_id": evidence.id,
                                      "bytes": length})
        return JSONResponse(evidence_document(evidence), status_code=201)


def _typed(error: Exception, request_id: str) -> ApiError:
    if isinstance(error, TimeoutError):
        return ApiError(Code.TIMEOUT, "storing the evidence ran longer than the query timeout")
    typed = classify(error)
    if typed is None:
        LOG.error("request %s: evidence upload failed", request_id,
                  exc_info=(type(error), error, error.__traceback__))
        return internal(request_id)
    return typed
