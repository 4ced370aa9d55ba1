"""The shop's tender transactions as one scan in id order, read from the orders' ledgers.

Shopify lists tender transactions at the root (``tenderTransactions``); the simulator keeps
none of its own: each is the tender view of an order's successful sale, capture or refund
(:mod:`shopsync_simulator.store.order_views`), its index the ledger transaction's
(``order index x 16 + slot``), so id order is order id order, then ledger order, and a page
starts from the order its cursor names rather than from the first order.

A window on ``processed_at`` narrows the orders read: an order's ``updatedAt`` is never before
one of its transactions (the generator's history precedes its base ``updatedAt``; every verb
that adds a transaction stamps the order) and its ``createdAt`` never after one, so only the
orders updated since the window's start and created before its end are read.
"""

from __future__ import annotations

from collections.abc import Iterator

from shopsync_simulator.query.pager import AnyKey, Pair, Scan, table_scan
from shopsync_simulator.query.search import Filter
from shopsync_simulator.store.ids import index_of, numeric_id
from shopsync_simulator.store.order_views import details
from shopsync_simulator.store.orders import SLOTS
from shopsync_simulator.store.table import Table

KIND = "TenderTransaction"


def order_number(tender_number: float) -> int:
    """The numeric id of the order that holds the tender transaction ``tender_number``."""
    index = index_of(KIND, int(tender_number))
    return numeric_id("Order", index // SLOTS[KIND] if index >= 0 else -1)


def order_filter(flt: Filter) -> Filter:
    """The orders that may hold a tender transaction ``flt`` matches (see the module
    docstring): ranges over the orders' base records only, every changed order is read."""
    ranges: dict[str, tuple[float | None, float | None]] = {}
    lo, hi = flt.ranges.get("created", (None, None))  # processed_at
    if lo is not None:
        ranges["updated"] = (lo, None)
    if hi is not None:
        ranges["created"] = (None, hi)
    id_lo, id_hi = flt.ranges.get("id", (None, None))
    if id_lo is not None or id_hi is not None:
        ranges["id"] = (
            None if id_lo is None else order_number(id_lo),
            None if id_hi is None else order_number(id_hi),
        )
    return Filter(None, "Order", ranges=ranges)


def tender_scan(orders: Table, flt: Filter) -> Scan:
    """Tender transactions matching ``flt`` in id order (descending: reversed), after a key."""
    order_scan = table_scan(orders, "ID", order_filter(flt))

    def scan(descending: bool, after: AnyKey | None) -> Iterator[Pair]:
        start = None
        if after is not None:  # from the cursor's own order on
            start = (order_number(after[-1]) + (1 if descending else -1),)
        for _, order in order_scan(descending, start):
            tenders = details(order)["tenderTransactions"]
            for tender in reversed(tenders) if descending else tenders:
                key = (tender["_n"],)
                past = after is None or (key < after if descending else key > after)
                if past and flt.matches(tender):
                    yield key, tender

    return scan
