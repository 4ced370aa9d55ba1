"""Every non-deprecated field of every node type the simulator serves, in every shipped API
version, resolves to a value of its type's shape; none is null unless Shopify's would be
(``synth.NULL_UNLESS_HAPPENED``, a lookup by a required argument, or the record says so).

For each root connection (and the revenue issue's refunds, fulfillments and transactions, read
by id) a query selects, on its nodes, every field that needs no argument
(one that takes ``first`` gets ``first: 2``), and on every object those return, its scalar and
enum fields: the walk of each version's schema, executed on a generated store."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    execute_sync,
    parse,
)

from shopsync_simulator import truth
from shopsync_simulator.graphql.resolvers import ExecContext, field_resolver
from shopsync_simulator.graphql.schema import SUPPORTED_VERSIONS, admin_schema
from shopsync_simulator.graphql.synth import NULL_UNLESS_HAPPENED
from shopsync_simulator.store import ShopSpec, Store, StoreSize
from shopsync_simulator.store.clock import Clock
from tests.support.broad_query import Selection, node_selection

NOW = 1_790_000_000.0
#: The root connections (and the shop) the simulator serves, and their node types.
ROOTS = {
    "products": "Product",
    "productVariants": "ProductVariant",
    "inventoryItems": "InventoryItem",
    "locations": "Location",
    "customers": "Customer",
    "orders": "Order",
    "fulfillmentOrders": "FulfillmentOrder",
    "tenderTransactions": "TenderTransaction",
}
#: Null by meaning, decided where the value is derived (``synth.SEMANTIC``): a variant shows
#: its product's image; a customer without a phone has no SMS consent.
DERIVED_NULLS = {("ProductVariant", "image"), ("Customer", "smsMarketingConsent")}
#: What a value of each scalar type looks like.
SHAPES: dict[str, Any] = {
    "ID": lambda v: isinstance(v, str) and v.startswith("gid://shopify/"),
    "String": lambda v: isinstance(v, str),
    "Int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "Boolean": lambda v: isinstance(v, bool),
    "DateTime": lambda v: isinstance(v, str) and bool(datetime.fromisoformat(v)),
    "Date": lambda v: isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) is not None,
    "Decimal": lambda v: isinstance(v, str) and Decimal(v) is not None,
    "Money": lambda v: isinstance(v, str) and Decimal(v) is not None,
    "UnsignedInt64": lambda v: isinstance(v, str) and v.isdigit(),
    "URL": lambda v: isinstance(v, str) and v.startswith("https://"),
    "HTML": lambda v: isinstance(v, str),
    "JSON": lambda v: isinstance(v, dict | list),
    "Color": lambda v: isinstance(v, str) and re.fullmatch("#[0-9a-f]{6}", v) is not None,
}


@dataclass
class Walk:
    """What a walk of a response found wrong."""

    wrong_shape: list[str] = field(default_factory=list)
    generated_nulls: list[str] = field(default_factory=list)
    checked: int = 0


def check(
    value: Any, type_: GraphQLOutputType, child: Selection | None, path: str, walk: Walk
) -> None:
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if value is None:
        return
    if isinstance(inner, GraphQLList):
        if not isinstance(value, list):
            walk.wrong_shape.append(f"{path}: {value!r} is not a list")
            return
        for n, item in enumerate(value):
            check(item, inner.of_type, child, f"{path}[{n}]", walk)
        return
    walk.checked += 1
    if isinstance(inner, GraphQLScalarType):
        shape = SHAPES.get(inner.name, lambda v: isinstance(v, str))
        if not shape(value):
            walk.wrong_shape.append(f"{path}: {value!r} is not a {inner.name}")
    elif isinstance(inner, GraphQLEnumType):
        if value not in inner.values:
            walk.wrong_shape.append(f"{path}: {value!r} is not a {inner.name}")
    elif child is not None:
        for name, (field_type, grandchild, _) in child.fields.items():
            check(value.get(name), field_type, grandchild, f"{path}.{name}", walk)


def _recording(nulls: list[str]) -> Any:
    """The simulator's field resolver, noting every null it made up (the record lacked the
    key) that Shopify's rules would not explain."""

    def resolve(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        value = field_resolver(source, info, **args)
        if value is None and isinstance(source, dict) and info.field_name not in source:
            parent = str(source.get("__typename") or info.parent_type.name)
            if not (
                NULL_UNLESS_HAPPENED.search(info.field_name)
                or (parent, info.field_name) in DERIVED_NULLS
                or (parent == "Order" and source.get("_cust") is None)  # no customer
            ):
                nulls.append(f"{parent}.{info.field_name}")
        return value

    return resolve


#: The revenue issue's node types, read by id (``node(id:)``): truth stream -> type.
BY_ID = {"refunds": "Refund", "fulfillments": "Fulfillment", "transactions": "OrderTransaction"}


@pytest.fixture(scope="module")
def store() -> Store:
    size = StoreSize(products=6, customers=6, orders=40)
    return Store(ShopSpec("walk", "walk.myshopify.com", size=size), Clock(start=NOW))


def _walked(
    schema: GraphQLSchema, store: Store, version: str, walk: Walk, type_name: str, query: str
) -> tuple[GraphQLObjectType, Selection, dict[str, Any]]:
    """Run ``query`` (``{}`` in it: the selection of every field of ``type_name``) on the
    store, noting made-up nulls in ``walk``: the type, its selection and the data."""
    node = schema.get_type(type_name)
    assert isinstance(node, GraphQLObjectType), type_name
    selection = node_selection(schema, node)
    result = execute_sync(
        schema,
        parse(query.replace("{}", f"{{ {selection.render()} }}")),
        root_value={},
        context_value=ExecContext(store, version),
        field_resolver=_recording(walk.generated_nulls),
    )
    assert not result.errors, (type_name, result.errors[:3])
    assert result.data is not None
    return node, selection, result.data


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_every_field_of_every_served_type_has_a_value_of_its_shape(
    version: str, store: Store
) -> None:
    schema = admin_schema(version).schema
    walk = Walk()
    for root, type_name in ROOTS.items():
        query = f"{{ {root}(first: 2) {{ nodes {{}} }} }}"
        node, selection, data = _walked(schema, store, version, walk, type_name, query)
        nodes = data[root]["nodes"]
        assert nodes, root
        for n, value in enumerate(nodes):
            check(value, node, selection, f"{root}[{n}]", walk)
    for stream, type_name in BY_ID.items():
        ids = [r["id"] for r in truth.records(store, stream)][:2]
        assert ids, stream
        for id_ in ids:
            query = f'{{ node(id: "{id_}") {{ ... on {type_name} {{}} }} }}'
            node, selection, data = _walked(schema, store, version, walk, type_name, query)
            check(data["node"], node, selection, f"{type_name}({id_})", walk)
    shop, selection, data = _walked(schema, store, version, walk, "Shop", "{ shop {} }")
    check(data["shop"], shop, selection, "shop", walk)
    assert walk.checked > 1_500
    assert walk.wrong_shape == []
    assert sorted(set(walk.generated_nulls)) == []


def test_business_fields_are_derived_from_the_record(store: Store) -> None:
    """The fields a client reported null or refused: a product's media and their count, a
    customer's addresses and consent, an order's email and addresses, a variant's prices in
    the shop's presentment currencies."""
    schema = admin_schema(SUPPORTED_VERSIONS[-1]).schema
    query = """{
      products(first: 1) { nodes { title mediaCount { count precision }
        media(first: 5) { nodes { mediaContentType } } featuredImage { url altText } } }
      customers(first: 1) { nodes { email defaultAddress { city zip }
        addresses(first: 250) { city } emailMarketingConsent { marketingState } } }
      orders(first: 8) { nodes { email customer { email defaultAddress { zip } }
        shippingAddress { zip } } }
      productVariants(first: 1) { nodes { price
        presentmentPrices(first: 5) { nodes { price { amount currencyCode } } } } }
    }"""
    result = execute_sync(
        schema,
        parse(query),
        root_value={},
        context_value=ExecContext(store, SUPPORTED_VERSIONS[-1]),
        field_resolver=field_resolver,
    )
    assert not result.errors, result.errors
    data = result.data
    assert data is not None
    product = data["products"]["nodes"][0]
    assert product["mediaCount"] == {"count": len(product["media"]["nodes"]), "precision": "EXACT"}
    assert product["mediaCount"]["count"] == 1
    assert product["featuredImage"]["altText"] == product["title"]
    customer = data["customers"]["nodes"][0]
    assert customer["addresses"] == [{"city": customer["defaultAddress"]["city"]}]
    assert customer["emailMarketingConsent"]["marketingState"] in ("SUBSCRIBED", "NOT_SUBSCRIBED")
    for order in data["orders"]["nodes"]:
        buyer = order["customer"]
        assert order["email"] == (buyer["email"] if buyer else None)
        assert order["shippingAddress"] == (
            {"zip": buyer["defaultAddress"]["zip"]} if buyer else None
        )
    variant = data["productVariants"]["nodes"][0]
    prices = [p["price"] for p in variant["presentmentPrices"]["nodes"]]
    shop = store.shop_record()
    assert [p["currencyCode"] for p in prices] == shop["enabledPresentmentCurrencies"]
    assert prices[0]["amount"] == variant["price"]
