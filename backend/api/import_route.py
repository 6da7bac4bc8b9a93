"""POST /vehicles/import: the bulk CSV import as a file upload, for files beyond what the
64 KiB GraphQL body can carry (``importVehicles`` takes the file as text).

The body is the CSV itself with ``Content-Type: text/csv`` (a type a cross-site HTML form
cannot send without a CORS preflight), read as a stream and refused as soon as it exceeds
the service's ``import_max_bytes``; ``?dry_run=true`` checks and counts without writing. The
caller is identified, checked for CSRF (cookie flow) and counted against the rate limits like
a GraphQL request, before a byte of the body is read. The answer is the import report of
``importVehicles`` (total, created, updated, per-row errors) as JSON, and the import is audited
like the mutation, whatever its outcome.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from backend.api.audit import Outcome
from backend.api.errors import ApiError, Code, classify, internal
from backend.api.middleware import request_id_of
from backend.api.responses import read_body, rest_error_response
from backend.api.runtime import ApiRuntime
from backend.core.access import AccessDenied, Principal
from backend.services import vehicle_import
from backend.services.vehicle_import import ImportReport

LOG = logging.getLogger("nevguard.api")
OPERATION: Final = "Upload.importVehicles"
CSV_TYPES: Final = frozenset({"text/csv"})
FLAGS: Final = {"true": True, "1": True, "false": False, "0": False}
DENIALS: Final = frozenset({Code.UNAUTHENTICATED, Code.FORBIDDEN, Code.CSRF_FAILED,
                            Code.RATE_LIMITED})


def report_document(report: ImportReport) -> dict[str, Any]:
    """The same fields as the GraphQL ImportReport, in camelCase."""
    return {"total": report.total, "created": list(report.created),
            "updated": list(report.updated), "dryRun": report.dry_run,
            "errors": [{"row": error.row, "field": error.field, "code": error.code,
                        "detail": error.detail} for error in report.errors]}


class ImportRoute:
    def __init__(self, runtime: ApiRuntime) -> None:
        self.runtime = runtime

    def routes(self) -> list[Route]:
        return [Route("/vehicles/import", self.upload, methods=["POST"])]

    async def upload(self, request: Request) -> Response:
        runtime = self.runtime
        auditor = runtime.auditor(request)
        principal: Principal | None = None
        dry_run = False
        try:
            content_type = request.headers.get("content-type", "").split(";")[0].strip()
            if content_type.lower() not in CSV_TYPES:
                raise ApiError(Code.BAD_REQUEST, "expected Content-Type: text/csv")
            dry_run = _flag(request.query_params.get("dry_run", "false"))
            principal, tenant = await runtime.tenant_uploader(
                request, auditor, "an import acts inside your own tenant")
            settings = runtime.services.settings
            data = await read_body(request, settings.data.import_max_bytes)
            async with asyncio.timeout(settings.api.query_timeout.total_seconds()):
                report = await vehicle_import.import_vehicles(
                    runtime.services.db, principal, tenant, data, dry_run=dry_run,
                    limits=settings.data)
        except Exception as error:
            typed = _typed(error, request_id_of(request.scope))
            denied = typed.code in DENIALS or isinstance(error, AccessDenied)
            await auditor.record(principal, OPERATION,
                                 Outcome.DENIED if denied else Outcome.FAILED,
                                 tenant=None if principal is None else principal.tenant,
                                 details={"code": typed.code.value, "dry_run": dry_run})
            return rest_error_response(typed, request_id_of(request.scope))
        await auditor.record(principal, OPERATION, Outcome.OK, tenant=principal.tenant,
                             details={"total": report.total, "created": len(report.created),
                                      "updated": len(report.updated),
                                      "errors": len(report.errors), "dry_run": dry_run})
        return JSONResponse(report_document(report))


def _flag(value: str) -> bool:
    flag = FLAGS.get(value.strip().lower())
    if flag is None:
        raise ApiError(Code.BAD_USER_INPUT, "dry_run is true or false")
    return flag


def _typed(error: Exception, request_id: str) -> ApiError:
    if isinstance(error, TimeoutError):
        return ApiError(Code.TIMEOUT, "the import ran longer than the query timeout")
    typed = classify(error)
    if typed is None:
        LOG.error("request %s: vehicle import upload failed", request_id,
                  exc_info=(type(error), error, error.__traceback__))
        return internal(request_id)
    return typed
