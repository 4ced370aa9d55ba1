"""``Location.inventoryLevels(first/after/last/before/reverse/query)``: Shopify's search syntax
(``updated_at``, ``created_at``, ``id``, ``inventory_item_id``, AND/OR), opaque cursors, the
calculated cost, and a level (not its item) stamped when its quantities change."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from shopsync_simulator import Simulator
from shopsync_simulator.store.ids import gid, numeric_id
from tests.integration.simulator.client import Client

QUERY = """query($loc: ID!, $first: Int, $after: String, $last: Int, $before: String,
    $reverse: Boolean, $query: String) {
  location(id: $loc) {
    inventoryLevels(first: $first, after: $after, last: $last, before: $before,
        reverse: $reverse, query: $query) {
      nodes { id item { id } location { id } updatedAt
        quantities(names: ["available", "on_hand", "committed", "incoming"]) { name quantity } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }"""
LOC0, LOC1 = gid("Location", 0), gid("Location", 1)
PER_LOCATION = 60  # 30 products x 2 variants, each stocked at both locations


def levels(client: Client, loc: str = LOC1, **args: Any) -> dict[str, Any]:
    body = client.query(QUERY, {"loc": loc, "first": None} | args)
    conn: dict[str, Any] = body["data"]["location"]["inventoryLevels"]
    conn["cost"] = body["extensions"]["cost"]
    return conn


def every(client: Client, loc: str = LOC1, **args: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    after = None
    while True:
        conn = levels(client, loc, first=25, after=after, **args)
        out += conn["nodes"]
        if not conn["pageInfo"]["hasNextPage"]:
            return out
        after = conn["pageInfo"]["endCursor"]


def number(level_id: str) -> int:
    return int(level_id.split("?", 1)[0].rsplit("/", 1)[1])


def test_all_levels_of_a_location_in_id_order(acme: Client) -> None:
    got = every(acme)
    assert len(got) == PER_LOCATION
    assert all(n["location"]["id"] == LOC1 for n in got)
    assert [number(n["id"]) for n in got] == sorted(number(n["id"]) for n in got)
    assert {n["item"]["id"] for n in got} == {gid("InventoryItem", j) for j in range(60)}
    assert {n["id"] for n in got}.isdisjoint({n["id"] for n in every(acme, LOC0)})


def test_a_quantity_change_stamps_the_level_not_the_item(
    acme: Client, simulator: Simulator
) -> None:
    item_before = dict(simulator.store("acme").inventory_items.get(5) or {})
    acme.control("advance_clock", seconds=3600)
    changed = acme.control("adjust_inventory", item=5, location=1, delta=7)
    stamp = changed["updatedAt"]
    window = f"updated_at:>='{stamp}' AND updated_at:<='{stamp}'"
    [level] = every(acme, query=window)
    assert level["id"] == changed["id"]
    assert level["updatedAt"] == stamp
    assert every(acme, LOC0, query=window) == []
    assert every(acme, query=f"updated_at:>'{stamp}'") == []
    assert len(every(acme, query=f"updated_at:<'{stamp}'")) == PER_LOCATION - 1
    assert simulator.store("acme").inventory_items.get(5) == item_before


def test_created_at_id_and_inventory_item_id_filters(acme: Client) -> None:
    everything = every(acme)
    assert every(acme, query="created_at:>='2000-01-01'") == everything
    assert every(acme, query="created_at:<'2000-01-01'") == []
    item = numeric_id("InventoryItem", 7)
    [by_item] = every(acme, query=f"inventory_item_id:{item}")
    assert by_item["item"]["id"] == gid("InventoryItem", 7)
    assert every(acme, query=f"inventory_item_id:{gid('InventoryItem', 7)}") == [by_item]
    assert len(every(acme, query=f"inventory_item_id:>{item}")) == PER_LOCATION - 8
    target = number(by_item["id"])
    assert every(acme, query=f"id:{target}") == [by_item]
    assert [number(n["id"]) for n in every(acme, query=f"id:>={target}")] == [
        number(n["id"]) for n in everything[7:]
    ]
    first, last = numeric_id("InventoryItem", 0), numeric_id("InventoryItem", 59)
    either = every(acme, query=f"inventory_item_id:{first} OR inventory_item_id:{last}")
    assert [n["item"]["id"] for n in either] == [gid("InventoryItem", 0), gid("InventoryItem", 59)]
    both = every(acme, query=f"inventory_item_id:>{first} AND id:<={target}")
    assert [n["id"] for n in both] == [n["id"] for n in everything[1:8]]


def test_last_before_reverse_and_opaque_cursors(acme: Client) -> None:
    everything = [n["id"] for n in every(acme)]
    assert [n["id"] for n in levels(acme, last=3)["nodes"]] == everything[-3:]
    page = levels(acme, first=5)
    cursor = page["pageInfo"]["endCursor"]
    assert str(number(everything[4])) not in cursor, "cursors are opaque"
    base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    before = levels(acme, last=2, before=cursor)
    assert [n["id"] for n in before["nodes"]] == everything[2:4]
    assert before["pageInfo"]["hasPreviousPage"]
    assert before["pageInfo"]["hasNextPage"]
    reverse = levels(acme, first=4, reverse=True)
    assert [n["id"] for n in reverse["nodes"]] == everything[::-1][:4]
    more = levels(acme, first=4, reverse=True, after=reverse["pageInfo"]["endCursor"])
    assert [n["id"] for n in more["nodes"]] == everything[::-1][4:8]


def test_cost_is_a_connection_of_levels(acme: Client) -> None:
    # location 1 + connection 2 + per level (1 + item 1 + location 1 + 4 quantities) = 7
    full = levels(acme, first=10)["cost"]
    assert full["requestedQueryCost"] == 3 + 10 * 7
    assert full["actualQueryCost"] == 3 + 10 * 7
    empty = levels(acme, first=10, query="created_at:<'2000-01-01'")["cost"]
    assert empty["requestedQueryCost"] == 73
    assert empty["actualQueryCost"] == 3


@pytest.mark.parametrize("bad", ["updated_at:>='not a date'", "id:>abc", "(updated_at:>1"])
def test_a_bad_query_is_an_error(acme: Client, bad: str) -> None:
    body = acme.post(QUERY, {"loc": LOC1, "first": 5, "query": bad}).json()
    assert "Invalid search query" in body["errors"][0]["message"]
