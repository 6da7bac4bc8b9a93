"""Operations generated from the schema itself, so a new field is tested the day it appears."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)
from graphql.pyutils import Undefined

from backend.api.graphql.permissions import Requires, declared_permissions
from backend.api.graphql.schema import NevguardSchema, build_schema

# Placeholder values by argument name, then by type: ids that exist nowhere.
BY_NAME: Mapping[str, Any] = {"slug": "zz-nowhere", "tenant": "zz-nowhere", "role": "VIEWER",
                              "email": "nobody@example.test", "scopes": ["fleet:read"],
                              "username": "matrixacct", "hours": 1, "password": "pw-12345",
                              "client_id": "zz-nowhere", "reason": "matrix test"}
BY_SCALAR: Mapping[str, Any] = {"String": "x", "Int": 0, "Float": 1.0, "Boolean": True,
                                "ID": "0"}


@dataclass(frozen=True)
class Operation:
    kind: str  # "query" | "mutation"
    name: str  # GraphQL field name
    requires: Requires
    field: GraphQLField

    def document(self, values: Mapping[str, Any] | None = None) -> str:
        given = dict(values or {})
        arguments = []
        for arg_name, arg in self.field.args.items():
            python_name = arg.out_name or _snake(arg_name)
            if arg_name in given or python_name in given:
                value = given.get(arg_name, given.get(python_name))
            elif isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined:
                value = BY_NAME.get(python_name, _placeholder(arg.type))
            else:
                continue
            arguments.append(f"{arg_name}: {_literal(value, arg.type)}")
        args = f"({', '.join(arguments)})" if arguments else ""
        selection = " { __typename }" if isinstance(get_named_type(self.field.type),
                                                   GraphQLObjectType) else ""
        return f"{self.kind} {{ {self.name}{args}{selection} }}"

    def argument_names(self) -> list[str]:
        return [arg.out_name or _snake(name) for name, arg in self.field.args.items()]


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _placeholder(kind: Any) -> Any:
    kind = kind.of_type if isinstance(kind, GraphQLNonNull) else kind
    if isinstance(kind, GraphQLList):
        return [_placeholder(kind.of_type)]
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        return {}
    assert isinstance(kind, GraphQLScalarType)
    return BY_SCALAR[kind.name]


def _literal(value: Any, kind: Any) -> str:
    named = get_named_type(kind)
    if isinstance(value, list):
        inner = kind.of_type if isinstance(kind, GraphQLNonNull) else kind
        return "[" + ", ".join(_literal(item, inner.of_type) for item in value) + "]"
    if isinstance(named, GraphQLEnumType):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def operations(schema: NevguardSchema | None = None) -> Iterator[Operation]:
    schema = schema or build_schema(production=False)
    for (root, name), requires in sorted(declared_permissions(schema).items()):
        assert requires is not None, f"{root}.{name} declares no permission"
        kind = {"Query": "query", "Mutation": "mutation"}.get(root)
        assert kind is not None, f"{root}.{name}: generate {root} operations here"
        root_type = schema._schema.get_type(root)
        assert isinstance(root_type, GraphQLObjectType)
        yield Operation(kind, name, requires, root_type.fields[name])
