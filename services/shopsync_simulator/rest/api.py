"""REST Admin API (read-only subset): ``shop``, ``access_scopes``, ``products``, ``customers``,
``orders``, ``locations``, ``events`` with ``limit``, ``since_id``, ``updated_at_min/max``,
``created_at_min/max``, ``fields`` and cursor pagination through the ``Link`` header; one
record by id (``products/<id>.json`` -> ``{"product": ...}``) and ``<resource>/count.json``
(``{"count": n}``, same filters as the list).

REST has its own leaky bucket per shop (requests, not points): 40 and 2/s on standard, twice
that on advanced, 400 and 20/s on plus and enterprise; every response carries
``X-Shopify-Shop-Api-Call-Limit``; over the limit is 429 with ``Retry-After``.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from graphql import GraphQLError

from shopsync_simulator.graphql.bucket import LeakyBucket
from shopsync_simulator.graphql.endpoint import Answer
from shopsync_simulator.query.pager import PageArgs, paginate, table_scan
from shopsync_simulator.query.search import SearchSyntaxError, compile_filter
from shopsync_simulator.rest import shapes
from shopsync_simulator.store.ids import index_of
from shopsync_simulator.store.store import Store
from shopsync_simulator.store.table import Record

REST_LIMITS: dict[str, tuple[float, float]] = {
    "standard": (40, 2),
    "advanced": (80, 4),
    "plus": (400, 20),
    "enterprise": (400, 20),
}
Shape = Callable[[Store, Record], dict[str, Any]]
#: file -> (response key, table kind, shape, scope needed)
RESOURCES: dict[str, tuple[str, str, Shape, str | None]] = {
    "products.json": ("products", "Product", shapes.product, "read_products"),
    "customers.json": ("customers", "Customer", shapes.customer, "read_customers"),
    "orders.json": ("orders", "Order", shapes.order, "read_orders"),
    "locations.json": ("locations", "Location", shapes.location, "read_locations"),
    "events.json": ("events", "Event", shapes.event, None),
}
#: the response key of one record (``GET products/<id>.json`` -> ``{"product": {...}}``)
SINGULAR = {
    "products": "product",
    "customers": "customer",
    "orders": "order",
    "locations": "location",
    "events": "event",
}
NOT_FOUND = {"errors": "Not Found"}
_PLUS_AS_SPACE = re.compile(r"(T\d\d:\d\d(:\d\d(\.\d+)?)?) (\d\d:?\d\d)$")
FILTER_PARAMS = {
    "updated_at_min": "updated_at:>=",
    "updated_at_max": "updated_at:<=",
    "created_at_min": "created_at:>=",
    "created_at_max": "created_at:<=",
}


def rest_bucket(plan: str, speed: float, enabled: bool) -> LeakyBucket:
    maximum, rate = REST_LIMITS[plan]
    return LeakyBucket(maximum, rate, speed=speed, enabled=enabled)


def call_limit(bucket: LeakyBucket) -> str:
    status = bucket.status()
    used = math.ceil(status["maximumAvailable"] - status["currentlyAvailable"])
    return f"{max(used, 0)}/{int(status['maximumAvailable'])}"


def _encode(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> dict[str, Any]:
    try:
        value = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except ValueError as exc:
        raise ValueError("Invalid page_info.") from exc
    if not isinstance(value, dict):
        raise ValueError("Invalid page_info.")
    return value


def _search(resource: str, args: Mapping[str, str]) -> str:
    terms: list[str] = []
    for param, prefix in FILTER_PARAMS.items():
        if args.get(param):
            value = _PLUS_AS_SPACE.sub(r"\1+\4", args[param].strip())
            terms.append(f"{prefix}'{value}'")
    if args.get("since_id"):
        terms.append(f"id:>{int(args['since_id'])}")
    if args.get("ids"):
        terms.append("(" + " OR ".join(f"id:{int(i)}" for i in args["ids"].split(",")) + ")")
    if resource == "orders.json":
        status = args.get("status", "open")
        if status not in ("open", "closed", "cancelled", "any"):
            raise ValueError(f"status: unknown value {status!r}")
        if status != "any":
            terms.append(f"status:{status}")
        if args.get("financial_status") and args["financial_status"] != "any":
            terms.append(f"financial_status:{args['financial_status']}")
    if resource == "products.json" and args.get("status"):
        terms.append(f"status:{args['status']}")
    if resource == "events.json":
        if args.get("filter"):
            terms.append(f"subject_type:{args['filter']}")
        if args.get("verb"):
            terms.append(f"action:{args['verb']}")
    return " AND ".join(terms)


def handle_rest(  # noqa: PLR0911
    store: Store,
    bucket: LeakyBucket,
    resource: str,
    args: Mapping[str, str],
    scopes: frozenset[str],
    link_base: str,
) -> Answer:
    """One ``GET /admin/api/<v>/<resource>`` (``link_base`` is the URL up to the version).

    ``resource`` is the path after the version: ``products.json``, ``products/<id>.json`` or
    ``products/count.json``.
    """
    decision = bucket.take(1)
    headers = {"X-Shopify-Shop-Api-Call-Limit": call_limit(bucket)}
    if not decision.allowed:
        body = {"errors": "Exceeded 2 calls per second for api client. Reduce request rates to "
                "resume uninterrupted service."}  # fmt: skip
        return Answer(429, body, headers | {"Retry-After": f"{max(decision.retry_after, 0.1):.1f}"})
    if resource == "access_scopes.json":
        return Answer(200, {"access_scopes": [{"handle": s} for s in sorted(scopes)]}, headers)
    if resource == "shop.json":
        return Answer(200, {"shop": shapes.shop(store)}, headers)
    collection, _, member = resource.partition("/")
    if "/" in member:
        return Answer(404, NOT_FOUND, headers)
    if member:
        collection += ".json"
    if collection not in RESOURCES:
        return Answer(404, NOT_FOUND, headers)
    key, kind, shape, scope = RESOURCES[collection]
    implied = scopes | {s.replace("write_", "read_", 1) for s in scopes}
    if scope is not None and scope not in implied:
        message = f"[API] This action requires merchant approval for {scope} scope."
        return Answer(403, {"errors": message}, headers)
    if member:
        return _member(store, collection, member, args, headers)
    try:
        records, links = _page(store, resource, kind, args, link_base)
    except (ValueError, SearchSyntaxError, GraphQLError) as exc:
        return Answer(400, {"errors": str(exc)}, headers)
    out = [_only(shape(store, r), args) for r in records]
    if links:
        headers["Link"] = ", ".join(links)
    return Answer(200, {key: out}, headers)


def _member(
    store: Store, collection: str, member: str, args: Mapping[str, str], headers: dict[str, str]
) -> Answer:
    """``<collection>/count.json`` or ``<collection>/<id>.json``."""
    key, kind, shape, _ = RESOURCES[collection]
    if member == "count.json":
        try:
            return Answer(200, {"count": _count(store, collection, kind, args)}, headers)
        except (ValueError, SearchSyntaxError, GraphQLError) as exc:
            return Answer(400, {"errors": str(exc)}, headers)
    number = member.removesuffix(".json")
    rec = store.node(kind, index_of(kind, int(number))) if number.isdigit() else None
    if rec is None:
        return Answer(404, NOT_FOUND, headers)
    return Answer(200, {SINGULAR[key]: _only(shape(store, rec), args)}, headers)


def _only(rec: dict[str, Any], args: Mapping[str, str]) -> dict[str, Any]:
    """``fields=id,title``: just those keys."""
    fields = {f.strip() for f in args.get("fields", "").split(",") if f.strip()}
    return {k: v for k, v in rec.items() if k in fields} if fields else rec


def _count(store: Store, resource: str, kind: str, args: Mapping[str, str]) -> int:
    """``<resource>/count.json``: the live records the list's filters would return."""
    table = store.tables[kind]
    query = _search(resource, args)
    if not query:
        return table.live_count()
    flt = compile_filter(query, kind)
    return sum(1 for rec in table.iter_live() if flt.matches(rec))


def _page(
    store: Store, resource: str, kind: str, args: Mapping[str, str], link_base: str
) -> tuple[list[Record], list[str]]:
    limit_text = args.get("limit", "50")
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= 250:
        raise ValueError("limit: must be between 1 and 250")
    limit = int(limit_text)
    if "page_info" in args:
        extra = set(args) - {"page_info", "limit", "fields"}
        if extra:
            raise ValueError(f"page_info cannot be combined with: {', '.join(sorted(extra))}")
        state = _decode(args["page_info"])
        query = str(state.get("q", ""))
        page_args = PageArgs(first=limit, after=state["after"]) if "after" in state else PageArgs(
            last=limit, before=state.get("before")
        )  # fmt: skip
    else:
        query = _search(resource, args)
        page_args = PageArgs(first=limit)
    conn = paginate(table_scan(store.tables[kind], "ID", compile_filter(query, kind)), page_args)
    links: list[str] = []
    keep = {"limit": str(limit)} | ({"fields": args["fields"]} if args.get("fields") else {})
    info = conn["pageInfo"]
    if info["hasPreviousPage"] and info["startCursor"]:
        token = _encode({"q": query, "before": info["startCursor"]})
        links.append(
            f'<{link_base}/{resource}?{urlencode(keep | {"page_info": token})}>; rel="previous"'
        )
    if info["hasNextPage"] and info["endCursor"]:
        token = _encode({"q": query, "after": info["endCursor"]})
        links.append(
            f'<{link_base}/{resource}?{urlencode(keep | {"page_info": token})}>; rel="next"'
        )
    return list(conn["nodes"]), links
