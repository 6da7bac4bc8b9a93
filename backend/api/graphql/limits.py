"""Static limits on what one GraphQL document may ask for, checked before anything runs: depth,
aliases, tokens (graphql-core stops lexing at the limit) and an estimated cost in which a list
field multiplies the cost of its selection by its ``first``/``limit`` argument."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
    get_nullable_type,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension

from backend.api.errors import Code

LIST_ARGUMENTS: Final = ("first", "limit")


@dataclass(frozen=True, slots=True)
class QueryLimits:
    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_cost: int = 5000
    max_body_bytes: int = 64 * 1024
    max_subscriptions: int = 10  # live subscriptions per websocket connection
    # A running subscription re-checks its token and permission this often (and at the
    # token's expiry): a revoked session or an expired support grant ends it within this time.
    subscription_recheck_seconds: float = 30.0


def _error(code: Code, message: str, **extensions: Any) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code.value, **extensions})


def depth_rule(limit: int) -> type[ValidationRule]:
    class DepthRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode,
                                       *_args: object) -> None:
            depth = _depth(node.selection_set, self.context.get_fragment, set())
            if depth > limit:
                self.report_error(_error(Code.QUERY_TOO_DEEP,
                                         f"query depth {depth} exceeds the limit of {limit}",
                                         depth=depth, limit=limit))

    return DepthRule


def _depth(selection_set: SelectionSetNode | None, fragment: Any,
           seen: set[str]) -> int:
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue  # introspection has its own shape; it is off in production
            deepest = max(deepest, 1 + _depth(selection.selection_set, fragment, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragment, seen))
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            # A fragment cycle is a validation error of its own; do not loop on it here.
            found: FragmentDefinitionNode | None = fragment(selection.name.value)
            if found is not None:
                deepest = max(deepest, _depth(found.selection_set, fragment,
                                              seen | {selection.name.value}))
    return deepest


def alias_rule(limit: int) -> type[ValidationRule]:
    class AliasRule(ValidationRule):
        aliases = 0

        def enter_field(self, node: FieldNode, *_args: object) -> None:
            if node.alias is not None:
                self.aliases += 1
                if self.aliases == limit + 1:
                    self.report_error(_error(Code.TOO_MANY_ALIASES,
                                             f"more than {limit} aliases", limit=limit))

    return AliasRule


def estimate_cost(schema: GraphQLSchema, operation: OperationDefinitionNode,
                  fragments: Mapping[str, FragmentDefinitionNode],
                  variables: Mapping[str, Any]) -> int:
    root = schema.get_root_type(operation.operation)
    return 0 if root is None else _cost(schema, root, operation.selection_set, fragments,
                                        variables, seen=frozenset())


def _cost(schema: GraphQLSchema, parent: GraphQLNamedType, selection_set: SelectionSetNode,
          fragments: Mapping[str, FragmentDefinitionNode], variables: Mapping[str, Any], *,
          seen: frozenset[str]) -> int:
    total = 0
    for node, owner in _fields(schema, parent, selection_set, fragments, seen):
        if node.name.value.startswith("__") or not isinstance(owner, GraphQLObjectType):
            total += 1
            continue
        definition = owner.fields.get(node.name.value)
        if definition is None:
            continue
        child = 0
        if node.selection_set is not None:
            child = _cost(schema, get_named_type(definition.type), node.selection_set,
                          fragments, variables, seen=seen)
        multiplier = _list_size(node, definition.args, variables) if isinstance(
            get_nullable_type(definition.type), GraphQLList) or _has_list_argument(
            definition.args) else 1
        total += 1 + multiplier * child
    return total


def _fields(schema: GraphQLSchema, parent: GraphQLNamedType, selection_set: SelectionSetNode,
            fragments: Mapping[str, FragmentDefinitionNode],
            seen: frozenset[str]) -> Iterator[tuple[FieldNode, GraphQLNamedType]]:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection, parent
        elif isinstance(selection, InlineFragmentNode):
            owner = parent if selection.type_condition is None else \
                schema.get_type(selection.type_condition.name.value) or parent
            yield from _fields(schema, owner, selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                owner = schema.get_type(fragment.type_condition.name.value) or parent
                yield from _fields(schema, owner, fragment.selection_set, fragments,
                                   seen | {selection.name.value})


def _has_list_argument(arguments: Mapping[str, Any]) -> bool:
    return any(name in arguments for name in LIST_ARGUMENTS)


def _list_size(node: FieldNode, arguments: Mapping[str, Any],
               variables: Mapping[str, Any]) -> int:
    """The page size asked for, else the argument's default, else 1 (a list without a size
    argument is bounded by the data, not by the query)."""
    for name in LIST_ARGUMENTS:
        given = next((arg for arg in node.arguments or () if arg.name.value == name), None)
        if given is not None:
            value = value_from_ast_untyped(given.value, dict(variables))
        elif name in arguments:
            value = arguments[name].default_value
        else:
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            return max(value, 1)
    return 1


class CostLimit(SchemaExtension):
    """Refuses an operation whose estimated cost exceeds the limit; it runs after validation,
    when the variables (which may carry the page sizes) are known."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = None
        if document is not None:
            operations = [d for d in document.definitions
                          if isinstance(d, OperationDefinitionNode)]
            operation = next((op for op in operations if context.operation_name is None
                              or (op.name is not None and op.name.value ==
                                  context.operation_name)), None)
        if operation is not None and document is not None:
            fragments = {d.name.value: d for d in document.definitions
                         if isinstance(d, FragmentDefinitionNode)}
            cost = estimate_cost(context.schema._schema, operation, fragments,
                                 context.variables or {})
            if cost > self.max_cost:
                context.result = ExecutionResult(data=None, errors=[_error(
                    Code.QUERY_TOO_COSTLY,
                    f"estimated cost {cost} exceeds the limit of {self.max_cost}",
                    cost=cost, limit=self.max_cost)])
        yield
