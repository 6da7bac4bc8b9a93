"""Password policy refusals (each with its code) and the lockout schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.passwords import (
    MAX_LENGTH,
    LockoutPolicy,
    PasswordRejected,
    check_password,
    identity_fragments,
    normalize_password,
)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("k7#pq", "password.too_short"),
        ("Tr0ub4dor&3", "password.too_short"),  # 11 characters
        ("x" * (MAX_LENGTH + 1), "password.too_long"),
        ("correct\x00horse battery", "password.invalid_characters"),
        ("password1234", "password.common"),
        ("Password2024!", "password.common"),
        ("P@ssw0rd2024!", "password.common"),
        ("!!iloveyou!!!", "password.common"),
        ("correcthorsebatterystaple", "password.common"),
        ("correct horse battery staple", "password.common"),
        ("QWERTYUIOP123", "password.common"),
        ("aaaaaaaaaaaaaaaa", "password.repetitive"),
        ("abcabcabcabcabc", "password.repetitive"),
        ("xyzw1xyzw1xyzw1", "password.repetitive"),
        ("1212121212121212", "password.repetitive"),
        ("abcdefghijklmnop", "password.sequential"),
        ("9876543210987", "password.sequential"),
        ("uvwxyzabcdefgh", "password.sequential"),
        ("1qaz2wsx3edc4rfv", "password.sequential"),
    ],
)
def test_refusals_have_stable_codes(password: str, code: str) -> None:
    with pytest.raises(PasswordRejected) as caught:
        check_password(password)
    assert caught.value.code == code
    assert password not in str(caught.value)


@pytest.mark.parametrize(
    ("password", "identities"),
    [
        ("zhang.wei-Battery-42", ("zhang.wei@acme.cn",)),
        ("Lamp-Kettle-Smith-9", ("john.smith@acme.cn",)),
        ("operator7-Lamp-Kettle", ("operator7",)),
    ],
)
def test_identity_inside_password(password: str, identities: tuple[str, ...]) -> None:
    with pytest.raises(PasswordRejected) as caught:
        check_password(password, identities=identities)
    assert caught.value.code == "password.contains_identity"


def test_the_mail_domain_is_not_an_identity_fragment() -> None:
    assert check_password("my-ACME-Battery-42", identities=("ops@acme.cn",))


def test_identity_fragments() -> None:
    assert identity_fragments("John.Smith+ev@Example.com", "al") == (
        "john", "john.smith+ev", "john.smith+ev@example.com", "smith")


@pytest.mark.parametrize(
    "password",
    ["violet-kettle-orbit-42", "Zq8#mV2!pL0w", "渝A电池包热失控预警系统",
     "x" * 6 + "yzw" * 2 + "k9"],
)
def test_good_passwords_pass(password: str) -> None:
    assert check_password(password, identities=("wang@acme.cn",)) == normalize_password(password)


def test_nfkc_normalization() -> None:
    # Full-width letters are the same password as their ASCII forms.
    assert normalize_password("ｐａｓｓ") == "pass"
    with pytest.raises(PasswordRejected):
        check_password("ｐａｓｓｗｏｒｄ１２３４")


@given(st.text(min_size=0, max_size=200))
def test_never_crashes_and_accepts_only_within_bounds(password: str) -> None:
    try:
        normalized = check_password(password, identities=("someone@example.com",))
    except PasswordRejected as error:
        assert error.code.startswith("password.")
    else:
        assert 12 <= len(normalized) <= MAX_LENGTH


def test_lockout_schedule() -> None:
    policy = LockoutPolicy()
    assert [policy.lock_duration(n) for n in range(5)] == [None] * 5
    assert [policy.lock_duration(n) for n in range(5, 13)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)]
    assert policy.lock_duration(10**9) == timedelta(hours=1)
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert policy.locked_until(4, now) is None
    assert policy.locked_until(6, now) == now + timedelta(minutes=2)


@given(st.integers(min_value=0, max_value=10**6))
def test_lockout_is_monotonic_and_bounded(failures: int) -> None:
    policy = LockoutPolicy()
    here, after = policy.lock_duration(failures), policy.lock_duration(failures + 1)
    assert after is not None or here is None
    if here is not None and after is not None:
        assert here <= after <= policy.max_lock
