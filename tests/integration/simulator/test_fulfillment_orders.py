"""The root ``fulfillmentOrders`` connection: every order's fulfillment orders sorted by their
own ``updatedAt`` (a hold moves it, not the order's), filtered by ``updated_at``, closed ones only
with ``includeClosed``, paged without gaps, and whole in a bulk operation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from shopsync_simulator import Simulator, SimulatorOptions, running_simulator, truth
from shopsync_simulator.store.generate import iso
from tests.integration.simulator.client import Client
from tests.integration.simulator.conftest import SMALL, TENANTS
from tests.integration.simulator.test_bulk import lines, run, wait

LIST = """query($first: Int!, $after: String, $query: String, $closed: Boolean) {
  fulfillmentOrders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT,
                    includeClosed: $closed) {
    pageInfo { hasNextPage endCursor }
    nodes { id orderId status updatedAt lineItems(first: 5) { nodes { id remainingQuantity } } }
  }
}"""
ORDER = "query($id: ID!) { order(id: $id) { updatedAt } }"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with running_simulator(TENANTS, size=SMALL, options=SimulatorOptions(speed=50)) as made:
        yield made


def listed(
    client: Client, query: str | None = None, *, closed: bool = True
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    after = None
    while True:
        variables = {"first": 7, "after": after, "query": query, "closed": closed}
        page = client.query(LIST, variables)["data"]["fulfillmentOrders"]
        out += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return out
        after = page["pageInfo"]["endCursor"]


def test_pages_list_every_fulfillment_order_once_in_updated_order(sim: Simulator) -> None:
    client = Client(sim, "acme")
    got = listed(client)
    want = {r["id"]: r for r in truth.records(sim.store("acme"), "fulfillment_orders")}
    assert sorted(r["id"] for r in got) == sorted(want)
    assert [(r["updatedAt"], r["id"]) for r in got] == sorted(
        (r["updatedAt"], r["id"]) for r in got
    )
    assert {r["id"]: r["status"] for r in got} == {k: r["status"] for k, r in want.items()}
    open_only = listed(client, closed=False)
    assert {r["id"] for r in open_only} == {k for k, r in want.items() if r["status"] != "CLOSED"}
    assert len(open_only) < len(got)  # some orders are fulfilled (closed) already


def test_a_hold_moves_the_fulfillment_order_into_the_window_and_not_the_order(
    sim: Simulator,
) -> None:
    client = Client(sim, "acme")
    store = sim.store("acme")
    opened = next(r for r in listed(client, closed=False) if r["status"] == "OPEN")
    order_before = client.query(ORDER, {"id": opened["orderId"]})["data"]["order"]["updatedAt"]
    store.clock.advance(3600)
    since = f"updated_at:>='{iso(store.clock.now())}'"
    assert listed(client, since) == []
    store.activity.hold_fulfillment_order(opened["orderId"])
    held = listed(client, since)
    assert [(r["id"], r["status"]) for r in held] == [(opened["id"], "ON_HOLD")]
    assert held[0]["updatedAt"] > opened["updatedAt"]
    order_after = client.query(ORDER, {"id": opened["orderId"]})["data"]["order"]["updatedAt"]
    assert order_after == order_before


def test_a_bulk_operation_lands_every_fulfillment_order_with_its_line_items(
    sim: Simulator,
) -> None:
    client = Client(sim, "acme")
    query = """{ fulfillmentOrders(includeClosed: true) { edges { node { id status
      lineItems { edges { node { id totalQuantity lineItem { id } } } } } } } }"""
    payload = run(client, query)
    assert payload["userErrors"] == []
    done = wait(client, payload["bulkOperation"]["id"])
    assert done["status"] == "COMPLETED"
    rows = lines(done["url"])
    store = sim.store("acme")
    fos = {r["id"] for r in rows if "__parentId" not in r}
    assert fos == {r["id"] for r in truth.records(store, "fulfillment_orders")}
    items = {r["id"]: r["__parentId"] for r in rows if "__parentId" in r}
    want = truth.records(store, "fulfillment_order_line_items")
    assert items == {r["id"]: r["fulfillmentOrderId"] for r in want}
