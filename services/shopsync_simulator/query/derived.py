"""Root connections over records that live inside orders (``fulfillmentOrders``): Shopify
lists them on their own, sorted and filtered by their own ``updatedAt``, which moves without
the order's (a hold changes the fulfillment order alone).

Their index is every live order's records of one section, sorted by the connection's sort key,
built on first read and kept until an order changes (:attr:`~shopsync_simulator.store.table.
Table.version`): a sync reads the same index page after page, activity between syncs rebuilds
it once.
"""

from __future__ import annotations

import threading

from graphql import GraphQLError

from shopsync_simulator.query.pager import MAX_MATERIALIZED, Pair
from shopsync_simulator.store.order_views import details
from shopsync_simulator.store.table import INDEX_SORTS, Table, record_key


class SectionIndex:
    """The records of one section of every live order (``fulfillmentOrders``), per sort key."""

    def __init__(self, orders: Table, section: str) -> None:
        self.orders, self.section = orders, section
        self._sorted: dict[str, tuple[int, list[Pair]]] = {}
        self._lock = threading.Lock()

    def pairs(self, sort: str) -> list[Pair]:
        sort = sort if sort in INDEX_SORTS else "ID"
        with self._lock:
            version = self.orders.version
            cached = self._sorted.get(sort)
            if cached is not None and cached[0] == version:
                return cached[1]
            if self.orders.live_count() > MAX_MATERIALIZED:
                raise GraphQLError("This connection is not available on a store this large.")
            records = [r for order in self.orders.iter_live() for r in details(order)[self.section]]
            pairs = sorted(((record_key(sort, r), r) for r in records), key=lambda kr: kr[0])
            self._sorted[sort] = (version, pairs)
            return pairs
