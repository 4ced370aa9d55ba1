"""Resolvers over the simulated store, installed on each version's schema.

A field the records do not carry and no resolver here serves resolves in :mod:`.synth`: derived
from the record where it has business meaning, else generated from its type, so every field of
every version has a value of the right shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
)

from shopsync_simulator.bulk.operations import CHUNK, BulkOperations, BulkPaging
from shopsync_simulator.bulk.resolvers import BULK_RESOLVERS
from shopsync_simulator.graphql.nested import list_connection as _list_connection
from shopsync_simulator.graphql.nested import related as _related
from shopsync_simulator.graphql.order_resolvers import ORDER_RESOLVERS
from shopsync_simulator.graphql.synth import resolve_missing
from shopsync_simulator.query.pager import PageArgs, Scan, list_scan, paginate, table_scan
from shopsync_simulator.query.search import Filter, SearchSyntaxError, compile_filter
from shopsync_simulator.query.tenders import tender_scan
from shopsync_simulator.store.generate import iso
from shopsync_simulator.store.ids import gid, parse_gid
from shopsync_simulator.store.store import Store
from shopsync_simulator.store.table import Record

Resolver = Callable[..., Any]
Info = GraphQLResolveInfo[Any]
COUNT_LIMIT = 10_000
ORDER_WINDOW = 60 * 86_400


@dataclass
class ExecContext:
    store: Store
    version: str
    bulk: BulkPaging | None = None  # set while a bulk operation runs the query
    bulks: BulkOperations | None = None  # the shop's bulk operations
    scopes: frozenset[str] = frozenset({"read_all_orders"})


def _store(info: Info) -> Store:
    ctx: ExecContext = info.context
    return ctx.store


def field_resolver(source: Any, info: Info, **args: Any) -> Any:
    """A record's own value of the field, else one derived from it or generated from the
    field's type (:mod:`.synth`)."""
    if isinstance(source, dict):
        try:
            return source[info.field_name]
        except KeyError:
            return resolve_missing(source, info, args)
    return getattr(source, info.field_name, None)


# -- connections ------------------------------------------------------------------------------
def _paging(info: Info, args: dict[str, Any]) -> dict[str, Any]:
    """A root connection's arguments; a bulk operation reads it in chunks from where it got."""
    bulk: BulkPaging | None = info.context.bulk
    if bulk is not None and info.path.prev is None:
        return args | {"first": CHUNK, "after": bulk.after, "last": None, "before": None}
    return args


def _paged(info: Info, conn: dict[str, Any]) -> dict[str, Any]:
    """``conn``, noting where a bulk operation's next chunk starts."""
    bulk: BulkPaging | None = info.context.bulk
    if bulk is not None and info.path.prev is None and conn["pageInfo"]["hasNextPage"]:
        bulk.next_after = conn["pageInfo"]["endCursor"]
    return conn


def _filter(query: str | None, kind: str) -> Filter:
    try:
        return compile_filter(query, kind)
    except SearchSyntaxError as exc:
        raise GraphQLError(f"Invalid search query: {exc}") from exc


#: The records of a root connection matching a filter, in a sort key's order.
ScanOf = Callable[[Store, str, str, Filter], Scan]


def _table_scan(store: Store, kind: str, sort_key: str, flt: Filter) -> Scan:
    return table_scan(store.tables[kind], sort_key, flt)


def _tender_scan(store: Store, _: str, __: str, flt: Filter) -> Scan:
    """Tender transactions have no ``sortKey``: id order, from the orders' ledgers."""
    return tender_scan(store.orders, flt)


def _top_connection(kind: str, scan_of: ScanOf = _table_scan) -> Resolver:
    """A root connection of ``kind``: paged, searched, read in chunks by a bulk operation."""

    def resolve(_: Any, info: Info, **args: Any) -> Any:
        page = PageArgs.from_args(_paging(info, args))
        query = page.query
        if kind == "Order" and "read_all_orders" not in info.context.scopes:
            # Without read_all_orders Shopify shows only the last 60 days of orders.
            since = f"created_at:>='{iso(_store(info).clock.now() - ORDER_WINDOW)}'"
            query = f"({query}) AND {since}" if query else since
        conn = paginate(scan_of(_store(info), kind, page.sort_key, _filter(query, kind)), page)
        return _paged(info, conn)

    return resolve


def _fulfillment_orders(_: Any, info: Info, **args: Any) -> Any:
    """Every order's fulfillment orders by their own ``updatedAt`` (or id); closed ones only
    with ``includeClosed: true``, as on Shopify."""
    page = PageArgs.from_args(_paging(info, args))
    flt = _filter(page.query, "FulfillmentOrder")
    closed = bool(args.get("includeClosed"))
    pairs = _store(info).fulfillment_orders.pairs(page.sort_key)
    scan = list_scan(pairs, lambda r: (closed or r["status"] != "CLOSED") and flt.matches(r))
    return _paged(info, paginate(scan, page))


def _count(kind: str) -> Resolver:
    def resolve(_: Any, info: Info, **args: Any) -> Any:
        table = _store(info).tables[kind]
        limit = args.get("limit") or COUNT_LIMIT
        if not args.get("query"):
            n = table.live_count()
        else:
            flt = compile_filter(args["query"], kind)
            n = 0
            for rec in table.iter_live():
                n += flt.matches(rec)
                if n > limit:
                    break
        exact = n <= limit
        return {"count": min(n, limit), "precision": "EXACT" if exact else "AT_LEAST"}

    return resolve


def _location_levels(rec: Record, info: Info, **args: Any) -> Any:
    """Levels stocked at a location, in id order, filtered by ``query`` (``updated_at``,
    ``created_at``, ``id``, ``inventory_item_id``). Level index = item x locations + location."""
    store = _store(info)
    table = store.inventory_levels
    bulk = info.context.bulk is not None
    if bulk:  # a bulk operation reads the nested connection whole
        args = {"first": table.next_index, "query": args.get("query")}
    page = PageArgs.from_args(args)
    flt = _filter(page.query, "InventoryLevel")
    scan = table_scan(table, "ID", flt, stride=(store.factory.n_locations, rec["_i"]))
    return paginate(scan, page, unbounded=bulk)


# -- nodes ------------------------------------------------------------------------------------
def _lookup(value: Any, info: Info, kind: str | None = None) -> Record | None:
    parsed = parse_gid(value) if isinstance(value, str) else None
    if parsed is None or (kind is not None and parsed[0] != kind):
        return None
    if parsed[0] == "BulkOperation":
        bulks: BulkOperations | None = info.context.bulks
        op = bulks.get(value) if bulks is not None else None
        return op.record() if op else None
    return _store(info).node(*parsed)


def _by_id(kind: str) -> Resolver:
    def resolve(_: Any, info: Info, **args: Any) -> Any:
        if kind == "Location" and args.get("id") is None:
            return _store(info).locations.get(0)
        return _lookup(args.get("id"), info, kind)

    return resolve


def _node(_: Any, info: Info, id: str) -> Any:
    return _lookup(id, info)


def _nodes(_: Any, info: Info, ids: list[str]) -> Any:
    if len(ids) > 250:
        raise GraphQLError("The 'ids' argument may not contain more than 250 ids.")
    return [_lookup(i, info) for i in ids]


# -- nested -----------------------------------------------------------------------------------
def _available(store: Store, item_index: int) -> int:
    return sum(lv["_q"]["available"] for lv in store.levels_of(item_index))


def _quantities(level: Record, _: Info, names: list[str]) -> list[dict[str, Any]]:
    q = level["_q"]
    item = level["id"].split("?", 1)[0]
    return [
        {
            "id": f"{item}/{name}",
            "name": name,
            "quantity": q.get(name, 0),
            "updatedAt": level["updatedAt"],
        }
        for name in names
    ]


RESOLVERS: dict[tuple[str, str], Resolver] = {
    ("QueryRoot", "products"): _top_connection("Product"),
    ("QueryRoot", "productVariants"): _top_connection("ProductVariant"),
    ("QueryRoot", "inventoryItems"): _top_connection("InventoryItem"),
    ("QueryRoot", "locations"): _top_connection("Location"),
    ("QueryRoot", "customers"): _top_connection("Customer"),
    ("QueryRoot", "orders"): _top_connection("Order"),
    ("QueryRoot", "fulfillmentOrders"): _fulfillment_orders,
    ("QueryRoot", "events"): _top_connection("Event"),
    ("QueryRoot", "tenderTransactions"): _top_connection("TenderTransaction", _tender_scan),
    ("QueryRoot", "productsCount"): _count("Product"),
    ("QueryRoot", "productVariantsCount"): _count("ProductVariant"),
    ("QueryRoot", "customersCount"): _count("Customer"),
    ("QueryRoot", "ordersCount"): _count("Order"),
    ("QueryRoot", "locationsCount"): _count("Location"),
    ("QueryRoot", "eventsCount"): _count("Event"),
    ("QueryRoot", "product"): _by_id("Product"),
    ("QueryRoot", "productVariant"): _by_id("ProductVariant"),
    ("QueryRoot", "inventoryItem"): _by_id("InventoryItem"),
    ("QueryRoot", "inventoryLevel"): _by_id("InventoryLevel"),
    ("QueryRoot", "location"): _by_id("Location"),
    ("QueryRoot", "customer"): _by_id("Customer"),
    ("QueryRoot", "order"): _by_id("Order"),
    ("QueryRoot", "refund"): _by_id("Refund"),
    ("QueryRoot", "fulfillment"): _by_id("Fulfillment"),
    ("QueryRoot", "fulfillmentOrder"): _by_id("FulfillmentOrder"),
    ("QueryRoot", "node"): _node,
    ("QueryRoot", "nodes"): _nodes,
    ("QueryRoot", "shop"): lambda _, info, **__: _store(info).shop_record(),
    ("Product", "variants"): lambda rec, info, **a: _list_connection(
        _store(info).variants_of(rec["_i"]), info, a
    ),
    ("Product", "totalInventory"): lambda rec, info, **_: sum(
        _available(_store(info), v["_i"]) for v in _store(info).variants_of(rec["_i"])
    ),
    ("ProductVariant", "product"): _related("products", "_p"),
    ("ProductVariant", "inventoryItem"): _related("inventory_items", "_i"),
    ("ProductVariant", "inventoryQuantity"): lambda rec, info, **_: _available(
        _store(info), rec["_i"]
    ),
    ("InventoryItem", "variant"): _related("variants", "_v"),
    ("InventoryItem", "inventoryLevels"): lambda rec, info, **a: _list_connection(
        _store(info).levels_of(rec["_i"]), info, a
    ),
    ("InventoryItem", "inventoryLevel"): lambda rec, info, locationId, **_: next(
        (
            lv
            for lv in _store(info).levels_of(rec["_i"])
            if gid("Location", lv["_loc"]) == locationId
        ),
        None,
    ),
    ("Location", "inventoryLevels"): _location_levels,
    ("InventoryLevel", "location"): _related("locations", "_loc"),
    ("InventoryLevel", "item"): _related("inventory_items", "_item"),
    ("InventoryLevel", "quantities"): _quantities,
    ("Order", "lineItems"): lambda rec, info, **a: _list_connection(rec["_lines"], info, a),
    ("Order", "customer"): _related("customers", "_cust"),
    ("LineItem", "variant"): _related("variants", "_v"),
    ("LineItem", "product"): _related("products", "_p"),
}


def install(schema: GraphQLSchema) -> None:
    """Attach the resolvers to the fields this version of the schema has."""
    for (type_name, field_name), resolver in (RESOLVERS | BULK_RESOLVERS | ORDER_RESOLVERS).items():
        type_ = schema.get_type(type_name)
        if isinstance(type_, GraphQLObjectType) and field_name in type_.fields:
            type_.fields[field_name].resolve = resolver
