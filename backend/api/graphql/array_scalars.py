"""Whole numeric arrays as one scalar each.

History and matrix answers are column-wise: a month at hourly buckets is 720 numbers per
signal and aggregate, about 11,000 a typical answer. As ``[Float]`` graphql-core completes and
serialises every item on its own, which was about 60 % of handling such a request
(docs/benchmarks.md); as a scalar the list is handed to the JSON encoder as it is. The JSON
shape is the same (an array of numbers, null where the value is missing), so clients read
them exactly as before; the SDL names the scalars so the element types stay documented.

They are output types: the values come from our own queries (numbers or None), so serialize
returns them unchanged. As input they are refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

FloatList = NewType("FloatList", Sequence[float | int | None])
IntList = NewType("IntList", Sequence[int])


def _as_list(value: Sequence[Any]) -> list[Any]:
    return value if isinstance(value, list) else list(value)


def _output_only(value: object) -> object:
    raise ValueError("an output-only scalar: not accepted as input")


SCALAR_MAP: dict[object, ScalarDefinition] = {
    FloatList: strawberry.scalar(
        name="FloatList", serialize=_as_list, parse_value=_output_only,
        description="A JSON array of numbers, null where a value is missing (the column-wise "
                    "history and matrix answers)."),
    IntList: strawberry.scalar(
        name="IntList", serialize=_as_list, parse_value=_output_only,
        description="A JSON array of integers (one per time point of the enclosing answer)."),
}
