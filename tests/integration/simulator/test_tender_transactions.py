"""``tenderTransactions`` over HTTP: every version's schema accepts the stream's selection,
pages come in id order without gaps or repeats and equal the truth, ``processed_at`` windows
and ``reverse`` work, a refund and a new order add tender transactions with a later
``processedAt``, a bulk operation lands them all, ``node(id:)`` finds one, and a token without
``read_orders`` is refused."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from shopsync.shopify import queries
from shopsync_simulator import Simulator, SimulatorOptions, running_simulator, truth
from shopsync_simulator.graphql.schema import DEFAULT_SCOPES, SUPPORTED_VERSIONS
from tests.integration.simulator.client import Client
from tests.integration.simulator.conftest import SMALL, TENANTS
from tests.integration.simulator.test_bulk import lines, run, wait

DOCUMENT = queries.load("tender_transactions")
NO_ORDERS = DEFAULT_SCOPES - {"read_orders", "read_all_orders"}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    options = SimulatorOptions(speed=50, scopes={"acme_corp": NO_ORDERS})
    with running_simulator(TENANTS, size=SMALL, options=options) as started:
        yield started


@pytest.fixture
def acme(sim: Simulator) -> Client:
    return Client(sim, "acme")


def _pages(client: Client, query: str | None = None, first: int = 7) -> list[dict[str, Any]]:
    """Every tender transaction through the stream's own document, ``first`` a page."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        variables = {"first": first, "after": after, "query": query}
        body = client.query(DOCUMENT, variables, throttled_retries=40)
        conn = body["data"]["tenderTransactions"]
        nodes += conn["nodes"]
        if not conn["pageInfo"]["hasNextPage"]:
            return nodes
        after = conn["pageInfo"]["endCursor"]


def _truth(sim: Simulator) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in truth.records(sim.store("acme"), "tender_transactions")}


def _row(node: dict[str, Any]) -> tuple[Any, ...]:
    """What the truth and a landed node both say of a tender transaction."""
    order = node["order"]["id"] if "order" in node else node["orderId"]
    amount = node["amount"]
    return (
        node["id"],
        order,
        node["processedAt"],
        node["paymentMethod"],
        node["test"],
        Decimal(amount["amount"]),
        amount["currencyCode"],
    )


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_the_stream_s_document_runs_in_every_version(sim: Simulator, version: str) -> None:
    body = Client(sim, "acme", version).query(
        DOCUMENT, {"first": 3, "after": None, "query": None}, throttled_retries=40
    )
    nodes = body["data"]["tenderTransactions"]["nodes"]
    assert len(nodes) == 3
    assert all(n["order"]["id"].startswith("gid://shopify/Order/") for n in nodes)


def test_pages_equal_the_truth_in_id_order(sim: Simulator, acme: Client) -> None:
    nodes = _pages(acme)
    numbers = [int(n["id"].rsplit("/", 1)[1]) for n in nodes]
    assert numbers == sorted(set(numbers))  # id order, no repeats
    want = _truth(sim)
    assert [_row(n) for n in nodes] == [_row(want[n["id"]]) for n in nodes]
    assert set(want) == {n["id"] for n in nodes}
    amounts = [Decimal(n["amount"]["amount"]) for n in nodes]
    assert any(a < 0 for a in amounts)  # refunds
    assert all(a != 0 for a in amounts)
    cards = [n["transactionDetails"] for n in nodes if n["paymentMethod"] == "credit_card"]
    assert cards
    assert all(c["creditCardNumber"].startswith("•••• ") for c in cards)
    assert all(
        n["transactionDetails"] is None for n in nodes if n["paymentMethod"] != "credit_card"
    )


def test_a_processed_at_window_and_reverse(sim: Simulator, acme: Client) -> None:
    every = _pages(acme, first=50)
    stamps = sorted(n["processedAt"] for n in every)
    lo, hi = stamps[len(stamps) // 4], stamps[3 * len(stamps) // 4]
    window = _pages(acme, f"processed_at:>='{lo}' AND processed_at:<='{hi}'", first=5)
    assert window == [n for n in every if lo <= n["processedAt"] <= hi]
    assert 0 < len(window) < len(every)
    q = "{ tenderTransactions(first: 250, reverse: true) { nodes { id } } }"
    backwards = acme.query(q)["data"]["tenderTransactions"]["nodes"]
    assert [n["id"] for n in backwards] == [n["id"] for n in reversed(every)]


def test_a_refund_and_a_new_order_add_tender_transactions_after_the_last_one(
    sim: Simulator, acme: Client
) -> None:
    before = {n["id"] for n in _pages(acme, first=50)}
    q = "{ orders(first: 25) { nodes { id displayFinancialStatus } } }"
    orders = acme.query(q)["data"]["orders"]["nodes"]
    paid = next(o for o in orders if o["displayFinancialStatus"] == "PAID")
    latest = max(n["processedAt"] for n in _pages(acme, first=50))
    sim.store("acme").clock.advance(3600)
    acme.control("refund_order", order=paid["id"])
    placed = acme.control("create_order")
    new = _pages(acme, f"processed_at:>'{latest}'")
    assert not {n["id"] for n in new} & before
    by_order = {n["order"]["id"]: Decimal(n["amount"]["amount"]) for n in new}
    assert by_order.keys() == {paid["id"], placed["id"]}
    assert by_order[paid["id"]] < 0 < by_order[placed["id"]]
    assert {n["id"] for n in _pages(acme, first=50)} == before | {n["id"] for n in new}
    assert set(_truth(sim)) == before | {n["id"] for n in new}


def test_a_bulk_operation_lands_every_tender_transaction(sim: Simulator, acme: Client) -> None:
    query = """{ tenderTransactions { edges { node { id processedAt amount { amount }
      order { id } } } } }"""
    payload = run(acme, query)
    assert payload["userErrors"] == []
    done = wait(acme, payload["bulkOperation"]["id"])
    assert done["status"] == "COMPLETED"
    rows = lines(done["url"])
    assert {r["id"] for r in rows} == set(_truth(sim))
    assert all("__parentId" not in r for r in rows)


def test_node_finds_a_tender_transaction(sim: Simulator, acme: Client) -> None:
    first = next(iter(_truth(sim)))
    q = "query($id: ID!) { node(id: $id) { __typename id ... on TenderTransaction { test } } }"
    node = acme.query(q, {"id": first})["data"]["node"]
    assert node == {"__typename": "TenderTransaction", "id": first, "test": False}


def test_a_token_without_read_orders_is_refused(sim: Simulator) -> None:
    resp = Client(sim, "acme_corp").post(DOCUMENT, {"first": 5, "after": None, "query": None})
    errors = resp.json()["errors"]
    assert errors[0]["extensions"]["code"] == "ACCESS_DENIED"
    assert "read_orders" in errors[0]["message"]
