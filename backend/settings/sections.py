"""The settings of each part of the platform, with their defaults and the readers that take them
from the environment (each value bounded, each error naming its key)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from backend.core.audit import MIN_RETENTION
from backend.core.security_alerts import AlertThresholds
from backend.core.tokens import MAX_ACCESS_LIFETIME, MAX_REFRESH_LIFETIME
from backend.settings.values import InvalidSetting, Source, split_url


@dataclass(frozen=True, slots=True)
class AuthSettings:
    """Identity settings (docs/auth.md). The signing keys live in the database, rotated by
    the key service, so nothing here is secret."""

    issuer: str = "nevguard"
    audience: str = "nevguard-api"
    access_token_ttl: timedelta = timedelta(minutes=10)
    refresh_token_ttl: timedelta = timedelta(days=14)
    # The name authenticator apps show next to the account.
    totp_issuer: str = "NEVGuard"


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """The GraphQL API's transport settings (docs/api.md). Rates are per minute; a tenant's
    own ``api_requests_per_minute`` quota, when set, replaces the tenant default."""

    cors_origins: tuple[str, ...] = ()
    # Served behind TLS (directly or by a terminating proxy): adds HSTS.
    tls: bool = False
    tenant_requests_per_minute: int = 600
    principal_requests_per_minute: int = 300
    anonymous_requests_per_minute: int = 60  # per client IP, before authentication
    login_attempts_per_minute: int = 20  # per client IP, on /auth/login and /oauth/token
    query_timeout: timedelta = timedelta(seconds=10)
    statement_timeout: timedelta = timedelta(seconds=5)


@dataclass(frozen=True, slots=True)
class DataSettings:
    """Limits of the tenant data use cases (docs/fleet-data.md). Every one is named in the
    error a caller gets when a request exceeds it, so nobody meets an anonymous wall."""

    page_size_default: int = 50
    page_size_max: int = 500
    # A whole fleet's file through POST /vehicles/import (GraphQL bodies stop at 64 KiB).
    import_max_rows: int = 50_000
    import_max_bytes: int = 10 * 1024 * 1024
    # One evidence file through POST /alarm-cases/{id}/evidence (the console's upload).
    evidence_max_bytes: int = 20 * 1024 * 1024
    points_default: int = 1000
    points_max: int = 5000
    # Per matrix (avg, min and max each): time points x cells or probes.
    matrix_cells_max: int = 250_000
    raw_frames_page_max: int = 1000
    sessions_max: int = 5000
    # No frame for this long and a vehicle counts as offline even without a logout or
    # disconnect event (a gateway that died cannot write one). Terminals report at least every
    # 30 s while switched on (PROTOCOL.md §11), so five minutes is ten missed reports.
    online_timeout: timedelta = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class AuditSettings:
    """Audit retention and security alert thresholds (docs/audit.md)."""

    # Older entries may be pruned (never below MIN_RETENTION, the 180 days).
    retention: timedelta = timedelta(days=365)
    alerts: AlertThresholds = field(default_factory=AlertThresholds)


@dataclass(frozen=True, slots=True)
class FrontendSettings:
    """The web console the API serves (docs/frontend.md); the values after ``dist_dir`` reach
    the browser as its runtime config, so one build serves every deployment."""

    dist_dir: Path = Path(__file__).resolve().parents[2] / "frontend" / "dist"
    default_locale: str = "zh-CN"
    deployment_name: str = "NEVGuard"
    # A tiled base map ({z}/{x}/{y}); without one the console draws its bundled outline map.
    map_tile_url: str | None = None


def read_auth(source: Source) -> AuthSettings:
    # The verifier's bounds: a longer lifetime here would mint tokens it then refuses.
    defaults = AuthSettings()
    return AuthSettings(
        issuer=source.text("NEVGUARD_AUTH_ISSUER", defaults.issuer),
        audience=source.text("NEVGUARD_AUTH_AUDIENCE", defaults.audience),
        access_token_ttl=source.seconds("NEVGUARD_ACCESS_TOKEN_SECONDS",
                                        defaults.access_token_ttl, MAX_ACCESS_LIFETIME),
        refresh_token_ttl=source.seconds("NEVGUARD_REFRESH_TOKEN_SECONDS",
                                         defaults.refresh_token_ttl, MAX_REFRESH_LIFETIME),
        totp_issuer=source.text("NEVGUARD_TOTP_ISSUER", defaults.totp_issuer),
    )


def read_api(source: Source) -> ApiSettings:
    defaults = ApiSettings()
    return ApiSettings(
        cors_origins=source.origins("NEVGUARD_API_CORS_ORIGINS"),
        tls=source.flag("NEVGUARD_API_TLS", default=False),
        tenant_requests_per_minute=source.count(
            "NEVGUARD_API_TENANT_RPM", defaults.tenant_requests_per_minute, 1_000_000),
        principal_requests_per_minute=source.count(
            "NEVGUARD_API_PRINCIPAL_RPM", defaults.principal_requests_per_minute, 1_000_000),
        anonymous_requests_per_minute=source.count(
            "NEVGUARD_API_ANONYMOUS_RPM", defaults.anonymous_requests_per_minute, 1_000_000),
        login_attempts_per_minute=source.count(
            "NEVGUARD_API_LOGIN_RPM", defaults.login_attempts_per_minute, 1_000_000),
        query_timeout=source.seconds("NEVGUARD_API_QUERY_TIMEOUT_SECONDS",
                                     defaults.query_timeout, timedelta(minutes=5)),
        statement_timeout=source.seconds("NEVGUARD_API_STATEMENT_TIMEOUT_SECONDS",
                                         defaults.statement_timeout, timedelta(minutes=5)),
    )


def read_data(source: Source) -> DataSettings:
    d = DataSettings()
    page_max = source.count("NEVGUARD_PAGE_SIZE_MAX", d.page_size_max, 10_000)
    points_max = source.count("NEVGUARD_POINTS_MAX", d.points_max, 100_000)
    return DataSettings(
        page_size_default=min(d.page_size_default, page_max),
        page_size_max=page_max,
        import_max_rows=source.count("NEVGUARD_IMPORT_MAX_ROWS", d.import_max_rows, 1_000_000),
        import_max_bytes=source.count("NEVGUARD_IMPORT_MAX_BYTES", d.import_max_bytes,
                                      256 * 1024 * 1024),
        evidence_max_bytes=source.count("NEVGUARD_EVIDENCE_MAX_BYTES", d.evidence_max_bytes,
                                        1024 * 1024 * 1024),
        points_default=min(d.points_default, points_max),
        points_max=points_max,
        matrix_cells_max=source.count("NEVGUARD_MATRIX_CELLS_MAX", d.matrix_cells_max,
                                      10_000_000),
        raw_frames_page_max=source.count("NEVGUARD_RAW_FRAMES_PAGE_MAX",
                                         d.raw_frames_page_max, 100_000),
        sessions_max=source.count("NEVGUARD_SESSIONS_MAX", d.sessions_max, 1_000_000),
        online_timeout=source.seconds("NEVGUARD_ONLINE_TIMEOUT_SECONDS", d.online_timeout,
                                      timedelta(days=1)),
    )


def read_audit(source: Source) -> AuditSettings:
    defaults, alerts = AuditSettings(), AlertThresholds()
    days = source.count("NEVGUARD_AUDIT_RETENTION_DAYS", defaults.retention.days, 36_500)
    if days < MIN_RETENTION.days:
        raise InvalidSetting("NEVGUARD_AUDIT_RETENTION_DAYS",
                             f"audit entries are kept at least {MIN_RETENTION.days} days")
    return AuditSettings(retention=timedelta(days=days), alerts=AlertThresholds(
        login_failures=source.count("NEVGUARD_ALERT_LOGIN_FAILURES", alerts.login_failures,
                                    10_000),
        ip_failures=source.count("NEVGUARD_ALERT_IP_FAILURES", alerts.ip_failures, 100_000),
        login_window=source.seconds("NEVGUARD_ALERT_LOGIN_WINDOW_SECONDS", alerts.login_window,
                                    timedelta(days=1)),
        denials=source.count("NEVGUARD_ALERT_DENIALS", alerts.denials, 100_000),
        denial_window=source.seconds("NEVGUARD_ALERT_DENIAL_WINDOW_SECONDS",
                                     alerts.denial_window, timedelta(days=1)),
    ))


def read_frontend(source: Source) -> FrontendSettings:
    defaults = FrontendSettings()
    locale = source.text("NEVGUARD_DEFAULT_LOCALE", defaults.default_locale)
    if locale not in {"zh-CN", "en"}:
        raise InvalidSetting("NEVGUARD_DEFAULT_LOCALE", "expected zh-CN or en")
    tiles = source.optional("NEVGUARD_MAP_TILE_URL")
    if tiles is not None and (split_url("NEVGUARD_MAP_TILE_URL", tiles).scheme != "https"
                              or not {"{z}", "{x}", "{y}"} <= set(re.findall(r"{[xyz]}", tiles))):
        raise InvalidSetting("NEVGUARD_MAP_TILE_URL", "expected an https URL with {z}, {x} and {y}")
    dist = source.optional("NEVGUARD_FRONTEND_DIR")
    return FrontendSettings(
        dist_dir=Path(dist) if dist is not None else defaults.dist_dir,
        default_locale=locale,
        deployment_name=source.text("NEVGUARD_DEPLOYMENT_NAME", defaults.deployment_name),
        map_tile_url=tiles,
    )
