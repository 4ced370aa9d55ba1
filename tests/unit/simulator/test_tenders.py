"""Tender transactions from the orders' ledgers: the scan that narrows the orders by a
``processed_at`` or ``id`` window finds exactly what a filter over every tender transaction
finds, pages and reverses without gaps or repeats, and agrees with the truth (worked out from
the transactions instead); captures and refunds add them, dated when they happen."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from shopsync_simulator import truth
from shopsync_simulator.query.pager import PageArgs, paginate
from shopsync_simulator.query.search import compile_filter
from shopsync_simulator.query.tenders import tender_scan
from shopsync_simulator.store import Store
from shopsync_simulator.store.generate import iso
from shopsync_simulator.store.ids import gid
from shopsync_simulator.store.order_views import details
from shopsync_simulator.store.table import Record
from tests.unit.simulator.test_order_money import DAY, NOW, make

KIND = "TenderTransaction"


@pytest.fixture(scope="module")
def store() -> Store:
    """A store with captures and refunds after its generated history."""
    s = make(300)
    authorized = [o for o in s.orders.iter_live() if o["totalCapturableSet"].shop > 0]
    paid = [o for o in s.orders.iter_live() if o["displayFinancialStatus"] == "PAID"]
    assert authorized
    assert paid
    for o in authorized[:3]:
        s.clock.advance(DAY)
        s.activity.capture_transaction(o["_i"])
    for o in paid[:3]:
        s.clock.advance(DAY)
        s.activity.refund_order(o["_i"])
    return s


def every(store: Store) -> list[Record]:
    return [t for o in store.orders.iter_live() for t in details(o)["tenderTransactions"]]


def scanned(store: Store, query: str | None, *, reverse: bool = False) -> list[Record]:
    """Every match of ``query``, 7 a page, following the cursors."""
    scan = tender_scan(store.orders, compile_filter(query, KIND))
    out: list[Record] = []
    after = None
    while True:
        page = paginate(scan, PageArgs(first=7, after=after, reverse=reverse))
        out += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return out
        after = page["pageInfo"]["endCursor"]


def _ids(records: list[Record]) -> list[str]:
    return [r["id"] for r in records]


def test_sales_and_captures_are_positive_refunds_negative_nothing_else(store: Store) -> None:
    signs = {"SALE": 1, "CAPTURE": 1, "REFUND": -1}
    for order in store.orders.iter_live():
        moved = [
            t
            for t in details(order)["transactions"]
            if t["status"] == "SUCCESS" and t["kind"] in signs and t["amountSet"].shop
        ]
        tenders = details(order)["tenderTransactions"]
        assert [Decimal(t["amount"]["amount"]) for t in tenders] == [
            signs[t["kind"]] * Decimal(t["amountSet"]["shopMoney"]["amount"]) for t in moved
        ]
        assert [t["processedAt"] for t in tenders] == [t["processedAt"] for t in moved]


def test_the_truth_worked_out_from_the_transactions_equals_the_tender_view(store: Store) -> None:
    def row(t: dict[str, Any]) -> tuple[Any, ...]:
        order = t["orderId"] if "orderId" in t else gid("Order", t["_order"])
        return (t["id"], order, t["processedAt"], Decimal(t["amount"]["amount"]), t["test"])

    want = [row(t) for t in truth.records(store, "tender_transactions")]
    assert [row(t) for t in every(store)] == want
    assert any(r[3] < 0 for r in want)


@pytest.mark.parametrize("reverse", [False, True])
def test_pages_follow_id_order_without_gaps_or_repeats(store: Store, reverse: bool) -> None:
    got = _ids(scanned(store, None, reverse=reverse))
    want = _ids(every(store))
    assert got == (want[::-1] if reverse else want)


def test_a_window_narrows_to_exactly_what_a_filter_over_all_of_them_finds(store: Store) -> None:
    stamps = sorted({t["_c"] for t in every(store)})
    picks = [stamps[0], stamps[len(stamps) // 3], stamps[2 * len(stamps) // 3], stamps[-1]]
    numbers = sorted(t["_n"] for t in every(store))
    queries = [
        f"processed_at:>='{iso(picks[1])}'",
        f"processed_at:>'{iso(picks[1])}' AND processed_at:<'{iso(picks[2])}'",
        f"processed_at:<='{iso(picks[0])}'",
        f"processed_at:>='{iso(NOW)}'",  # the captures and refunds only
        f"id:>{numbers[10]} AND id:<={numbers[40]}",
        f"processed_at:>='{iso(picks[1])}' AND id:>{numbers[20]}",
        "test:false",
    ]
    for query in queries:
        flt = compile_filter(query, KIND)
        want = [t for t in every(store) if flt.matches(t)]
        assert want, query
        assert _ids(scanned(store, query)) == _ids(want), query


def test_captures_and_refunds_come_after_everything_before_them(store: Store) -> None:
    late = scanned(store, f"processed_at:>='{iso(NOW)}'")
    assert sorted(Decimal(t["amount"]["amount"]) > 0 for t in late) == [False] * 3 + [True] * 3
    assert all(t["_c"] > NOW for t in late)
