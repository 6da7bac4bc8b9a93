"""Keyset pages: a page holds at most MAX_PAGE_SIZE items and the cursor of the next one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from backend.services.errors import InvalidInput

MAX_PAGE_SIZE: Final = 100
DEFAULT_PAGE_SIZE: Final = 50

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None  # None on the last page


def page_size(first: int) -> int:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise InvalidInput(f"first must be between 1 and {MAX_PAGE_SIZE}")
    return first


def id_cursor(after: str | None) -> int | None:
    """Cursors of id-ordered lists are the last id seen, as text."""
    if after is None:
        return None
    if not after.isascii() or not after.isdigit() or len(after) > 18:
        raise InvalidInput("not a cursor of this list")
    return int(after)


def page_of(rows: Sequence[T], first: int, key: Callable[[T], object]) -> Page[T]:
    """``rows`` were fetched with limit first + 1: one more row means there is a next page."""
    items = list(rows[:first])
    more = len(rows) > first
    return Page(items, str(key(items[-1])) if more and items else None)
