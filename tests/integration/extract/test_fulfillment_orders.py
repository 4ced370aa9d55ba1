"""Fulfillment orders have their own window: a hold changes the fulfillment order and not its
order, so an incremental run lands the held fulfillment order and not the order."""

from __future__ import annotations

from shopsync_simulator import truth

from .harness import TENANT, Harness


def test_an_incremental_run_lands_a_held_fulfillment_order_without_its_order(
    harness: Harness,
) -> None:
    store = harness.sim.store(TENANT)
    first = harness.run(streams=("orders",))
    assert first.status == "succeeded", first.message
    assert {r["id"] for r in harness.landed(first, "fulfillment_orders")} == harness.truth_ids(
        "fulfillment_orders"
    )
    items = {
        r["id"]
        for fo in harness.landed(first, "fulfillment_orders")
        for r in fo["lineItems"]["nodes"]
    }
    assert items == harness.truth_ids("fulfillment_order_line_items")

    harness.clock.advance(3600)
    opened = next(r for r in truth.records(store, "fulfillment_orders") if r["status"] == "OPEN")
    store.activity.hold_fulfillment_order(opened["orderId"])
    harness.clock.advance(600)
    second = harness.run(streams=("orders",))
    assert second.status == "succeeded", second.message
    held = [(r["id"], r["status"]) for r in harness.landed(second, "fulfillment_orders")]
    assert (opened["id"], "ON_HOLD") in held  # with those the window's overlap lands again
    assert opened["orderId"] not in {r["id"] for r in harness.landed(second, "orders")}
