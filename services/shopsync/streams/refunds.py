"""The refunds' own connections (line items, order adjustments, shipping lines): a details
stream of ``refunds``, fetched by refund id in batches after the orders' refunds landed, since
Shopify's bulk operations refuse a connection inside the ``refunds`` list.

Every point a refund costs makes a batch smaller (``page_size`` refunds per request, held under
Shopify's 1000-point limit by a test), so the selection is lean: amounts in shop and presentment
currency (``reporting.order_financials`` reports returns, refunded shipping and refunded taxes
in both, and a presentment amount cannot be derived from the shop's); no ``priceSet`` (a
refunded unit's price is its line item's ``originalUnitPriceSet``); the restock ``location``
only for the stores that granted a scope that reads locations (a point more a line item; the
batch sizes fit either variant). Most refunds return one line item, so the first request asks
``refundLineItems(first: 1)``: 32 points a refund with its location, 31 refunds per request;
the refunds that have more are asked again, 25 per request with ``first: 4``, and only a refund
of more than four line items is completed on its own.
"""

from __future__ import annotations

from .model import Child, DetailsOf, StreamDeclaration
from .orders import bag, details_table, location_of
from .tables import col, gid, money_bag

REFUND_DETAILS = StreamDeclaration(
    name="refund_details",
    group="orders",
    node_type="Refund",
    details_of=DetailsOf(stream="order_refunds", ids=("refunds", "id")),
    bulk=False,
    page_size=31,
    scopes=("read_orders",),
    fields="""
        id
        createdAt
        updatedAt
        order { id }
    """,
    children=(
        Child(
            field="refundLineItems",
            node_type="RefundLineItem",
            first=1,
            page_size=100,
            more_first=4,
            more_page_size=25,
            fields=f"""
                id
                quantity
                restockType
                restocked
                lineItem {{ id }}
                {bag("subtotalSet")}
                {bag("totalTaxSet")}
            """,
        ),
        Child(
            field="orderAdjustments",
            node_type="OrderAdjustment",
            first=1,
            page_size=50,
            fields=f"""
                id
                reason
                {bag("amountSet")}
                {bag("taxAmountSet")}
            """,
        ),
        Child(
            field="refundShippingLines",
            node_type="RefundShippingLine",
            first=1,
            page_size=50,
            fields=f"""
                id
                shippingLine {{ id }}
                {bag("subtotalAmountSet")}
                {bag("taxAmountSet")}
            """,
        ),
    ),
    scoped=(location_of("refundLineItems"),),
    tables=(
        details_table(
            "refund_line_items",
            "refund_details",
            "refund",
            "refundLineItems",
            gid("line_item_id", "lineItem"),
            col("quantity", "integer", "quantity"),
            col("restock_type", "varchar", "restockType"),
            col("restocked", "boolean", "restocked"),
            gid("location_id", "location"),
            *money_bag("subtotal", "subtotalSet"),
            *money_bag("total_tax", "totalTaxSet"),
        ),
        details_table(
            "order_adjustments",
            "refund_details",
            "refund",
            "orderAdjustments",
            col("reason", "varchar", "reason"),
            *money_bag("amount", "amountSet"),
            *money_bag("tax_amount", "taxAmountSet"),
        ),
        details_table(
            "refund_shipping_lines",
            "refund_details",
            "refund",
            "refundShippingLines",
            gid("shipping_line_id", "shippingLine"),
            *money_bag("subtotal", "subtotalAmountSet"),
            *money_bag("tax_amount", "taxAmountSet"),
        ),
    ),
)
