"""The GraphQL examples in docs/ stay valid against the checked-in schema: each operation of
every ```graphql block is validated on its own (a block may show several anonymous ones)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import DocumentNode, build_schema, parse, validate

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = build_schema((ROOT / "frontend" / "schema.graphql").read_text(encoding="utf-8"))
BLOCK = re.compile(r"```graphql\n(.*?)```", re.S)
EXAMPLES = [(path.relative_to(ROOT).as_posix(), number, block)
            for path in sorted((ROOT / "docs").rglob("*.md"))
            for number, block in enumerate(BLOCK.findall(path.read_text(encoding="utf-8")), 1)]


def test_the_docs_have_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize(("page", "number", "block"), EXAMPLES,
                         ids=[f"{page}#{number}" for page, number, _ in EXAMPLES])
def test_example_is_valid(page: str, number: int, block: str) -> None:
    document = parse(block)
    for definition in document.definitions:
        errors = validate(SCHEMA, DocumentNode(definitions=(definition,)))
        assert not errors, f"{page} example {number}: {[error.message for error in errors]}"
