"""The ``orders`` group: orders and their line items."""

from __future__ import annotations

from .model import Child, StreamDeclaration
from .tables import STAMPS, Column, TableSpec, col, gid, money, number

ORDERS = StreamDeclaration(
    name="orders",
    group="orders",
    node_type="Order",
    root="orders",
    sort_key="UPDATED_AT",
    page_size=12,
    scopes=("read_orders", "read_customers", "read_products"),
    tables=(
        TableSpec(
            "orders",
            "orders",
            (
                col("id", "varchar", "id"),
                number("order_id"),
                col("name", "varchar", "name"),
                col("email", "varchar", "email"),
                col("test", "boolean", "test"),
                gid("customer_id", "customer"),
                col("currency_code", "varchar", "currencyCode"),
                col("financial_status", "varchar", "displayFinancialStatus"),
                col("fulfillment_status", "varchar", "displayFulfillmentStatus"),
                *money("subtotal_price", "subtotalPriceSet", "shopMoney"),
                *money("total_price", "totalPriceSet", "shopMoney"),
                *money("total_tax", "totalTaxSet", "shopMoney"),
                *STAMPS,
                col("processed_at", "timestamp", "processedAt"),
                col("cancelled_at", "timestamp", "cancelledAt"),
                col("closed_at", "timestamp", "closedAt"),
            ),
        ),
        #: Line items have no timestamps of their own: their cursor is the order's ``updatedAt``
        #: (``order_updated_at``, taken from the parent), and ``order_id`` links them.
        TableSpec(
            "order_line_items",
            "orders",
            (
                col("id", "varchar", "id"),
                number("line_item_id"),
                Column("order_id", "varchar", ("id",), derive="parent"),
                gid("variant_id", "variant"),
                gid("product_id", "product"),
                col("name", "varchar", "name"),
                col("sku", "varchar", "sku"),
                col("quantity", "integer", "quantity"),
                col("current_quantity", "integer", "currentQuantity"),
                *money("original_unit_price", "originalUnitPriceSet", "shopMoney"),
                *money("discounted_total", "discountedTotalSet", "shopMoney"),
                Column("order_updated_at", "timestamp", ("updatedAt",), derive="parent"),
            ),
            cursor="order_updated_at",
            explode=("lineItems", "nodes"),
        ),
    ),
    fields="""
        id
        legacyResourceId
        name
        email
        test
        createdAt
        updatedAt
        processedAt
        cancelledAt
        closedAt
        currencyCode
        displayFinancialStatus
        displayFulfillmentStatus
        subtotalPriceSet { shopMoney { amount currencyCode } }
        totalPriceSet { shopMoney { amount currencyCode } }
        totalTaxSet { shopMoney { amount currencyCode } }
        customer { id }
    """,
    children=(
        Child(
            field="lineItems",
            node_type="LineItem",
            first=5,
            page_size=100,
            fields="""
                id
                name
                sku
                quantity
                currentQuantity
                variant { id }
                product { id }
                originalUnitPriceSet { shopMoney { amount currencyCode } }
                discountedTotalSet { shopMoney { amount currencyCode } }
            """,
        ),
    ),
)
