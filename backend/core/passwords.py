"""Password policy and the lockout schedule (issue 4).

The policy follows NIST SP 800-63B: a minimum length, a maximum that only exists to bound the
hashing cost, no composition rules, and a refusal of passwords an attacker tries first (a list of
well-known ones, and shapes like one repeated character, keyboard or alphabet runs, or the
account's own name). Passwords are compared and hashed in Unicode NFKC form, so the same
password typed on two keyboards that produce different code points still matches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar, Final

from backend.core.common_passwords import COMMON_PASSWORDS

MIN_LENGTH: Final = 12
# argon2 would take longer input, but hashing megabytes per login attempt is a DoS lever.
MAX_LENGTH: Final = 128
# An identity fragment shorter than this ("al" of al@x.cn) would refuse too many passwords.
MIN_IDENTITY_FRAGMENT: Final = 4
MIN_DISTINCT_CHARACTERS: Final = 5
_LEET: Final = str.maketrans("@4310$5!7", "aaeiossit")
# Runs a person types without thinking; checked forwards and backwards.
_RUNS: Final = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
)


class PasswordRejected(ValueError):
    """The password does not meet the policy; `code` tells which rule refused it and the
    message never repeats the password."""

    code: ClassVar[str] = "password.rejected"

    def __init__(self, detail: str) -> None:
        super().__init__(f"{self.code}: {detail}")
        self.detail = detail


class PasswordTooShort(PasswordRejected):
    code = "password.too_short"


class PasswordTooLong(PasswordRejected):
    code = "password.too_long"


class PasswordCommon(PasswordRejected):
    code = "password.common"


class PasswordRepetitive(PasswordRejected):
    code = "password.repetitive"


class PasswordSequential(PasswordRejected):
    code = "password.sequential"


class PasswordContainsIdentity(PasswordRejected):
    code = "password.contains_identity"


class PasswordInvalidCharacters(PasswordRejected):
    code = "password.invalid_characters"


def normalize_password(password: str) -> str:
    """The form that is checked and hashed (NFKC, SP 800-63B §5.1.1.2)."""
    return unicodedata.normalize("NFKC", password)


def identity_fragments(*identities: str) -> tuple[str, ...]:
    """Lower-case pieces of user names and e-mail addresses a password must not contain: the
    whole value, an e-mail's local part, and the local part's words (john.smith -> john,
    smith)."""
    fragments: set[str] = set()
    for identity in identities:
        value = identity.strip().lower()
        local = value.partition("@")[0]
        words = local.replace(".", " ").replace("_", " ").replace("-", " ").replace("+", " ")
        fragments.update({value, local, *words.split()})
    return tuple(sorted(f for f in fragments if len(f) >= MIN_IDENTITY_FRAGMENT))


def check_password(password: str, *, identities: Iterable[str] = ()) -> str:
    """Return the normalized password, or raise the PasswordRejected subclass of the first rule
    it breaks. ``identities`` are the account's user name and e-mail address."""
    normalized = normalize_password(password)
    if len(normalized) < MIN_LENGTH:
        raise PasswordTooShort(f"at least {MIN_LENGTH} characters")
    if len(normalized) > MAX_LENGTH:
        raise PasswordTooLong(f"at most {MAX_LENGTH} characters")
    if any(unicodedata.category(char) == "Cc" for char in normalized):
        raise PasswordInvalidCharacters("control characters are not allowed")
    folded = normalized.lower()
    if _is_common(folded):
        raise PasswordCommon("a well-known password")
    if len(set(folded)) < MIN_DISTINCT_CHARACTERS or _repeats_a_unit(folded):
        raise PasswordRepetitive("made of a few repeated characters")
    if _is_run(folded):
        raise PasswordSequential("a keyboard or alphabet sequence")
    for fragment in identity_fragments(*identities):
        if fragment in folded:
            raise PasswordContainsIdentity("contains the account's name or e-mail address")
    return normalized


def _is_common(folded: str) -> bool:
    # Attackers try the listed words with digits and symbols stuck on, and in leetspeak.
    candidates = {folded, folded.translate(_LEET)}
    for candidate in list(candidates):
        stripped = candidate.strip("0123456789!@#$%^&*()-_=+.,?~ ")
        candidates.add(stripped)
        candidates.add(stripped.translate(_LEET))
        candidates.add(candidate.replace(" ", ""))
    return not candidates.isdisjoint(COMMON_PASSWORDS)


def _repeats_a_unit(folded: str) -> bool:
    """abcabcabcabc, 12121212...: the whole password is one short unit repeated."""
    length = len(folded)
    return any(
        length % size == 0 and folded == folded[:size] * (length // size)
        for size in range(1, length // 2 + 1)
    )


def _is_run(folded: str) -> bool:
    for run in _RUNS:
        # Repeated so a run may wrap around (...xyzabc..., 7890123...).
        looped = run * (len(folded) // len(run) + 2)
        if folded in looped or folded[::-1] in looped:
            return True
    return False


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """After `free_attempts` consecutive failures the account locks for `first_lock`, doubling
    with each further failure up to `max_lock`. A success resets the count. Locking for a while
    rather than for good keeps an attacker from locking real users out permanently."""

    free_attempts: int = 5
    first_lock: timedelta = timedelta(minutes=1)
    max_lock: timedelta = timedelta(hours=1)

    def lock_duration(self, failed_attempts: int) -> timedelta | None:
        """How long to lock after the `failed_attempts`-th consecutive failure (None: not)."""
        if failed_attempts < self.free_attempts:
            return None
        # Bounded exponent: the count itself is unbounded.
        doublings = min(failed_attempts - self.free_attempts, 32)
        lock: timedelta = self.first_lock * (1 << doublings)
        return min(lock, self.max_lock)

    def locked_until(self, failed_attempts: int, now: datetime) -> datetime | None:
        duration = self.lock_duration(failed_attempts)
        return None if duration is None else now + duration
