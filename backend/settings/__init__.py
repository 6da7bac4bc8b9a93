"""Process configuration: read once from the environment and an optional `.env` file.

Values in the real environment win over the `.env` file at the repository root. Secrets are
wrapped so that printing or logging the settings never shows them; code that needs the value
calls `.reveal()` at the last moment (when opening the connection).
"""

from __future__ import annotations

import enum
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from backend.core.sealed_secrets import Keyring, KeyringInvalid, parse_keyring
from backend.settings.sections import (
    ApiSettings,
    AuditSettings,
    AuthSettings,
    DataSettings,
    FrontendSettings,
    read_api,
    read_audit,
    read_auth,
    read_data,
    read_frontend,
)
from backend.settings.values import (
    MASK,
    EnvFileError,
    InvalidSetting,
    MissingSetting,
    Secret,
    ServiceUrl,
    SettingsError,
    Source,
    parse_env_file,
    read_env_file,
    split_url,
)

__all__ = [
    "DEFAULT_ENV_FILE", "MASK", "ApiSettings", "AuditSettings", "AuthSettings", "DataSettings",
    "EnvFileError", "Environment", "FrontendSettings", "InvalidSetting", "LogLevel",
    "MissingSetting", "Secret", "ServiceUrl", "Settings", "SettingsError", "get_settings",
    "load_settings", "parse_env_file", "read_env_file",
]

DEFAULT_ENV_FILE = Path(__file__).resolve().parents[2] / ".env"


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


def _s3_endpoint(source: Source) -> tuple[str, bool]:
    """S3_ENDPOINT is host:port or http(s)://host:port; the scheme, when given, decides TLS
    and S3_SECURE may only confirm it."""
    raw = source.text("S3_ENDPOINT")
    secure = source.flag("S3_SECURE", default=False)
    if "://" not in raw:
        raw = f"{'https' if secure else 'http'}://{raw}"
    parts = split_url("S3_ENDPOINT", raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path not in {"", "/"}:
        raise InvalidSetting("S3_ENDPOINT", "expected [http|https://]host[:port]")
    from_scheme = parts.scheme == "https"
    if source.optional("S3_SECURE") is not None and secure != from_scheme:
        raise InvalidSetting("S3_SECURE", "contradicts the scheme of S3_ENDPOINT")
    return parts.netloc, from_scheme


def _secret_keys(source: Source, environment: Environment) -> Keyring | None:
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
    source = Source(merged)
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
        auth=read_auth(source),
        api=read_api(source),
        data=read_data(source),
        audit=read_audit(source),
        secret_keys=_secret_keys(source, environment),
        frontend=read_frontend(source),
    )


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings, built on first use."""
    return load_settings(env_file=DEFAULT_ENV_FILE)
