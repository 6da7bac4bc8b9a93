"""Operations generated from the schema itself, so a new field is tested the day it appears."""

from __future__ import annotations

import json
import secrets
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
from strawberry.types.base import StrawberryObjectDefinition

from backend.api.graphql.permissions import Requires, declared_permissions
from backend.api.graphql.schema import NevguardSchema, build_schema


def _new_vin() -> str:
    return ("LM" + secrets.token_hex(9).upper())[:17]


# Placeholder values by argument name, then by input type, then by type: ids that exist
# nowhere, and inputs that pass validation (so a refusal is about access, not about shape).
BY_NAME: Mapping[str, Any] = {"slug": "zz-nowhere", "tenant": "zz-nowhere", "role": "VIEWER",
                              "email": "nobody@example.test", "scopes": ["fleet:read"],
                              "username": "matrixacct", "hours": 1, "password": "pw-12345",
                              "client_id": "zz-nowhere", "reason": "matrix test",
                              "vin": "LZZNOWHERE0000000", "csv": f"vin\n{_new_vin()}\n",
                              "signals": ["soc_pct"], "from": "2024-05-01T00:00:00+00:00",
                              "to": "2024-05-02T00:00:00+00:00", "file_name": "photo.jpg",
                              "content_type": "image/jpeg"}
BY_INPUT: Mapping[str, Mapping[str, Any]] = {
    "VehicleModelInput": {"name": f"Matrix {secrets.token_hex(3)}", "maker": "Matrix Motors",
                          "batteryChemistry": "NCM", "cellCount": 96, "probeCount": 16,
                          "ratedCapacityKwh": 70.0},
    "VehicleModelChangesInput": {"maker": "Matrix Motors"},
    "VehicleInput": {"vin": _new_vin()},
    "VehicleChangesInput": {"productionBatch": "M-1"},
    "AlarmRuleInput": {"code": "SOC_JUMP", "level": 2},
    "AlarmHandlingInput": {},
    "DutyRotaInput": {"people": [], "shifts": []},
    "NotificationChannelInput": {"kind": "WEBHOOK", "enabled": True,
                                 "target": "https://hooks.example.test/nevguard"},
}
BY_SCALAR: Mapping[str, Any] = {"String": "x", "Int": 0, "Float": 1.0, "Boolean": True,
                                "ID": "0", "DateTime": "2024-05-01T00:00:00+00:00",
                                "Date": "2024-05-01"}


@dataclass(frozen=True)
class Operation:
    kind: str  # "query" | "mutation" | "subscription"
    name: str  # GraphQL field name
    requires: Requires
    field: GraphQLField
    # A nested field with its own permission is reached through this root field, and then
    # through these fields without arguments (``fleetOverview { byModel { model } }``).
    parent: Operation | None = None
    via: tuple[str, ...] = ()

    def document(self, values: Mapping[str, Any] | None = None, *,
                 fields: str = "__typename") -> str:
        selection = f" {{ {fields} }}" if isinstance(get_named_type(self.field.type),
                                                     GraphQLObjectType) else ""
        inner = f"{self.name}{self._arguments(values)}{selection}"
        for step in reversed(self.via):
            inner = f"{step} {{ {inner} }}"
        if self.parent is not None:
            inner = f"{self.parent.name}{self.parent._arguments(values)} {{ {inner} }}"
        return f"{self.kind} {{ {inner} }}"

    def _arguments(self, values: Mapping[str, Any] | None) -> str:
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
        return f"({', '.join(arguments)})" if arguments else ""

    def argument_names(self) -> list[str]:
        own = [arg.out_name or _snake(name) for name, arg in self.field.args.items()]
        return own + ([] if self.parent is None else self.parent.argument_names())

    @property
    def label(self) -> str:
        return ".".join((*([] if self.parent is None else [self.parent.name]), *self.via,
                         self.name))


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _placeholder(kind: Any) -> Any:
    kind = kind.of_type if isinstance(kind, GraphQLNonNull) else kind
    if isinstance(kind, GraphQLList):
        return [_placeholder(kind.of_type)]
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        return dict(BY_INPUT.get(kind.name, {}))
    assert isinstance(kind, GraphQLScalarType)
    return BY_SCALAR[kind.name]


def _literal(value: Any, kind: Any) -> str:
    kind = kind.of_type if isinstance(kind, GraphQLNonNull) else kind
    if value is None:
        return "null"
    if isinstance(kind, GraphQLList):
        items = value if isinstance(value, list) else [value]
        return "[" + ", ".join(_literal(item, kind.of_type) for item in items) + "]"
    if isinstance(kind, GraphQLEnumType):
        return str(value)
    if isinstance(kind, GraphQLInputObjectType):
        return "{" + ", ".join(f"{name}: {_literal(item, kind.fields[name].type)}"
                               for name, item in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def operations(schema: NevguardSchema | None = None, *,
               kinds: tuple[str, ...] = ("query", "mutation")) -> Iterator[Operation]:
    """Every root field of ``kinds`` and, for queries, every nested field that declares its
    own permission (reached through the first root query returning its type)."""
    schema = schema or build_schema(production=False)
    names = {"Query": "query", "Mutation": "mutation", "Subscription": "subscription"}
    roots: list[Operation] = []
    for (root, name), requires in sorted(declared_permissions(schema).items()):
        assert requires is not None, f"{root}.{name} declares no permission"
        kind = names.get(root)
        assert kind is not None, f"{root}.{name}: generate {root} operations here"
        root_type = schema._schema.get_type(root)
        assert isinstance(root_type, GraphQLObjectType)
        roots.append(Operation(kind, name, requires, root_type.fields[name]))
    yield from (operation for operation in roots if operation.kind in kinds)
    if "query" in kinds:
        yield from _nested(schema, [op for op in roots if op.kind == "query"])


def _nested(schema: NevguardSchema, queries: list[Operation]) -> Iterator[Operation]:
    paths = _paths(queries)
    for type_name, graphql_type in sorted(schema._schema.type_map.items()):
        definition = schema.get_type_by_name(type_name)
        if type_name in {"Query", "Mutation", "Subscription"} or not isinstance(
                definition, StrawberryObjectDefinition) or \
                not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field in definition.fields:
            found = [ext for ext in field.extensions if isinstance(ext, Requires)]
            if not found:
                continue
            name = schema.config.name_converter.get_graphql_name(field)
            path = paths.get(type_name)
            assert path is not None, f"{type_name}.{name}: no root query reaches {type_name}"
            parent, via = path
            yield Operation("query", name, found[0], graphql_type.fields[name], parent, via)


def _paths(queries: list[Operation]) -> dict[str, tuple[Operation, tuple[str, ...]]]:
    """Each object type -> the shortest way to it: a root query, then fields that take no
    arguments (breadth first, root queries in name order)."""
    paths: dict[str, tuple[Operation, tuple[str, ...]]] = {}
    frontier: list[tuple[GraphQLObjectType, Operation, tuple[str, ...]]] = []
    for query in queries:
        named = get_named_type(query.field.type)
        if isinstance(named, GraphQLObjectType) and named.name not in paths:
            paths[named.name] = (query, ())
            frontier.append((named, query, ()))
    while frontier:
        reached = []
        for graphql_type, query, via in frontier:
            for name, field in graphql_type.fields.items():
                named = get_named_type(field.type)
                if field.args or not isinstance(named, GraphQLObjectType) or \
                        named.name in paths:
                    continue
                paths[named.name] = (query, (*via, name))
                reached.append((named, query, (*via, name)))
        frontier = reached
    return paths
