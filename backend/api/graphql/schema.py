"""The schema assembled from its domain parts, with the limits and error shaping of the API.

Errors leave through ``process_errors`` only: a typed error keeps its code (limits set theirs
when raised; service errors are mapped by ``errors.classify``); anything else is logged with
the request id and replaced by an internal error that quotes it.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import strawberry
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from backend.api.errors import ApiError, Code, classify, internal
from backend.api.graphql.alarm_handling_settings import AlarmHandlingMutation, AlarmHandlingQuery
from backend.api.graphql.alarm_workflow import (
    AlarmWorkflowMutation,
    AlarmWorkflowQuery,
    AlarmWorkflowSubscription,
)
from backend.api.graphql.alarms import AlarmMutation, AlarmQuery
from backend.api.graphql.array_scalars import SCALAR_MAP
from backend.api.graphql.audit_log import AuditMutation, AuditQuery
from backend.api.graphql.context import RequestContext
from backend.api.graphql.fleet_data import FleetMutation, FleetQuery
from backend.api.graphql.fleet_live import FleetLiveQuery, FleetSubscription
from backend.api.graphql.limits import CostLimit, QueryLimits, alias_rule, depth_rule
from backend.api.graphql.provider import ProviderMutation, ProviderQuery
from backend.api.graphql.tenant_admin import TenantAdminMutation, TenantAdminQuery

LOG = logging.getLogger("nevguard.api")

Query = merge_types("Query", (ProviderQuery, TenantAdminQuery, FleetQuery, FleetLiveQuery,
                              AlarmQuery, AlarmWorkflowQuery, AlarmHandlingQuery, AuditQuery))
Mutation = merge_types("Mutation", (ProviderMutation, TenantAdminMutation, FleetMutation,
                                    AlarmMutation, AlarmWorkflowMutation, AlarmHandlingMutation,
                                    AuditMutation))
Subscription = merge_types("Subscription", (FleetSubscription, AlarmWorkflowSubscription))


class NevguardSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        context = None if execution_context is None else execution_context.context
        request_id = context.request_id if isinstance(context, RequestContext) else "-"
        for error in errors:
            shape_error(error, request_id)


def shape_error(error: GraphQLError, request_id: str) -> None:
    """Rewrite ``error`` in place into its public form."""
    extensions: dict[str, Any] = dict(error.extensions or {})
    if "code" not in extensions:
        typed = _typed(error, request_id)
        error.message = typed.message
        extensions = {"code": typed.code.value, **typed.extensions}
    error.extensions = {**extensions, "requestId": request_id}


def _typed(error: GraphQLError, request_id: str) -> ApiError:
    original = error.original_error
    # graphql-core's own errors (syntax, validation, variable coercion) may wrap another.
    if original is None or isinstance(original, GraphQLError):
        if isinstance(error, GraphQLSyntaxError):
            # graphql-core's own wording when the lexer stops at max_tokens.
            if "tokens. Parsing aborted" in error.message:
                return ApiError(Code.TOO_MANY_TOKENS, error.message)
            return ApiError(Code.GRAPHQL_PARSE_FAILED, error.message)
        if error.message.startswith("Variable '$"):
            return ApiError(Code.BAD_USER_INPUT, error.message)
        return ApiError(Code.GRAPHQL_VALIDATION_FAILED, error.message)
    typed = classify(original)
    if typed is not None:
        return typed
    LOG.error("request %s: internal error in %s", request_id, error.path,
              exc_info=(type(original), original, original.__traceback__))
    return internal(request_id)


VALIDATION_CACHE_SIZE = 256


def build_schema(*, production: bool, limits: QueryLimits | None = None) -> NevguardSchema:
    limits = limits or QueryLimits()
    extensions: list[Any] = [
        functools.partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
        functools.partial(AddValidationRules, [depth_rule(limits.max_depth),
                                               alias_rule(limits.max_aliases)]),
        functools.partial(CostLimit, max_cost=limits.max_cost),
        # Validation is static (the document and the rules, never the variables), and the
        # console sends a few dozen documents: validating each request anew was 18 % of the
        # API's time under load (docs/benchmarks.md). Keyed by document and rule set.
        functools.partial(ValidationCache, maxsize=VALIDATION_CACHE_SIZE),
    ]
    if production:
        extensions.append(DisableIntrospection)
    return NevguardSchema(query=Query, mutation=Mutation, subscription=Subscription,
                          extensions=extensions,
                          config=StrawberryConfig(disable_field_suggestions=production,
                                                  scalar_map=SCALAR_MAP))
