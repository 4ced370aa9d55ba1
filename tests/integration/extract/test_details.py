"""Details streams against the simulator: a refund's line items, order adjustments and shipping
lines (connections inside the ``refunds`` list, which bulk operations refuse) are read by id in
batches after the refunds landed, in full (bulk) and incremental (paged) runs."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from shopsync.shopify.client import ShopifyClient
from shopsync.streams import BY_NAME
from shopsync_simulator import truth
from shopsync_simulator.store.order_history import LedgerError

from .harness import TENANT, Harness

CONNECTIONS = {
    "refund_line_items": "refundLineItems",
    "order_adjustments": "orderAdjustments",
    "refund_shipping_lines": "refundShippingLines",
}


@pytest.fixture
def shapes(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Requests sent, by document (the client's ``shape`` without its size)."""
    sent: Counter[str] = Counter()
    real = ShopifyClient.execute

    def execute(self: ShopifyClient, document: str, variables: Any = None, *, shape: str) -> Any:
        sent[shape.split(":", 1)[0]] += 1
        return real(self, document, variables, shape=shape)

    monkeypatch.setattr(ShopifyClient, "execute", execute)
    return sent


def landed_rows(harness: Harness, results: list[Any], table: str) -> dict[str, str]:
    """Row id -> its refund's id, from the details landed by ``results``."""
    out: dict[str, str] = {}
    for result in results:
        for refund in harness.landed(result, "refund_details"):
            for row in refund[CONNECTIONS[table]]["nodes"]:
                out[row["id"]] = refund["id"]
    return out


def truth_rows(harness: Harness, table: str) -> dict[str, str]:
    store = harness.sim.store(TENANT)
    return {r["id"]: r["refundId"] for r in truth.records(store, table)}


def refund(harness: Harness, order: int) -> bool:
    """Refund what is left of an order, if anything can be."""
    store = harness.sim.store(TENANT)
    try:
        store.activity.refund_order(order)
    except LedgerError:
        return False
    return True


def test_a_full_sync_lands_every_refund_s_details_in_few_requests(
    harness: Harness, shapes: Counter[str]
) -> None:
    store = harness.sim.store(TENANT)
    for n in range(60):  # many refunded orders: full refunds of those that can be
        refund(harness, n)
    result = harness.run("full", streams=("orders",))
    assert result.status == "succeeded", result.message
    manifest = harness.manifest(result)
    assert manifest.streams["order_refunds"].complete_snapshot
    assert manifest.streams["refund_details"].cursor_to is None
    refunds = {r["id"] for r in truth.records(store, "refunds")}
    landed = {r["id"] for r in harness.landed(result, "refund_details")}
    assert landed == refunds
    for table in CONNECTIONS:
        assert landed_rows(harness, [result], table) == truth_rows(harness, table), table
    # One request per batch of ``page_size`` refunds, none per order and none completing a
    # connection (no refund here has more than the batch asks for).
    children = sum(n for doc, n in shapes.items() if doc.startswith("refund_"))
    per_request = BY_NAME["refund_details"].page_size
    assert children == -(-len(refunds) // per_request)
    refunded_orders = len({r["orderId"] for r in truth.records(store, "refunds")})
    assert children <= -(-refunded_orders // per_request)
    assert "refund_details" not in harness.services.state.get_streams(TENANT)


def test_an_incremental_run_lands_the_details_of_new_refunds(
    harness: Harness, shapes: Counter[str]
) -> None:
    first = harness.run(streams=("orders",))
    assert first.status == "succeeded", first.message
    harness.clock.advance(3600)
    assert any(refund(harness, n) for n in range(60))
    harness.clock.advance(600)
    shapes.clear()
    second = harness.run(streams=("orders",))
    assert second.status == "succeeded", second.message
    assert shapes["refund_details"] == 1  # one batch: only the window's refunds
    for table in CONNECTIONS:
        assert landed_rows(harness, [first, second], table) == truth_rows(harness, table), table
