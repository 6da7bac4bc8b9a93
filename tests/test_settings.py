"""backend.settings: secrets stay hidden, .env parsing, precedence and typed errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from backend.settings import (
    EnvFileError,
    Environment,
    InvalidSetting,
    LogLevel,
    MissingSetting,
    Secret,
    Settings,
    get_settings,
    load_settings,
    parse_env_file,
)

DB_PASSWORD = "pg-pass-7f3a"
REDIS_PASSWORD = "redis-pass-91c2"
S3_SECRET = "s3-secret-0b5e"

BASE = {
    "DATABASE_URL": f"postgresql://nevguard:{DB_PASSWORD}@127.0.0.1:15432/nevguard",
    "REDIS_URL": f"redis://:{REDIS_PASSWORD}@127.0.0.1:16379/0",
    "S3_ENDPOINT": "http://127.0.0.1:18333",
    "S3_ACCESS_KEY": "NGACCESS",
    "S3_SECRET_KEY": S3_SECRET,
}


def load(**overrides: str) -> Settings:
    return load_settings({**BASE, **overrides}, env_file=None)


def test_secret_shows_only_through_reveal() -> None:
    secret = Secret("hunter2")
    assert repr(secret) == "***"
    assert str(secret) == "***"
    assert f"{secret}" == "***"
    assert secret.reveal() == "hunter2"
    assert secret == Secret("hunter2")
    assert secret != Secret("hunter3")


def test_settings_repr_and_str_hide_every_secret() -> None:
    settings = load_settings(BASE, env_file=None)
    for text in (repr(settings), str(settings)):
        for secret in (DB_PASSWORD, REDIS_PASSWORD, S3_SECRET):
            assert secret not in text
    assert str(settings.database_url) == "postgresql://nevguard:***@127.0.0.1:15432/nevguard"
    assert str(settings.redis_url) == "redis://:***@127.0.0.1:16379/0"
    assert settings.database_url.reveal() == BASE["DATABASE_URL"]
    assert settings.s3_secret_key.reveal() == S3_SECRET


def test_defaults_and_parsed_parts() -> None:
    settings = load_settings(BASE, env_file=None)
    assert settings.environment is Environment.DEVELOPMENT
    assert settings.log_level is LogLevel.INFO
    assert (settings.database_url.host, settings.database_url.port) == ("127.0.0.1", 15432)
    assert settings.database_url.path == "nevguard"
    assert (settings.s3_endpoint, settings.s3_secure, settings.s3_bucket) == (
        "127.0.0.1:18333",
        False,
        "nevguard",
    )
    assert (settings.gateway_host, settings.gateway_port) == ("127.0.0.1", 12960)
    assert settings.gateway_tls is False


def test_settings_are_frozen() -> None:
    settings = load_settings(BASE, env_file=None)
    with pytest.raises(AttributeError):
        settings.api_port = 1  # type: ignore[misc]


def test_env_file_syntax() -> None:
    text = """
# a comment
PLAIN=value
export EXPORTED=yes
SPACED = padded
DOUBLE="with # hash"
SINGLE='single'
EMPTY=
URL=postgresql://u:p@h/d?sslmode=require
"""
    assert parse_env_file(text) == {
        "PLAIN": "value",
        "EXPORTED": "yes",
        "SPACED": "padded",
        "DOUBLE": "with # hash",
        "SINGLE": "single",
        "EMPTY": "",
        "URL": "postgresql://u:p@h/d?sslmode=require",
    }


@pytest.mark.parametrize("line", ["NO_EQUALS_SIGN", "1BAD=x", "BAD KEY=x", "=value"])
def test_env_file_rejects_bad_lines_without_echoing_them(line: str) -> None:
    with pytest.raises(EnvFileError) as caught:
        parse_env_file(f"OK=1\n{line}\n")
    assert caught.value.code == "settings.env_file"
    assert caught.value.key == "line 2"
    assert line not in str(caught.value)


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    lines = [f"{key}={value}" for key, value in BASE.items()]
    env_file.write_text("\n".join([*lines, "NEVGUARD_API_PORT=9000", "S3_BUCKET=from-file"]))
    settings = load_settings({"NEVGUARD_API_PORT": "9100"}, env_file=env_file)
    assert settings.api_port == 9100
    assert settings.s3_bucket == "from-file"
    assert settings.s3_secret_key.reveal() == S3_SECRET


def test_missing_env_file_is_fine(tmp_path: Path) -> None:
    settings = load_settings(BASE, env_file=tmp_path / "absent.env")
    assert settings.api_port == 18080


@pytest.mark.parametrize("port", ["0", "65536", "abc", "-1", "80.5", "0x50"])
@pytest.mark.parametrize("key", ["NEVGUARD_API_PORT", "NEVGUARD_GATEWAY_PORT"])
def test_invalid_port_is_rejected(key: str, port: str) -> None:
    with pytest.raises(InvalidSetting) as caught:
        load(**{key: port})
    assert caught.value.code == "settings.invalid"
    assert caught.value.key == key


@pytest.mark.parametrize("key", ["DATABASE_URL", "REDIS_URL", "S3_ENDPOINT", "S3_SECRET_KEY"])
def test_missing_required_setting(key: str) -> None:
    environ = {name: value for name, value in BASE.items() if name != key}
    with pytest.raises(MissingSetting) as caught:
        load_settings(environ, env_file=None)
    assert (caught.value.code, caught.value.key) == ("settings.missing", key)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("DATABASE_URL", f"mysql://u:{DB_PASSWORD}@h/d"),
        ("DATABASE_URL", f"postgresql://u:{DB_PASSWORD}@h:notaport/d"),
        ("REDIS_URL", f"http://:{REDIS_PASSWORD}@h:6379"),
        ("S3_ENDPOINT", "ftp://h:21"),
        ("S3_ENDPOINT", "http://h:9000/some/path"),
        ("NEVGUARD_ENV", "staging"),
        ("NEVGUARD_LOG_LEVEL", "chatty"),
        ("S3_SECURE", "maybe"),
    ],
)
def test_invalid_values_are_rejected_without_leaking_them(key: str, value: str) -> None:
    with pytest.raises(InvalidSetting) as caught:
        load(**{key: value})
    assert caught.value.key == key
    for secret in (DB_PASSWORD, REDIS_PASSWORD):
        assert secret not in str(caught.value)


def test_s3_scheme_decides_tls_and_s3_secure_may_only_agree() -> None:
    assert load(S3_ENDPOINT="https://s3.example:443").s3_secure is True
    assert load(S3_ENDPOINT="s3.example:9000", S3_SECURE="true").s3_secure is True
    assert load(S3_ENDPOINT="s3.example:9000").s3_endpoint == "s3.example:9000"
    with pytest.raises(InvalidSetting) as caught:
        load(S3_ENDPOINT="http://s3.example:9000", S3_SECURE="yes")
    assert caught.value.key == "S3_SECURE"


def test_case_insensitive_choices() -> None:
    settings = load_settings(
        {**BASE, "NEVGUARD_ENV": "Production", "NEVGUARD_LOG_LEVEL": "debug",
         "NEVGUARD_SECRET_KEYS": "k1:" + "A" * 43 + "="}, env_file=None
    )
    assert settings.environment is Environment.PRODUCTION
    assert settings.log_level is LogLevel.DEBUG


def test_gateway_tls_needs_existing_cert_and_key(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("cert")
    key.write_text("key")
    with pytest.raises(InvalidSetting) as caught:
        load(NEVGUARD_GATEWAY_TLS_CERT=str(cert))
    assert caught.value.key == "NEVGUARD_GATEWAY_TLS_KEY"
    with pytest.raises(InvalidSetting) as caught:
        load(
            NEVGUARD_GATEWAY_TLS_CERT=str(tmp_path / "absent.pem"),
            NEVGUARD_GATEWAY_TLS_KEY=str(key),
        )
    assert caught.value.key == "NEVGUARD_GATEWAY_TLS_CERT"
    settings = load_settings(
        {**BASE, "NEVGUARD_GATEWAY_TLS_CERT": str(cert), "NEVGUARD_GATEWAY_TLS_KEY": str(key)},
        env_file=None,
    )
    assert settings.gateway_tls is True


def test_get_settings_is_built_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key, value in BASE.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr("backend.settings.DEFAULT_ENV_FILE", tmp_path / "absent.env")
    get_settings.cache_clear()
    try:
        first = get_settings()
        monkeypatch.setenv("NEVGUARD_API_PORT", "9999")
        assert get_settings() is first
        assert first.api_port == 18080
    finally:
        get_settings.cache_clear()


def test_auth_settings_defaults_and_bounds() -> None:
    base = {"DATABASE_URL": "postgresql://u:p@h/db", "REDIS_URL": "redis://h",
            "S3_ENDPOINT": "h:9000", "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "s"}
    auth = load_settings(base, env_file=None).auth
    assert (auth.issuer, auth.audience, auth.access_token_ttl) == (
        "nevguard", "nevguard-api", timedelta(minutes=10))
    custom = load_settings({**base, "NEVGUARD_AUTH_ISSUER": "https://id.example",
                            "NEVGUARD_ACCESS_TOKEN_SECONDS": "300"}, env_file=None).auth
    assert (custom.issuer, custom.access_token_ttl) == ("https://id.example", timedelta(minutes=5))
    for key, value in (("NEVGUARD_ACCESS_TOKEN_SECONDS", "3601"),
                       ("NEVGUARD_REFRESH_TOKEN_SECONDS", "0"),
                       ("NEVGUARD_ACCESS_TOKEN_SECONDS", "10m")):
        with pytest.raises(InvalidSetting):
            load_settings({**base, key: value}, env_file=None)


def test_api_settings() -> None:
    defaults = load().api
    assert (defaults.cors_origins, defaults.tls, defaults.tenant_requests_per_minute) == \
        ((), False, 600)
    assert defaults.query_timeout == timedelta(seconds=10)
    custom = load(NEVGUARD_API_CORS_ORIGINS=" https://console.example.test, http://localhost:5173 ",
                  NEVGUARD_API_TLS="true", NEVGUARD_API_TENANT_RPM="50",
                  NEVGUARD_API_QUERY_TIMEOUT_SECONDS="3").api
    assert custom.cors_origins == ("https://console.example.test", "http://localhost:5173")
    assert (custom.tls, custom.tenant_requests_per_minute) == (True, 50)
    assert custom.query_timeout == timedelta(seconds=3)


@pytest.mark.parametrize(("key", "value"), [
    ("NEVGUARD_API_CORS_ORIGINS", "https://console.example.test/app"),
    ("NEVGUARD_API_CORS_ORIGINS", "ftp://files.example.test"),
    ("NEVGUARD_API_CORS_ORIGINS", "*"),
    ("NEVGUARD_API_PRINCIPAL_RPM", "0"),
    ("NEVGUARD_API_LOGIN_RPM", "many"),
    ("NEVGUARD_API_STATEMENT_TIMEOUT_SECONDS", "0"),
])
def test_bad_api_settings(key: str, value: str) -> None:
    with pytest.raises(InvalidSetting) as raised:
        load(**{key: value})
    assert raised.value.key == key
