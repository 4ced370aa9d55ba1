"""Shopify caps an order's transactions (and refunds, fulfillments) at the ``first`` a query
asks: an order that filled the cap is asked again by id with more, and every entry lands, in
full (bulk) and incremental (paged) runs alike."""

from __future__ import annotations

from collections import Counter
from typing import Any

from shopsync.streams import BY_NAME

from .harness import TENANT, Harness, truth_records

#: Order-list stream -> its list (the truth's stream of the list's entries).
LISTS = {"order_transactions": "transactions", "order_refunds": "refunds"}


def many_transactions(harness: Harness) -> str:
    """A paid order refunded one unit at a time until it has more transactions than the
    stream asks (the simulator holds at most 8 refunds an order, so refunds stay under it)."""
    store = harness.sim.store(TENANT)
    counts = Counter(str(r["orderId"]) for r in truth_records(harness, "transactions"))
    paid = [o for o in truth_records(harness, "orders") if o["displayFinancialStatus"] == "PAID"]
    order = max(
        paid,
        key=lambda o: counts[o["id"]] + min(8, sum(li["quantity"] for li in o["lineItems"])),
    )
    lines = [(j, li["quantity"]) for j, li in enumerate(order["lineItems"])]
    units = [j for j, quantity in lines for _ in range(quantity)]
    for j in units[:8]:
        harness.clock.advance(1)
        store.activity.refund_order(order["id"], [(j, 1)])
    cap = BY_NAME["order_transactions"].capped
    assert cap is not None
    assert len(truth(harness, "order_transactions")[order["id"]]) > cap.first
    return str(order["id"])


def entries(harness: Harness, results: list[Any], stream: str) -> dict[str, set[str]]:
    """Order id -> the ids of its list's entries, over every copy landed."""
    out: dict[str, set[str]] = {}
    for result in results:
        for order in harness.landed(result, stream):
            out.setdefault(order["id"], set()).update(e["id"] for e in order[LISTS[stream]])
    return out


def truth(harness: Harness, stream: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in truth_records(harness, LISTS[stream]):
        out.setdefault(str(row["orderId"]), set()).add(str(row["id"]))
    return out


def test_a_full_sync_asks_an_order_that_filled_its_lists_again(
    harness: Harness, shapes: Counter[str]
) -> None:
    many_transactions(harness)
    harness.clock.advance(600)
    result = harness.run("full", streams=("orders",))
    assert result.status == "succeeded", result.message
    for stream in LISTS:
        got, want = entries(harness, [result], stream), truth(harness, stream)
        assert {k: v for k, v in got.items() if v} == want, stream
    assert shapes["order_transactions_whole"] == 1  # only the order that filled the cap
    assert shapes["order_refunds_whole"] == 0
    refunds = {r["id"] for r in harness.landed(result, "refund_details")}
    assert refunds == harness.truth_ids("refunds")


def test_an_incremental_run_asks_again_too(harness: Harness, shapes: Counter[str]) -> None:
    first = harness.run(streams=("orders",))
    assert first.status == "succeeded", first.message
    harness.clock.advance(3600)
    big = many_transactions(harness)
    harness.clock.advance(600)
    shapes.clear()
    second = harness.run(streams=("orders",))
    assert second.status == "succeeded", second.message
    for stream in LISTS:
        got = entries(harness, [first, second], stream)
        assert got[big] == truth(harness, stream)[big], stream
    assert shapes["order_transactions_whole"] == 1
