"""The building blocks of the settings: typed errors, secrets that never print, service URLs
with masked passwords, the `.env` reader, and the lookup that turns a bad value into an error
naming its key."""

from __future__ import annotations

import enum
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import ClassVar, TypeVar
from urllib.parse import SplitResult, urlsplit

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


class Source:
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
        parts = split_url(key, raw)
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
            parts = split_url(key, origin)
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


def split_url(key: str, raw: str) -> SplitResult:
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - urlsplit only checks the port when asked
    except ValueError:
        # The message from urllib may quote the URL, password included.
        raise InvalidSetting(key, "not a valid URL") from None
    return parts
