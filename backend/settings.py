"""Process configuration: read once from the environment and an optional `.env` file.

Values in the real environment win over the `.env` file at the repository root. Secrets are
wrapped so that printing or logging the settings never shows them; code that needs the value
calls `.reveal()` at the last moment (when opening the connection).
"""

from __future__ import annotations

import enum
import functools
import hmac
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import ClassVar, TypeVar
from urllib.parse import SplitResult, urlsplit

from backend.core.audit import MIN_RETENTION
from backend.core.sealed_secrets import Keyring, KeyringInvalid, parse_keyring
from backend.core.security_alerts import AlertThresholds
from backend.core.tokens import MAX_ACCESS_LIFETIME, MAX_REFRESH_LIFETIME

DEFAULT_ENV_FILE = Path(__file__).resolve().parent.parent / ".env"
MASK = "***"
_ENV_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_Choice = TypeVar("_Choice", bound=enum.StrEnum)


class SettingsError(Exception):
    """A configuration problem; `code` is stable, the message never contains a secret value."""

    code: ClassVar[str] = "settings.error"

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{self.code}: {key}: {reason}")
        self.key = key
        self.reason = reason


class MissingSetting(SettingsError):
    code = "settings.missing"


class InvalidSetting(SettingsError):
    code = "settings.invalid"


class EnvFileError(SettingsError):
    code = "settings.env_file"


class Secret:
    """A value that shows as *** everywhere except through `reveal()`."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return MASK

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, slots=True)
class ServiceUrl:
    """A connection URL; its repr and str mask the password."""

    scheme: str
    host: str
    port: int | None
    path: str
    masked: str
    full: Secret = field(repr=False)

    def reveal(self) -> str:
        return self.full.reveal()

    def __str__(self) -> str:
        return self.masked


class Environment(enum.StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class LogLevel(enum.StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


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

    dist_dir: Path = DEFAULT_ENV_FILE.parent / "frontend" / "dist"
    default_locale: str = "zh-CN"
    deployment_name: str = "NEVGuard"
    # A tiled base map ({z}/{x}/{y}); without one the console draws its bundled outline map.
    map_tile_url: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    environment: Environment
    log_level: LogLevel
    database_url: ServiceUrl
    redis_url: ServiceUrl
    s3_endpoint: str  # host:port, no scheme (what the minio client takes)
    s3_secure: bool
    s3_access_key: str  # an identifier, like a user name; the secret key is the secret
    s3_secret_key: Secret
    s3_bucket: str
    gateway_host: str
    gateway_port: int
    gateway_tls_cert: Path | None
    gateway_tls_key: Path | None
    api_host: str
    api_port: int
    auth: AuthSettings = field(default_factory=AuthSettings)
    data: DataSettings = field(default_factory=DataSettings)
    api: ApiSettings = field(default_factory=ApiSettings)
    audit: AuditSettings = field(default_factory=AuditSettings)
    # NEVGUARD_SECRET_KEYS: the KEKs sealing TOTP and signing-key secrets at rest (docs/auth.md);
    # required in production. Its repr lists key ids only.
    secret_keys: Keyring | None = None
    frontend: FrontendSettings = field(default_factory=FrontendSettings)

    @property
    def gateway_tls(self) -> bool:
        return self.gateway_tls_cert is not None


def parse_env_file(text: str) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and `#` comments skipped; `export ` and one pair of
    matching quotes around the value are allowed. No interpolation, no escapes."""
    values: dict[str, str] = {}
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not _ENV_KEY.fullmatch(key):
            raise EnvFileError(f"line {number}", "expected KEY=VALUE")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def read_env_file(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise EnvFileError(str(path), f"unreadable: {type(error).__name__}") from None
    return parse_env_file(text)


class _Source:
    """Looks keys up in the merged environment and turns bad values into typed errors."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = values

    def text(self, key: str, default: str | None = None) -> str:
        value = self._values.get(key, "").strip()
        if value:
            return value
        if default is None:
            raise MissingSetting(key, "required")
        return default

    def optional(self, key: str) -> str | None:
        return self._values.get(key, "").strip() or None

    def port(self, key: str, default: int) -> int:
        value = self.text(key, str(default))
        if not value.isdigit() or not 1 <= int(value) <= 65535:
            raise InvalidSetting(key, "a port must be a whole number between 1 and 65535")
        return int(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.optional(key)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise InvalidSetting(key, "expected true or false")

    def choice(self, key: str, kind: type[_Choice], default: _Choice) -> _Choice:
        value = self.text(key, default.value).lower()
        for member in kind:
            if member.value.lower() == value:
                return member
        allowed = ", ".join(member.value for member in kind)
        raise InvalidSetting(key, f"expected one of {allowed}")

    def url(self, key: str, schemes: frozenset[str]) -> ServiceUrl:
        raw = self.text(key)
        parts = _split(key, raw)
        if parts.scheme not in schemes or not parts.hostname:
            raise InvalidSetting(key, f"expected {'|'.join(sorted(schemes))}://host[:port]/...")
        masked_netloc = parts.netloc
        if parts.password is not None:
            masked_netloc = f"{parts.username or ''}:{MASK}@{parts.netloc.rpartition('@')[2]}"
        return ServiceUrl(
            scheme=parts.scheme,
            host=parts.hostname,
            port=parts.port,
            path=parts.path.lstrip("/"),
            masked=parts._replace(netloc=masked_netloc).geturl(),
            full=Secret(raw),
        )

    def count(self, key: str, default: int, maximum: int) -> int:
        value = self.text(key, str(default))
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= maximum:
            raise InvalidSetting(key, f"a whole number between 1 and {maximum}")
        return int(value)

    def origins(self, key: str) -> tuple[str, ...]:
        """Comma-separated scheme://host[:port] origins, exactly as browsers send them."""
        origins = tuple(part.strip() for part in self.text(key, "").split(",") if part.strip())
        for origin in origins:
            parts = _split(key, origin)
            if parts.scheme not in {"http", "https"} or not parts.hostname or \
                    parts.path or parts.query or parts.fragment or parts.username:
                raise InvalidSetting(key, "expected http(s)://host[:port] origins")
        return origins

    def seconds(self, key: str, default: timedelta, maximum: timedelta) -> timedelta:
        value = self.text(key, str(int(default.total_seconds())))
        limit = int(maximum.total_seconds())
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= limit:
            raise InvalidSetting(key, f"seconds between 1 and {limit}")
        return timedelta(seconds=int(value))

    def path(self, key: str) -> Path | None:
        value = self.optional(key)
        if value is None:
            return None
        path = Path(value)
        if not path.is_file():
            raise InvalidSetting(key, "file not found")
        return path


def _split(key: str, raw: str) -> SplitResult:
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - urlsplit only checks the port when asked
    except ValueError:
        # The message from urllib may quote the URL, password included.
        raise InvalidSetting(key, "not a valid URL") from None
    return parts


def _s3_endpoint(source: _Source) -> tuple[str, bool]:
    """S3_ENDPOINT is host:port or http(s)://host:port; the scheme, when given, decides TLS
    and S3_SECURE may only confirm it."""
    raw = source.text("S3_ENDPOINT")
    secure = source.flag("S3_SECURE", default=False)
    if "://" not in raw:
        raw = f"{'https' if secure else 'http'}://{raw}"
    parts = _split("S3_ENDPOINT", raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path not in {"", "/"}:
        raise InvalidSetting("S3_ENDPOINT", "expected [http|https://]host[:port]")
    from_scheme = parts.scheme == "https"
    if source.optional("S3_SECURE") is not None and secure != from_scheme:
        raise InvalidSetting("S3_SECURE", "contradicts the scheme of S3_ENDPOINT")
    return parts.netloc, from_scheme


def _auth(source: _Source) -> AuthSettings:
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


def _api(source: _Source) -> ApiSettings:
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


def _data(source: _Source) -> DataSettings:
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


def _audit(source: _Source) -> AuditSettings:
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


def _frontend(source: _Source) -> FrontendSettings:
    defaults = FrontendSettings()
    locale = source.text("NEVGUARD_DEFAULT_LOCALE", defaults.default_locale)
    if locale not in {"zh-CN", "en"}:
        raise InvalidSetting("NEVGUARD_DEFAULT_LOCALE", "expected zh-CN or en")
    tiles = source.optional("NEVGUARD_MAP_TILE_URL")
    if tiles is not None and (_split("NEVGUARD_MAP_TILE_URL", tiles).scheme != "https"
                              or not {"{z}", "{x}", "{y}"} <= set(re.findall(r"{[xyz]}", tiles))):
        raise InvalidSetting("NEVGUARD_MAP_TILE_URL", "expected an https URL with {z}, {x} and {y}")
    dist = source.optional("NEVGUARD_FRONTEND_DIR")
    return FrontendSettings(
        dist_dir=Path(dist) if dist is not None else defaults.dist_dir,
        default_locale=locale,
        deployment_name=source.text("NEVGUARD_DEPLOYMENT_NAME", defaults.deployment_name),
        map_tile_url=tiles,
    )


def _secret_keys(source: _Source, environment: Environment) -> Keyring | None:
    value = source.optional("NEVGUARD_SECRET_KEYS")
    if value is None:
        if environment is Environment.PRODUCTION:
            raise MissingSetting("NEVGUARD_SECRET_KEYS", "required in production")
        return None
    try:
        return parse_keyring(value)
    except KeyringInvalid as error:
        # The detail names key ids and lengths, never key material.
        raise InvalidSetting("NEVGUARD_SECRET_KEYS", error.detail) from None


def load_settings(
    environ: Mapping[str, str] | None = None, *, env_file: Path | None = DEFAULT_ENV_FILE
) -> Settings:
    """Build the settings from `environ` (default: os.environ) over the `.env` file."""
    merged = read_env_file(env_file) if env_file is not None else {}
    merged.update(os.environ if environ is None else environ)
    source = _Source(merged)
    s3_endpoint, s3_secure = _s3_endpoint(source)
    tls_cert = source.path("NEVGUARD_GATEWAY_TLS_CERT")
    tls_key = source.path("NEVGUARD_GATEWAY_TLS_KEY")
    if (tls_cert is None) != (tls_key is None):
        raise InvalidSetting("NEVGUARD_GATEWAY_TLS_KEY", "TLS needs both a certificate and a key")
    environment = source.choice("NEVGUARD_ENV", Environment, Environment.DEVELOPMENT)
    return Settings(
        environment=environment,
        log_level=source.choice("NEVGUARD_LOG_LEVEL", LogLevel, LogLevel.INFO),
        database_url=source.url("DATABASE_URL", frozenset({"postgresql", "postgres"})),
        redis_url=source.url("REDIS_URL", frozenset({"redis", "rediss"})),
        s3_endpoint=s3_endpoint,
        s3_secure=s3_secure,
        s3_access_key=source.text("S3_ACCESS_KEY"),
        s3_secret_key=Secret(source.text("S3_SECRET_KEY")),
        s3_bucket=source.text("S3_BUCKET", "nevguard"),
        gateway_host=source.text("NEVGUARD_GATEWAY_HOST", "127.0.0.1"),
        gateway_port=source.port("NEVGUARD_GATEWAY_PORT", 12960),
        gateway_tls_cert=tls_cert,
        gateway_tls_key=tls_key,
        api_host=source.text("NEVGUARD_API_HOST", "127.0.0.1"),
        api_port=source.port("NEVGUARD_API_PORT", 18080),
        auth=_auth(source),
        api=_api(source),
        data=_data(source),
        audit=_audit(source),
        secret_keys=_secret_keys(source, environment),
        frontend=_frontend(source),
    )


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings, built on first use."""
    return load_settings(env_file=DEFAULT_ENV_FILE)
