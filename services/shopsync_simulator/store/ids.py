"""Shopify global ids (``gid://shopify/Product/123``) and the numeric id of each record.

Record ``i`` of a kind has the numeric id ``ID_BASE[kind] + i + 1``, so an id maps back to its
index without any lookup table, whatever the store's size.
"""

from __future__ import annotations

GID_PREFIX = "gid://shopify/"

ID_BASE: dict[str, int] = {
    "Shop": 60_000_000,
    "Product": 8_000_000_000,
    "ProductVariant": 44_000_000_000,
    "ProductOption": 10_000_000_000,
    "InventoryItem": 46_000_000_000,
    "InventoryLevel": 120_000_000_000,
    "Location": 70_000_000,
    "Customer": 7_000_000_000,
    "Order": 5_000_000_000,
    "LineItem": 13_000_000_000,
    "Event": 9_000_000_000,
    "Refund": 900_000_000,
    "RefundLineItem": 400_000_000_000,
    "OrderAdjustment": 300_000_000_000,
    "RefundShippingLine": 200_000_000_000,
    "OrderTransaction": 6_000_000_000,
    "TenderTransaction": 2_000_000_000,
    "TransactionFee": 500_000_000_000,
    "ShippingLine": 4_000_000_000,
    "Fulfillment": 4_500_000_000,
    "FulfillmentLineItem": 10_500_000_000,
    "FulfillmentOrder": 6_500_000_000,
    "FulfillmentOrderLineItem": 14_000_000_000,
    "BulkOperation": 3_000_000_000,
}


def numeric_id(kind: str, index: int) -> int:
    return ID_BASE[kind] + index + 1


def index_of(kind: str, number: int) -> int:
    return number - ID_BASE[kind] - 1


def gid(kind: str, index: int) -> str:
    return f"{GID_PREFIX}{kind}/{ID_BASE[kind] + index + 1}"


def parse_gid(value: str) -> tuple[str, int] | None:
    """``gid://shopify/Product/8000000001`` -> ``("Product", 0)``; None if not ours."""
    if not value.startswith(GID_PREFIX):
        return None
    kind, _, rest = value[len(GID_PREFIX) :].partition("/")
    number = rest.split("?", 1)[0]
    if kind not in ID_BASE or not number.isdigit():
        return None
    index = index_of(kind, int(number))
    return (kind, index) if index >= 0 else None
