"""The ``orders`` group: orders and their line items, and what happened to their money:
transactions and refunds.

The money streams list the orders of the window again (their own documents, their own bulk
operations, which run beside the orders' since API 2026-01) and land each order's ``id``,
``updatedAt`` and one list: a refund, a capture or a void changes the order's ``updatedAt``,
so the orders window carries them. Their rows' cursor is the order's ``updatedAt``."""

from __future__ import annotations

from .model import Child, StreamDeclaration
from .tables import STAMPS, Column, TableSpec, col, gid, money_bag, number

ORDERS = StreamDeclaration(
    name="orders",
    group="orders",
    node_type="Order",
    root="orders",
    sort_key="UPDATED_AT",
    page_size=6,
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
                col("presentment_currency_code", "varchar", "presentmentCurrencyCode"),
                col("financial_status", "varchar", "displayFinancialStatus"),
                col("fulfillment_status", "varchar", "displayFulfillmentStatus"),
                *money_bag("subtotal_price", "subtotalPriceSet"),
                *money_bag("total_price", "totalPriceSet"),
                *money_bag("total_tax", "totalTaxSet"),
                *money_bag("total_discounts", "totalDiscountsSet"),
                *money_bag("total_shipping", "totalShippingPriceSet"),
                *money_bag("total_refunded", "totalRefundedSet"),
                *money_bag("total_outstanding", "totalOutstandingSet"),
                Column("discount_codes", "varchar", ("discountCodes",), derive="join"),
                col("tax_lines", "json", "taxLines"),
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
                *money_bag("original_unit_price", "originalUnitPriceSet"),
                *money_bag("discounted_total", "discountedTotalSet"),
                col("tax_lines", "json", "taxLines"),
                col("discount_allocations", "json", "discountAllocations"),
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
        presentmentCurrencyCode
        displayFinancialStatus
        displayFulfillmentStatus
        subtotalPriceSet {
          shopMoney { amount currencyCode }
          presentmentMoney { amount currencyCode }
        }
        totalPriceSet {
          shopMoney { amount currencyCode }
          presentmentMoney { amount currencyCode }
        }
        totalTaxSet {
          shopMoney { amount currencyCode }
          presentmentMoney { amount currencyCode }
        }
        totalDiscountsSet {
          shopMoney { amount currencyCode }
          presentmentMoney { amount currencyCode }
        }
        totalShippingPriceSet {
          shopMoney { amount currencyCode }
          presentmentMoney { amount currencyCode }
        }
        totalRefundedSet {
          shopMoney { amount currencyCode }
          presentmentMoney { amount currencyCode }
        }
        totalOutstandingSet {
          shopMoney { amount currencyCode }
          presentmentMoney { amount currencyCode }
        }
        discountCodes
        taxLines {
          title
          rate
          priceSet {
            shopMoney { amount currencyCode }
            presentmentMoney { amount currencyCode }
          }
        }
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
                originalUnitPriceSet {
                  shopMoney { amount currencyCode }
                  presentmentMoney { amount currencyCode }
                }
                discountedTotalSet {
                  shopMoney { amount currencyCode }
                  presentmentMoney { amount currencyCode }
                }
                taxLines {
                  title
                  rate
                  priceSet {
                    shopMoney { amount currencyCode }
                    presentmentMoney { amount currencyCode }
                  }
                }
                discountAllocations {
                  allocatedAmountSet {
                    shopMoney { amount currencyCode }
                    presentmentMoney { amount currencyCode }
                  }
                  discountApplication { index }
                }
            """,
        ),
    ),
)


#: The order's ``id`` and ``updatedAt`` as columns of a row exploded from one of its lists.
ORDER_OF_ROW = (
    Column("order_id", "varchar", ("id",), derive="parent"),
    Column("order_updated_at", "timestamp", ("updatedAt",), derive="parent"),
)

ORDER_TRANSACTIONS = StreamDeclaration(
    name="order_transactions",
    group="orders",
    node_type="Order",
    root="orders",
    sort_key="UPDATED_AT",
    page_size=10,
    scopes=("read_orders",),
    tables=(
        TableSpec(
            "transactions",
            "order_transactions",
            (
                col("id", "varchar", "id"),
                number("transaction_id"),
                *ORDER_OF_ROW,
                gid("parent_transaction_id", "parentTransaction"),
                col("kind", "varchar", "kind"),
                col("status", "varchar", "status"),
                col("gateway", "varchar", "gateway"),
                col("test", "boolean", "test"),
                col("error_code", "varchar", "errorCode"),
                *money_bag("amount", "amountSet"),
                col("fees", "json", "fees"),
                col("processed_at", "timestamp", "processedAt"),
                col("created_at", "timestamp", "createdAt"),
            ),
            cursor="order_updated_at",
            explode=("transactions",),
        ),
    ),
    fields="""
        id
        updatedAt
        transactions(first: 10) {
          id
          kind
          status
          gateway
          test
          errorCode
          processedAt
          createdAt
          amountSet {
            shopMoney { amount currencyCode }
            presentmentMoney { amount currencyCode }
          }
          fees {
            id
            type
            rate
            rateName
            amount { amount currencyCode }
          }
          parentTransaction { id }
        }
    """,
)

ORDER_REFUNDS = StreamDeclaration(
    name="order_refunds",
    group="orders",
    node_type="Order",
    root="orders",
    sort_key="UPDATED_AT",
    page_size=10,
    scopes=("read_orders",),
    tables=(
        TableSpec(
            "refunds",
            "order_refunds",
            (
                col("id", "varchar", "id"),
                number("refund_id"),
                *ORDER_OF_ROW,
                col("note", "varchar", "note"),
                *money_bag("total_refunded", "totalRefundedSet"),
                *STAMPS,
            ),
            cursor="order_updated_at",
            explode=("refunds",),
        ),
    ),
    fields="""
        id
        updatedAt
        refunds(first: 10) {
          id
          note
          createdAt
          updatedAt
          totalRefundedSet {
            shopMoney { amount currencyCode }
            presentmentMoney { amount currencyCode }
          }
        }
    """,
)
