"""Typed errors of the administration use cases, with stable codes. Identity errors live in
auth_errors; authorization refusals are backend.core.access.AccessDenied."""

from __future__ import annotations

from typing import ClassVar


class ServiceError(Exception):
    code: ClassVar[str] = "service.error"

    def __init__(self, detail: str) -> None:
        super().__init__(f"{self.code}: {detail}")
        self.detail = detail


class InvalidInput(ServiceError):
    """Arguments refused before anything is read or changed."""

    code = "service.invalid_input"


class NotFound(ServiceError):
    """Missing, or another tenant's: from outside the two look the same."""

    code = "service.not_found"


class Conflict(ServiceError):
    """The object exists already or is in a state that does not allow the change."""

    code = "service.conflict"
