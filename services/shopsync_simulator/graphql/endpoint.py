"""One GraphQL request end to end: parse, validate, scopes, cost, bucket, execute, refund."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSyntaxError,
    execute_sync,
    parse,
    validate,
)

from shopsync.shopify.cost import cost_breakdown, query_cost
from shopsync_simulator.bulk.runner import BulkManager
from shopsync_simulator.graphql.bucket import MAX_QUERY_COST, LeakyBucket
from shopsync_simulator.graphql.resolvers import ExecContext, field_resolver
from shopsync_simulator.graphql.schema import AdminSchema, admin_schema
from shopsync_simulator.store.store import Store

RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits"
_CACHE_SIZE = 512
_UNDEFINED_FIELD = re.compile(r"^Cannot query field '([^']+)' on type '([^']+)'\.")
_UNKNOWN_ARG = re.compile(r"^Unknown argument '([^']+)' on field '([^'.]+)\.([^']+)'\.")
_MISSING_ARG = re.compile(r"^Argument '[^'.]+\.([^'(]+)\(([^:]+):\)' of type '[^']+' is required")


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Prepared:
    document: DocumentNode | None
    errors: list[dict[str, Any]]
    scope_errors: dict[frozenset[str], list[dict[str, Any]]] = field(default_factory=dict)


_cache: dict[tuple[str, str], _Prepared] = {}
_cache_lock = threading.Lock()


def shopify_error(error: GraphQLError) -> dict[str, Any]:
    """A graphql-core error in the shape Shopify sends."""
    message = error.message
    ext: dict[str, Any] = dict(error.extensions or {})
    if m := _UNDEFINED_FIELD.match(message):
        message = f"Field '{m[1]}' doesn't exist on type '{m[2]}'"
        ext = {"code": "undefinedField", "typeName": m[2], "fieldName": m[1]}
    elif m := _UNKNOWN_ARG.match(message):
        message = f"Field '{m[3]}' doesn't accept argument '{m[1]}'"
        ext = {
            "code": "argumentNotAccepted",
            "name": m[3],
            "typeName": "Field",
            "argumentName": m[1],
        }
    elif m := _MISSING_ARG.match(message):
        message = f"Field '{m[1]}' is missing required arguments: {m[2]}"
        ext = {
            "code": "missingRequiredArguments",
            "className": "Field",
            "name": m[1],
            "arguments": m[2],
        }
    out: dict[str, Any] = {"message": message}
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        out["path"] = list(error.path)
    if ext:
        out["extensions"] = ext
    return out


def _prepare(admin: AdminSchema, query: str) -> _Prepared:
    key = (admin.version, query)
    prepared = _cache.get(key)
    if prepared is not None:
        return prepared
    try:
        document = parse(query)
    except GraphQLSyntaxError as exc:
        loc = exc.locations[0] if exc.locations else None
        where = f" at [{loc.line}, {loc.column}]" if loc else ""
        err: dict[str, Any] = {
            "message": f"syntax error, {exc.message.removeprefix('Syntax Error: ')}{where}"
        }
        if loc:
            err["locations"] = [{"line": loc.line, "column": loc.column}]
        prepared = _Prepared(None, [err])
    else:
        errors = validate(admin.schema, document)
        prepared = _Prepared(document, [shopify_error(e) for e in errors])
    with _cache_lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[key] = prepared
    return prepared


def run_graphql(  # noqa: PLR0911
    store: Store,
    bucket: LeakyBucket,
    version: str,
    payload: Any,
    scopes: frozenset[str],
    *,
    throttle_status_code: int = 200,
    bulks: BulkManager | None = None,
    cost_fields: bool = False,
) -> Answer:
    """Answer one ``POST .../graphql.json`` body for a shop (auth already checked); with
    ``cost_fields`` the cost comes with its breakdown by field (:func:`wants_cost_fields`)."""
    admin = admin_schema(version)

    def cost(requested: int | None, actual: int | None) -> dict[str, Any]:
        return {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": actual,
                "throttleStatus": bucket.status(),
            }
        }

    query = payload.get("query") if isinstance(payload, dict) else None
    if not isinstance(query, str) or not query.strip():
        return Answer(400, {"errors": {"query": "Required parameter missing or invalid"}})
    variables = payload.get("variables") or {}
    operation = payload.get("operationName") or None
    if not isinstance(variables, dict):
        return Answer(400, {"errors": {"variables": "must be a JSON object"}})
    prepared = _prepare(admin, query)
    if prepared.errors or prepared.document is None:
        return Answer(200, {"errors": prepared.errors, "extensions": cost(None, None)})
    document = prepared.document
    denied = prepared.scope_errors.get(scopes)
    if denied is None:
        denied = [shopify_error(e) for e in admin.scope_errors(document, scopes)]
        prepared.scope_errors[scopes] = denied
    if denied:
        return Answer(200, {"errors": denied, "data": None, "extensions": cost(None, None)})

    requested = query_cost(admin.schema, document, operation, variables)
    if requested > MAX_QUERY_COST:
        error = {
            "message": (
                f"Query cost is {requested}, which exceeds the single query max cost limit "
                f"({MAX_QUERY_COST}).\n\nSee {RATE_LIMIT_DOCS} for more information on how the\n"
                "cost of a query is calculated.\n\nTo query larger amounts of data with fewer "
                "limits, bulk operations should be used instead.\n"
            ),
            "extensions": {
                "code": "MAX_COST_EXCEEDED",
                "cost": requested,
                "maxCost": MAX_QUERY_COST,
            },
        }
        return Answer(200, {"errors": [error], "extensions": cost(requested, None)})
    decision = bucket.take(requested)
    if not decision.allowed:
        error = {
            "message": "Throttled",
            "extensions": {"code": "THROTTLED", "documentation": RATE_LIMIT_DOCS},
        }
        headers = {}
        if throttle_status_code == 429:
            headers["Retry-After"] = f"{max(decision.retry_after, 0.001):.3f}"
        body = {"errors": [error], "extensions": cost(requested, None)}
        return Answer(throttle_status_code, body, headers)

    result = execute_sync(
        admin.schema,
        document,
        root_value={},
        context_value=ExecContext(store, admin.version, bulks=bulks, scopes=scopes),
        variable_values=variables,
        operation_name=operation,
        field_resolver=field_resolver,
    )
    actual = requested
    if result.data is not None:
        actual = min(
            requested,
            query_cost(admin.schema, document, operation, variables, result.data, actual=True),
        )
    bucket.refund(requested - actual)
    answer: dict[str, Any] = {}
    if result.errors:
        answer["errors"] = [shopify_error(e) for e in result.errors]
    answer["data"] = result.data
    answer["extensions"] = cost(requested, actual)
    if cost_fields:
        breakdown = cost_breakdown(admin.schema, document, operation, variables)
        answer["extensions"]["cost"]["fields"] = breakdown
    return Answer(200, answer)


#: The request headers that ask for the cost by field: ``X-GraphQL-Cost-Include-Fields: true``
#: (the name Shopify's own clients send) and ``Shopify-GraphQL-Cost-Debug: 1`` (the name
#: shopify.dev's limits page gives now).
COST_FIELDS_HEADERS = ("X-GraphQL-Cost-Include-Fields", "Shopify-GraphQL-Cost-Debug")


def wants_cost_fields(include: str | None, debug: str | None) -> bool:
    """Whether the values of :data:`COST_FIELDS_HEADERS` ask for the cost by field."""
    return (include or "").strip().lower() == "true" or (debug or "").strip() == "1"
