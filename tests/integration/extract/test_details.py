"""Details streams against the simulator: a refund's line items, order adjustments and shipping
lines (connections inside the ``refunds`` list, which bulk operations refuse) are read by id in
batches after the refunds landed, in full (bulk) and incremental (paged) runs."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

from shopsync.extract.streams import SPECS, granted_variant
from shopsync.streams import BY_NAME
from shopsync_simulator import truth
from shopsync_simulator.graphql.schema import DEFAULT_SCOPES
from shopsync_simulator.store.order_history import LedgerError

from .harness import SMALL, TENANT, Harness, make_harness

CONNECTIONS = {
    "refund_line_items": "refundLineItems",
    "order_adjustments": "orderAdjustments",
    "refund_shipping_lines": "refundShippingLines",
}


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
    # One request per batch of ``page_size`` refunds, one per batch of the refunds with more
    # line items than the first request asks, none per order and none completing a connection
    # (no refund here has more than the second request asks).
    assert refund_children(shapes) == batches(store)
    assert "refund_details" not in harness.services.state.get_streams(TENANT)


#: The simulator's token reads locations: runs ask the variant with restock locations.
LOCATED = granted_variant(SPECS["refund_details"], DEFAULT_SCOPES).variant


def refund_children(shapes: Counter[str]) -> Counter[str]:
    return Counter({doc: n for doc, n in shapes.items() if doc.startswith("refund_")})


def batches(store: Any) -> Counter[str]:
    """The requests a run's refund details take: one per batch of refunds, one per batch of
    those whose line items need a second request, one per refund longer than that."""
    details = BY_NAME["refund_details"]
    child = next(c for c in details.children if c.field == "refundLineItems")
    refunds = {r["id"] for r in truth.records(store, "refunds")}
    lines = Counter(r["refundId"] for r in truth.records(store, "refund_line_items"))
    again = sum(1 for n in lines.values() if n > child.first)
    expected = {
        "refund_details": -(-len(refunds) // details.page_size),
        "refund_details_refund_line_items": -(-again // child.more_page_size),
        "refund_refund_line_items": sum(1 for n in lines.values() if n > child.more_first),
    }
    return +Counter({doc + LOCATED: n for doc, n in expected.items()})


def test_refunds_with_many_line_items_are_asked_again_in_batches_then_one_by_one(
    tmp_path: Path, shapes: Counter[str]
) -> None:
    size = dataclasses.replace(SMALL, max_line_items=8)
    with make_harness(tmp_path, size=size) as harness:
        store = harness.sim.store(TENANT)
        for n in range(60):
            refund(harness, n)
        for count in (5, 6, 8):  # more than the second request asks: completed per refund
            order = store.activity.create_order(lines=[(v, 1) for v in range(count)])
            store.activity.refund_order(order["id"])
        result = harness.run("full", streams=("orders",))
        assert result.status == "succeeded", result.message
        for table in CONNECTIONS:
            assert landed_rows(harness, [result], table) == truth_rows(harness, table), table
        assert refund_children(shapes) == batches(store)
        assert shapes["refund_refund_line_items" + LOCATED] >= 3
        assert shapes["refund_details_refund_line_items" + LOCATED] >= 1


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
    assert shapes["refund_details" + LOCATED] == 1  # one batch: only the window's refunds
    for table in CONNECTIONS:
        assert landed_rows(harness, [first, second], table) == truth_rows(harness, table), table
