"""Secrets at rest: AES-256-GCM sealing under a keyring, bound to a context."""

from __future__ import annotations

import pytest

from backend.core.sealed_secrets import (
    Keyring,
    KeyringInvalid,
    KeyringMissing,
    SecretUnreadable,
    StoredSecret,
    UnknownKeyId,
    new_key_entry,
    parse_keyring,
)
from backend.settings import InvalidSetting, MissingSetting, load_settings

SECRET = b"twenty bytes of totp"
BASE_ENV = {"DATABASE_URL": "postgresql://h/d", "REDIS_URL": "redis://h", "S3_ENDPOINT": "h:1",
            "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "b"}


def test_round_trip_and_every_seal_differs() -> None:
    keyring = parse_keyring(new_key_entry("k1"))
    first, second = (keyring.seal(SECRET, "users.totp_secret:1") for _ in range(2))
    assert first != second and SECRET not in first
    assert keyring.open(first, "users.totp_secret:1") == SECRET
    assert keyring.open(second, "users.totp_secret:1") == SECRET


def test_another_row_or_purpose_does_not_open() -> None:
    keyring = parse_keyring(new_key_entry("k1"))
    sealed = keyring.seal(SECRET, "users.totp_secret:1")
    for context in ("users.totp_secret:2", "signing_keys.private_key:1", ""):
        with pytest.raises(SecretUnreadable):
            keyring.open(sealed, context)


def test_wrong_key_under_the_same_id_and_an_unknown_id() -> None:
    sealed = parse_keyring(new_key_entry("k1")).seal(SECRET, "c")
    with pytest.raises(SecretUnreadable):
        parse_keyring(new_key_entry("k1")).open(sealed, "c")
    with pytest.raises(UnknownKeyId):
        parse_keyring(new_key_entry("k2")).open(sealed, "c")


def test_tampering_anywhere_is_refused() -> None:
    keyring = parse_keyring(new_key_entry("k1"))
    sealed = keyring.seal(SECRET, "c")
    for index in range(len(sealed)):
        changed = bytearray(sealed)
        changed[index] ^= 0x01
        with pytest.raises((SecretUnreadable, UnknownKeyId)):
            keyring.open(bytes(changed), "c")
    for broken in (b"", b"\x01", sealed[:-1][:20], b"\x02" + sealed[1:]):
        with pytest.raises(SecretUnreadable):
            keyring.open(broken, "c")


def test_rotation_keeps_old_seals_readable_and_marks_them_stale() -> None:
    old_entry, new_entry = new_key_entry("old"), new_key_entry("new")
    old_seal = parse_keyring(old_entry).seal(SECRET, "c")
    rotated = parse_keyring(f"{new_entry},{old_entry}")
    assert rotated.active == "new"
    assert rotated.open(old_seal, "c") == SECRET and not rotated.is_current(old_seal)
    assert rotated.is_current(rotated.seal(SECRET, "c"))


@pytest.mark.parametrize("text", ["", "k1", "k1:", "k1:not*base64", "k1:AAAA",
                                  "bad id:" + "A" * 44, new_key_entry("k") + "," +
                                  new_key_entry("k")])
def test_malformed_keyrings_are_refused_without_quoting_keys(text: str) -> None:
    with pytest.raises(KeyringInvalid) as raised:
        parse_keyring(text)
    key_material = text.partition(":")[2]
    assert not key_material or len(key_material) < 8 or key_material not in str(raised.value)


def test_keyring_repr_shows_ids_only() -> None:
    entry = new_key_entry("k1")
    keyring = parse_keyring(entry)
    assert entry.partition(":")[2] not in repr(keyring) + str(keyring)
    assert "k1" in repr(keyring)
    with pytest.raises(KeyringInvalid):
        Keyring("absent", {"k1": bytes(32)})


def test_stored_secret_reveal() -> None:
    keyring = parse_keyring(new_key_entry("k1"))
    sealed = StoredSecret(keyring.seal(SECRET, "c"), sealed=True, context="c")
    assert sealed.reveal(keyring) == SECRET and SECRET not in repr(sealed).encode()
    assert StoredSecret(SECRET, sealed=False, context="c").reveal(None) == SECRET
    with pytest.raises(KeyringMissing):
        sealed.reveal(None)


def test_settings_read_the_keyring_and_never_show_it() -> None:
    entry = new_key_entry("2025-01")
    settings = load_settings({**BASE_ENV, "NEVGUARD_SECRET_KEYS": entry}, env_file=None)
    assert settings.secret_keys is not None and settings.secret_keys.active == "2025-01"
    assert entry.partition(":")[2] not in repr(settings)
    assert load_settings(BASE_ENV, env_file=None).secret_keys is None
    with pytest.raises(MissingSetting):
        load_settings({**BASE_ENV, "NEVGUARD_ENV": "production"}, env_file=None)
    with pytest.raises(InvalidSetting) as raised:
        load_settings({**BASE_ENV, "NEVGUARD_SECRET_KEYS": "k:" + "QUJD" * 5}, env_file=None)
    assert "QUJD" not in str(raised.value)
