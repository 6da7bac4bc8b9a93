"""Typed errors of the response workflow and its settings (stable codes, mapped by the API)."""

from __future__ import annotations

from backend.core.data_errors import DataError, InvalidArgument


class IllegalTransition(DataError):
    """A workflow step the case's state does not allow (dispose an unacknowledged case,
    acknowledge a disposed one); the API answers CONFLICT."""

    code = "data.case_conflict"


class InvalidSettings(InvalidArgument):
    """A handling policy, calendar, rota or channel document that does not hold together."""
