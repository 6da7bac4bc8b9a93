"""Secrets at rest: AES-256-GCM under a key-encryption key (KEK) from a keyring (docs/auth.md).

A sealed value is ``version (1) | kid length (1) | kid | nonce (12) | ciphertext + tag (16)``.
The header names the KEK that sealed it, so several KEKs can be live while a rotation
re-seals rows; the header and a *context* naming the row and purpose (for example
``users.totp_secret:42``) are the associated data, so a sealed value copied into another row,
or another column, fails to open instead of becoming someone else's secret.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT_VERSION: Final = 1
KEY_BYTES: Final = 32  # AES-256
NONCE_BYTES: Final = 12  # NIST SP 800-38D §8.2: random 96-bit nonces
_KEY_ID: Final = re.compile(r"[A-Za-z0-9_.-]{1,64}")


class SealedSecretError(Exception):
    code: ClassVar[str] = "secrets.error"

    def __init__(self, detail: str) -> None:
        super().__init__(f"{self.code}: {detail}")
        self.detail = detail


class KeyringInvalid(SealedSecretError):
    """The configured keyring is malformed (never quotes key material)."""

    code = "secrets.keyring_invalid"


class KeyringMissing(SealedSecretError):
    """A secret must be sealed or opened and no keyring is configured."""

    code = "secrets.keyring_missing"


class UnknownKeyId(SealedSecretError):
    """Sealed under a KEK the keyring no longer (or never) had."""

    code = "secrets.unknown_key"


class SecretUnreadable(SealedSecretError):
    """Malformed, tampered with, moved to another row, or sealed under another key."""

    code = "secrets.unreadable"


@dataclass(frozen=True, slots=True)
class Keyring:
    """Key id -> 32-byte KEK; ``active`` seals, every key opens. Never shows key bytes."""

    active: str
    keys: Mapping[str, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        if self.active not in self.keys:
            raise KeyringInvalid("the active key id is not in the keyring")
        for kid, key in self.keys.items():
            if _KEY_ID.fullmatch(kid) is None:
                raise KeyringInvalid("key ids are 1-64 characters of A-Z a-z 0-9 _ . -")
            if len(key) != KEY_BYTES:
                raise KeyringInvalid(f"key {kid!r} is not {KEY_BYTES} bytes")
        object.__setattr__(self, "keys", MappingProxyType(dict(self.keys)))

    def __repr__(self) -> str:
        return f"Keyring(active={self.active!r}, kids={sorted(self.keys)!r})"

    __str__ = __repr__

    def seal(self, plaintext: bytes, context: str) -> bytes:
        header = bytes([FORMAT_VERSION, len(self.active)]) + self.active.encode("ascii")
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.active]).encrypt(nonce, plaintext,
                                                         _associated(header, context))
        return header + nonce + sealed

    def open(self, blob: bytes, context: str) -> bytes:
        kid, header, body = _split(blob)
        key = self.keys.get(kid)
        if key is None:
            raise UnknownKeyId(f"sealed under key {kid!r}, which the keyring does not hold")
        try:
            return AESGCM(key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:],
                                       _associated(header, context))
        except InvalidTag:
            raise SecretUnreadable(f"does not open as {context!r}") from None

    def is_current(self, blob: bytes) -> bool:
        """Whether ``blob`` is sealed under the active key (a rotation may skip it)."""
        return _split(blob)[0] == self.active


def _associated(header: bytes, context: str) -> bytes:
    return header + context.encode("utf-8")


def _split(blob: bytes) -> tuple[str, bytes, bytes]:
    if len(blob) < 2 or blob[0] != FORMAT_VERSION:
        raise SecretUnreadable("not a sealed secret of a known format")
    end = 2 + blob[1]
    if len(blob) < end + NONCE_BYTES + 16:
        raise SecretUnreadable("sealed secret is truncated")
    try:
        kid = blob[2:end].decode("ascii")
    except UnicodeDecodeError:
        raise SecretUnreadable("sealed secret has a malformed key id") from None
    return kid, blob[:end], blob[end:]


def parse_keyring(text: str) -> Keyring:
    """``kid:base64key[,kid:base64key...]`` (standard base64 of 32 bytes). The first entry is
    the active key, so a rotation puts the new key first and keeps the old ones until
    ``nevguard secrets rotate`` has re-sealed every row."""
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for entry in (part.strip() for part in text.split(",")):
        kid, sep, encoded = entry.partition(":")
        if not sep or not kid or kid in keys:
            raise KeyringInvalid("expected kid:base64key entries with distinct key ids")
        try:
            keys[kid] = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise KeyringInvalid(f"key {kid!r} is not base64") from None
        order.append(kid)
    return Keyring(order[0], keys)


def new_key_entry(kid: str) -> str:
    """A fresh ``kid:base64key`` entry (the demo's dev key, an operator's next KEK)."""
    if _KEY_ID.fullmatch(kid) is None:
        raise KeyringInvalid("key ids are 1-64 characters of A-Z a-z 0-9 _ . -")
    return f"{kid}:{base64.b64encode(os.urandom(KEY_BYTES)).decode('ascii')}"


@dataclass(frozen=True, slots=True)
class StoredSecret:
    """A secret as its row holds it: sealed for ``context``, or plaintext written before the
    sealing migration (until ``nevguard migrate`` seals it). ``reveal`` opens it."""

    value: bytes = field(repr=False)
    sealed: bool
    context: str

    def reveal(self, keyring: Keyring | None) -> bytes:
        if not self.sealed:
            return self.value
        return require_keyring(keyring).open(self.value, self.context)


def require_keyring(keyring: Keyring | None) -> Keyring:
    if keyring is None:
        raise KeyringMissing("set NEVGUARD_SECRET_KEYS (docs/operations.md)")
    return keyring
