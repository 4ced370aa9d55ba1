"""The ``tender_transactions`` stream against the simulator: a full sync (a bulk operation)
lands every tender transaction of the store as a complete snapshot; an incremental run lands
the ones processed since the last run (refunds negative, a new order's sale positive) by their
own ``processedAt`` (and the few the window's overlap lands again), and both runs together
hold exactly the truth."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from shopsync_simulator import truth

from .harness import TENANT, Harness
from .test_details import refund

STREAM = "tender_transactions"


def _truth(harness: Harness) -> dict[str, Decimal]:
    rows = truth.records(harness.sim.store(TENANT), STREAM)
    return {r["id"]: Decimal(r["amount"]["amount"]) for r in rows}


def test_a_full_sync_lands_every_tender_transaction_in_a_bulk_operation(
    harness: Harness, shapes: Counter[str]
) -> None:
    result = harness.run("full", streams=("orders",))
    assert result.status == "succeeded", result.message
    stream = harness.manifest(result).streams[STREAM]
    assert stream.complete_snapshot
    landed = {r["id"]: Decimal(r["amount"]["amount"]) for r in harness.landed(result, STREAM)}
    assert landed == _truth(harness)
    assert any(a < 0 for a in landed.values())
    assert shapes[STREAM] == 0  # no page: the bulk operation landed them


def test_an_incremental_run_lands_what_was_processed_since(
    harness: Harness, shapes: Counter[str]
) -> None:
    first = harness.run(streams=("orders",))
    assert first.status == "succeeded", first.message
    before = {r["id"] for r in harness.landed(first, STREAM)}
    assert before == set(_truth(harness))
    harness.clock.advance(3600)
    store = harness.sim.store(TENANT)
    assert any(refund(harness, n) for n in range(60))
    placed = store.activity.create_order()
    harness.clock.advance(600)
    shapes.clear()
    second = harness.run(streams=("orders",))
    assert second.status == "succeeded", second.message
    landed = {r["id"]: r for r in harness.landed(second, STREAM)}
    assert shapes[STREAM] == 1  # one page: only the window's tender transactions
    new = set(_truth(harness)) - before
    assert new <= set(landed)
    overlap = set(landed) - new  # the window starts a little before the last run's cursor
    assert overlap <= before
    assert len(overlap) < len(before) // 4
    amounts = {landed[i]["order"]["id"]: Decimal(landed[i]["amount"]["amount"]) for i in new}
    assert amounts[placed["id"]] > 0
    assert sorted(a > 0 for a in amounts.values()) == [False, True]
    assert before | set(landed) == set(_truth(harness))
