"""Each query the project sends, in every supported version, returns the store's records; and
an incremental sync finds exactly what activity changed."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from shopsync_simulator import Simulator, SimulatorOptions
from shopsync_simulator.graphql.schema import SUPPORTED_VERSIONS
from shopsync_simulator.truth import counts
from tests.integration.simulator.client import Client
from tests.integration.simulator.queries import STREAM_QUERIES

COUNT_KEY = {"products": "products", "product_variants": "product_variants",
             "deleted_products": "events", "locations": "locations",
             "inventory_items": "inventory_items", "orders": "orders", "customers": "customers"}  # fmt: skip  # noqa: E501


def fetch_all(client: Client, stream: str, **extra: Any) -> list[dict[str, Any]]:
    document, field, variables = STREAM_QUERIES[stream]
    out: list[dict[str, Any]] = []
    after = None
    while True:
        body = client.query(document, variables | extra | {"after": after})
        conn = body["data"][field]
        out += conn["nodes"] if "nodes" in conn else [e["node"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            return out
        after = conn["pageInfo"]["endCursor"]


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize("stream", list(STREAM_QUERIES))
def test_every_stream_in_every_version(simulator: Simulator, stream: str, version: str) -> None:
    client = Client(simulator, "acme", version)
    if stream == "deleted_products":
        client.control("delete_product", product=3)
    records = fetch_all(client, stream)
    assert len(records) == counts(simulator.store("acme"))[COUNT_KEY[stream]]
    assert len({r["id"] for r in records}) == len(records)
    assert records, "every stream has data"


def test_nested_records_are_real(acme: Client, simulator: Simulator) -> None:
    orders = fetch_all(acme, "orders")
    variant_ids = {v["id"] for v in fetch_all(acme, "product_variants")}
    customer_ids = {c["id"] for c in fetch_all(acme, "customers")}
    lines = [line for o in orders for line in o["lineItems"]["nodes"]]
    assert lines
    assert all(line["variant"]["id"] in variant_ids for line in lines)
    assert all(o["customer"] is None or o["customer"]["id"] in customer_ids for o in orders)
    money = orders[0]["totalPriceSet"]
    assert set(money) == {"shopMoney", "presentmentMoney"}
    [item] = acme.query(STREAM_QUERIES["inventory_items"][0], {"first": 1})["data"][
        "inventoryItems"
    ]["nodes"]
    levels = item["inventoryLevels"]["nodes"]
    assert len(levels) == 2
    q = {x["name"]: x["quantity"] for x in levels[0]["quantities"]}
    assert set(q) == {"available", "on_hand", "committed", "incoming"}
    assert q["on_hand"] == q["available"] + q["committed"]


def test_node_and_nodes(acme: Client) -> None:
    body = acme.query(
        """{ node(id: "gid://shopify/Product/8000000002") { id ... on Product { title } }
             nodes(ids: ["gid://shopify/Order/5000000001", "gid://shopify/Customer/1", "junk"]) {
               id ... on Order { name } } }"""
    )["data"]
    assert body["node"]["id"] == "gid://shopify/Product/8000000002"
    assert body["node"]["title"]
    assert body["nodes"][0] == {"id": "gid://shopify/Order/5000000001", "name": "#1001"}
    assert body["nodes"][1:] == [None, None]


def test_incremental_sync_finds_the_changes(acme: Client, simulator: Simulator) -> None:
    everything = fetch_all(acme, "products")
    watermark = max(p["updatedAt"] for p in everything)
    acme.control("advance_clock", seconds=3600)
    changed = acme.control(
        "update_variant_price", variant="gid://shopify/ProductVariant/44000000005", price="9.99"
    )
    acme.control("update_product_title", product=7, title="Brand new title")
    acme.control("delete_product", product=9)
    order = acme.control("create_order", customer=2)
    customer = acme.control("create_customer", first_name="Zoe", last_name="Park")
    query = f"updated_at:>'{watermark}'"
    products = fetch_all(acme, "products", query=query)
    assert {p["id"] for p in products} == {
        "gid://shopify/Product/8000000003",
        "gid://shopify/Product/8000000008",
    }
    assert changed["price"] == "9.99"
    assert [o["id"] for o in fetch_all(acme, "orders", query=query)] == [order["id"]]
    assert {c["id"] for c in fetch_all(acme, "customers", query=query)} == {
        customer["id"],
        "gid://shopify/Customer/7000000003",
    }
    deleted = fetch_all(acme, "deleted_products", query="action:destroy")
    assert [e["subjectId"] for e in deleted] == ["gid://shopify/Product/8000000010"]


def test_shops_are_isolated(simulator: Simulator) -> None:
    acme, corp = Client(simulator, "acme"), Client(simulator, "acme_corp")
    acme.control("delete_product", product=0)
    assert len(fetch_all(acme, "products")) == 29
    assert len(fetch_all(corp, "products")) == 30
    titles = {p["title"] for p in fetch_all(corp, "products")}
    assert titles != {p["title"] for p in fetch_all(acme, "products")}


def test_without_read_all_orders_only_the_last_60_days(
    start_simulator: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    scopes = {"acme": frozenset({"read_orders", "read_products", "read_customers"})}
    with start_simulator(options=SimulatorOptions(scopes=scopes)) as sim:
        client = Client(sim, "acme")
        assert fetch_all(client, "orders") == [], "the generated orders are all older"
        new = client.control("create_order")
        assert [o["id"] for o in fetch_all(client, "orders")] == [new["id"]]
        assert len(fetch_all(Client(sim, "acme_corp"), "orders")) == 25


def test_levels_by_location_page_without_gaps(acme: Client, simulator: Simulator) -> None:
    query = """query($loc: ID!, $after: String) { location(id: $loc) {
      inventoryLevels(first: 7, after: $after) {
        nodes { id item { id } quantities(names: ["available"]) { quantity } }
        pageInfo { hasNextPage endCursor } } } }"""
    loc = "gid://shopify/Location/70000002"
    acme.control("delete_product", product=0)
    seen: list[str] = []
    after = None
    while True:
        conn = acme.query(query, {"loc": loc, "after": after})["data"]["location"][
            "inventoryLevels"
        ]
        seen += [n["id"] for n in conn["nodes"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    store = simulator.store("acme")
    want = [lv["id"] for lv in store.inventory_levels.iter_live() if lv["_loc"] == 1]
    assert seen == want
    assert len(seen) == 58  # 30 products x 2 variants, minus the deleted product's 2
