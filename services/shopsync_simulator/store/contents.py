"""What a simulated shop holds: its tables, clock and lock, and the relations between records.

:class:`StoreContents` is what :class:`~shopsync_simulator.store.activity.Activity` changes;
:class:`~shopsync_simulator.store.store.Store` adds the shop record and the activity API.
"""

from __future__ import annotations

import threading

from shopsync_simulator.store.clock import Clock
from shopsync_simulator.store.config import ShopSpec
from shopsync_simulator.store.generate import BASE_START
from shopsync_simulator.store.order_views import NODE_KINDS, child_node
from shopsync_simulator.store.orders import SLOTS
from shopsync_simulator.store.records import RecordFactory
from shopsync_simulator.store.table import Record, Table


class StoreContents:
    """Deterministic for a given spec: base records are generated, changes live in overlays."""

    def __init__(self, spec: ShopSpec, clock: Clock | None = None) -> None:
        self.spec = spec
        self.clock = clock or Clock()
        self.lock = threading.RLock()
        f = self.factory = RecordFactory(spec)
        n_levels = f.n_variants * f.n_locations
        self.products = Table(
            "Product", f.n_products, f.product, f.product_created, f.product_updated
        )
        self.variants = Table(
            "ProductVariant", f.n_variants, f.variant, f.variant_created, f.variant_updated
        )
        self.inventory_items = Table(
            "InventoryItem", f.n_variants, f.inventory_item, f.variant_created, f.variant_updated
        )
        self.inventory_levels = Table(
            "InventoryLevel", n_levels, f.inventory_level, f.level_created, f.level_updated
        )
        self.locations = Table(
            "Location", f.n_locations, f.location, f.location_created, f.location_updated
        )
        self.customers = Table(
            "Customer", f.n_customers, f.customer, f.customer_created, f.customer_updated
        )
        self.orders = Table("Order", f.n_orders, f.order, f.order_created, f.order_updated)
        self.events = Table("Event", 0, _no_base, _no_time, _no_time)
        self.tables: dict[str, Table] = {
            t.kind: t
            for t in (
                self.products,
                self.variants,
                self.inventory_items,
                self.inventory_levels,
                self.locations,
                self.customers,
                self.orders,
                self.events,
            )
        }

    # -- relations ---------------------------------------------------------------------------
    def node(self, kind: str, index: int) -> Record | None:
        """Any record by kind and index, including an order's refunds, transactions,
        fulfillments and fulfillment orders (their index encodes the order's)."""
        if kind in NODE_KINDS:
            return child_node(self.orders.get(index // SLOTS[kind]), kind, index)
        table = self.tables.get(kind)
        return table.get(index) if table is not None else None

    def variants_of(self, product_index: int) -> list[Record]:
        rec = self.products.get(product_index)
        if rec is None:
            return []
        per = self.factory.n_variants_per
        found = (
            self.variants.get(j) for j in range(product_index * per, (product_index + 1) * per)
        )
        return [v for v in found if v is not None]

    def levels_of(self, item_index: int) -> list[Record]:
        n = self.factory.n_locations
        found = (self.inventory_levels.get(k) for k in range(item_index * n, (item_index + 1) * n))
        return [lv for lv in found if lv is not None]

    def level_index(self, item_index: int, location_index: int) -> int:
        return item_index * self.factory.n_locations + location_index


def _no_base(index: int) -> Record:
    raise IndexError(f"no base event {index}")


def _no_time(index: int) -> int:
    return BASE_START + index
