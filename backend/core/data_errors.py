"""Typed errors of the tenant data use cases (registry, fleet, history), with stable codes the
API maps one to one. Refusals by permission are backend.core.access.AccessDenied.

A vehicle of another tenant is reported exactly like one that does not exist (NotFound), so
no answer ever tells a tenant which VINs another tenant has.
"""

from __future__ import annotations

from typing import ClassVar


class DataError(Exception):
    code: ClassVar[str] = "data.error"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(f"{self.code}: {detail}")
        self.detail = detail
        self.field = field  # the argument at fault, when one is


class NotFound(DataError):
    """Missing, or another tenant's: the two look the same from outside."""

    code = "data.not_found"


class InvalidArgument(DataError):
    """An argument refused before anything is read or written. ``reason`` is a stable code
    for the kind of fault (``invalid_vin``, ``too_long``...), used by the import report."""

    code = "data.invalid_argument"

    def __init__(self, detail: str, *, field: str | None = None,
                 reason: str = "invalid") -> None:
        super().__init__(detail, field=field)
        self.reason = reason


class AlreadyExists(DataError):
    """A unique value (model name, VIN) is taken. For a VIN the answer does not say by whom:
    VINs are unique by law, so a taken VIN is a typo or another tenant's, and only the
    platform's staff may find out which."""

    code = "data.already_exists"


class InvalidCursor(DataError):
    """A page cursor that was altered, truncated or made for another query."""

    code = "data.invalid_cursor"


class RangeTooLarge(DataError):
    code = "data.range_too_large"


class LimitExceeded(DataError):
    """A request over a configured limit; says which limit and its value (MISSION.md: never
    an anonymous "limit exceeded")."""

    code = "data.limit_exceeded"

    def __init__(self, limit: str, maximum: int, detail: str) -> None:
        super().__init__(f"{detail} (limit {limit} = {maximum})", field=limit)
        self.limit = limit
        self.maximum = maximum
