"""A whole simulated shop: its contents, shop record and the activity API that changes it."""

from __future__ import annotations

from functools import cached_property

from shopsync_simulator.query.derived import SectionIndex
from shopsync_simulator.store.activity import Activity
from shopsync_simulator.store.contents import StoreContents
from shopsync_simulator.store.generate import BASE_START, iso
from shopsync_simulator.store.ids import gid
from shopsync_simulator.store.table import Record

#: stream name -> table kind, for ground truth and dumps.
STREAM_KINDS: dict[str, str] = {
    "products": "Product",
    "product_variants": "ProductVariant",
    "inventory_items": "InventoryItem",
    "inventory_levels": "InventoryLevel",
    "locations": "Location",
    "customers": "Customer",
    "orders": "Order",
    "events": "Event",
}

#: Streams whose truth is another stream's records: those that list the orders again, each
#: landing one of their lists, and refund details, which read the refunds by id.
LISTINGS: dict[str, str] = {
    "order_transactions": "orders",
    "order_refunds": "orders",
    "refund_details": "refunds",
    "order_fulfillments": "orders",
    "fulfillment_details": "fulfillments",
}


class Store(StoreContents):
    """Deterministic for a given spec; changes go through :attr:`activity`."""

    @cached_property
    def activity(self) -> Activity:
        return Activity(self)

    @cached_property
    def fulfillment_orders(self) -> SectionIndex:
        """Every live order's fulfillment orders, for the root ``fulfillmentOrders``."""
        return SectionIndex(self.orders, "fulfillmentOrders")

    def shop_record(self) -> Record:
        spec = self.spec
        return {
            "__typename": "Shop",
            "id": gid("Shop", spec.effective_seed % 1_000_000),
            "name": spec.name.replace("-", " ").title(),
            "myshopifyDomain": spec.shop,
            "email": f"owner@{spec.name}.example.com",
            "contactEmail": f"owner@{spec.name}.example.com",
            "currencyCode": spec.currency,
            "enabledPresentmentCurrencies": [spec.currency, "EUR"],
            "ianaTimezone": "Etc/UTC",
            "timezoneAbbreviation": "UTC",
            "timezoneOffset": "+0000",
            "timezoneOffsetMinutes": 0,
            "weightUnit": "KILOGRAMS",
            "createdAt": iso(BASE_START),
            "updatedAt": iso(BASE_START),
            "plan": {
                "displayName": spec.plan.title(),
                "partnerDevelopment": False,
                "shopifyPlus": spec.plan in ("plus", "enterprise"),
                "publicDisplayName": spec.plan.title(),
            },
            "primaryDomain": {
                "host": spec.shop,
                "url": f"https://{spec.shop}",
                "sslEnabled": True,
            },
            "url": f"https://{spec.shop}",
        }

    def live_counts(self) -> dict[str, int]:
        return {stream: self.tables[kind].live_count() for stream, kind in STREAM_KINDS.items()}
