"""Typed authentication errors with stable codes. Authorization refusals are
backend.core.access.AccessDenied; token format and signature refusals are
backend.core.tokens.TokenError. Messages never contain a password, secret or token."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar


class AuthError(Exception):
    code: ClassVar[str] = "auth.error"

    def __init__(self, detail: str) -> None:
        super().__init__(f"{self.code}: {detail}")
        self.detail = detail


class InvalidCredentials(AuthError):
    """Unknown e-mail, wrong password, disabled account or suspended tenant: one answer, so
    the caller learns nothing about which."""

    code = "auth.invalid_credentials"


class AccountLocked(AuthError):
    code = "auth.locked"

    def __init__(self, until: datetime) -> None:
        super().__init__(f"locked until {until.isoformat()}")
        self.until = until


class TotpRequired(AuthError):
    """The password was right; the account needs its one-time code too."""

    code = "auth.totp_required"


class TotpEnrollmentRequired(AuthError):
    code = "auth.totp_enrollment_required"


class InvalidTotp(AuthError):
    code = "auth.totp_invalid"


class ReplayedTotp(AuthError):
    code = "auth.totp_replayed"


class InvalidRefreshToken(AuthError):
    code = "auth.refresh_invalid"


class RefreshTokenReused(AuthError):
    """A rotated refresh token came back: someone holds a copy, so the whole session ended."""

    code = "auth.refresh_reused"


class SessionRevoked(AuthError):
    code = "auth.session_revoked"


class InvalidClient(AuthError):
    code = "auth.invalid_client"


class InvalidScope(AuthError):
    code = "auth.invalid_scope"


class InvalidInvitation(AuthError):
    code = "auth.invitation_invalid"


class InvalidRequest(AuthError):
    """Arguments the service refuses before touching anything (bad e-mail, bad duration)."""

    code = "auth.invalid_request"


class NotFound(AuthError):
    """Missing, or belongs to another tenant: the two look the same from outside."""

    code = "auth.not_found"
