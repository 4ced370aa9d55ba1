"""The ``orders`` group: orders and their line items, and what happened to their money:
transactions and refunds.

The money streams list the orders of the window again (their own documents, their own bulk
operations, which run beside the orders' since API 2026-01) and land each order's ``id``,
``updatedAt`` and one list: a refund, a capture or a void changes the order's ``updatedAt``,
so the orders window carries them. Their rows' cursor is the order's ``updatedAt``."""

from __future__ import annotations

import textwrap

from .deletions import deletions_stream
from .model import CappedList, Child, ScopedFields, StreamDeclaration
from .scopes import any_of
from .tables import (
    STAMPS,
    Column,
    DeletedWith,
    Explode,
    TableSpec,
    col,
    connection,
    gid,
    money,
    money_bag,
    number,
)

#: A row exploded from an order (a line item, a transaction, a refund): its order, and the
#: order's ``updatedAt``, which is the row's cursor.
ORDER_ID = Column("order_id", "varchar", ("id",), derive="parent")
ORDER_UPDATED_AT = Column("order_updated_at", "timestamp", ("updatedAt",), derive="parent")
#: Every row of an order (a line item, a shipping line, a discount application, a transaction,
#: a refund, a refund's lines) goes with it.
WITH_ORDER = DeletedWith("ORDER", "order_id")

MONEY = "{ amount currencyCode }"


def in_lines(within: str) -> tuple[Explode, ...]:
    """The rows of a plain list in each line item and each shipping line of an order (their
    tax lines): a two-level explode, told apart by ``parent_type``."""
    return (
        connection("lineItems", "LineItem", within=within, kind="line_item"),
        connection("shippingLines", "ShippingLine", within=within, kind="shipping_line"),
    )


def keyed_by_place(tag: str) -> Column:
    """The key of a row Shopify gives no id, in a list of a node: ``<node gid>#<tag><place>``
    (``gid://shopify/LineItem/7#tax0``), the same on every fetch, so a replay merges it."""
    return Column("id", "varchar", (), derive="keyed", arg=tag)


def order_rows(name: str, key: Column, explode: tuple[Explode, ...], *columns: Column) -> TableSpec:
    """A table of rows in lists of the orders stream's orders: keyed by ``key``, with their
    order and its ``updatedAt`` (their cursor), gone with the order."""
    return TableSpec(
        name,
        "orders",
        (key, ORDER_ID, *columns, ORDER_UPDATED_AT),
        cursor=ORDER_UPDATED_AT.name,
        explode=explode,
        deleted_with=WITH_ORDER,
    )


#: Where a row of a list in a line item, a shipping line or an order sits: the node (its gid and
#: ``line_item``, ``shipping_line`` or ``order``) and its place in the node's list.
PLACE = (
    Column("parent_id", "varchar", ("id",), derive="owner"),
    Column("parent_type", "varchar", (), derive="kind"),
    Column("index", "integer", (), derive="position"),
)


def bag(field: str) -> str:
    """The selection of a ``MoneyBag`` field: the amount in shop and presentment currency."""
    return f"{field} {{ shopMoney {MONEY} presentmentMoney {MONEY} }}"


def _lines(*fields: str) -> str:
    return "\n".join(fields)


#: A line item's or a shipping line's tax lines and the discounts allocated to it.
TAXED_AND_DISCOUNTED = _lines(
    f"taxLines {{ title rate ratePercentage channelLiable {bag('priceSet')} }}",
    f"discountAllocations {{ {bag('allocatedAmountSet')} discountApplication {{ index }} }}",
)

ORDERS = StreamDeclaration(
    name="orders",
    group="orders",
    node_type="Order",
    root="orders",
    sort_key="UPDATED_AT",
    page_size=5,
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
            deleted_with=DeletedWith("ORDER"),
        ),
        #: Line items have no timestamps of their own: their cursor is the order's ``updatedAt``
        #: (``order_updated_at``, taken from the parent), and ``order_id`` links them.
        TableSpec(
            "order_line_items",
            "orders",
            (
                col("id", "varchar", "id"),
                number("line_item_id"),
                ORDER_ID,
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
                ORDER_UPDATED_AT,
            ),
            cursor="order_updated_at",
            explode=(connection("lineItems", "LineItem"),),
            deleted_with=WITH_ORDER,
        ),
        TableSpec(
            "shipping_lines",
            "orders",
            (
                col("id", "varchar", "id"),
                number("shipping_line_id"),
                ORDER_ID,
                col("title", "varchar", "title"),
                col("code", "varchar", "code"),
                col("source", "varchar", "source"),
                col("carrier_identifier", "varchar", "carrierIdentifier"),
                col("is_removed", "boolean", "isRemoved"),
                *money_bag("original_price", "originalPriceSet"),
                *money_bag("discounted_price", "discountedPriceSet"),
                col("tax_lines", "json", "taxLines"),
                col("discount_allocations", "json", "discountAllocations"),
                ORDER_UPDATED_AT,
            ),
            cursor="order_updated_at",
            explode=(connection("shippingLines", "ShippingLine"),),
            deleted_with=WITH_ORDER,
        ),
        #: Order-level discounts (a code, an automatic or a manual discount, a script); Shopify
        #: gives them no id: an application is its order's, by ``index``.
        TableSpec(
            "discount_applications",
            "orders",
            (
                Column("id", "varchar", ("index",), derive="keyed"),
                ORDER_ID,
                col("index", "integer", "index"),
                col("type", "varchar", "__typename"),
                col("code", "varchar", "code"),
                col("title", "varchar", "title"),
                col("allocation_method", "varchar", "allocationMethod"),
                col("target_selection", "varchar", "targetSelection"),
                col("target_type", "varchar", "targetType"),
                *money("value_amount", "value"),
                col("value_percentage", "decimal", "value", "percentage"),
                ORDER_UPDATED_AT,
            ),
            cursor="order_updated_at",
            explode=(
                Explode(
                    ("discountApplications", "nodes"),
                    (("__typename",), "^(Automatic|Manual|Script)?Discount(Code)?Application$"),
                ),
            ),
            deleted_with=WITH_ORDER,
        ),
        #: Every tax line of the order's line items, its shipping lines and its own (the
        #: order's are the sums by title and rate): a two-level explode for the first two.
        order_rows(
            "tax_lines",
            keyed_by_place("tax"),
            (*in_lines("taxLines"), Explode(("taxLines",), kind="order")),
            *PLACE,
            col("title", "varchar", "title"),
            col("rate", "decimal", "rate"),
            col("rate_percentage", "decimal", "ratePercentage"),
            col("channel_liable", "boolean", "channelLiable"),
            *money_bag("amount", "priceSet"),
        ),
        #: The share of each discount application (``discount_applications.index``) that fell
        #: on each line item and shipping line.
        order_rows(
            "discount_allocations",
            keyed_by_place("allocation"),
            in_lines("discountAllocations"),
            *PLACE,
            col("discount_application_index", "integer", "discountApplication", "index"),
            *money_bag("allocated_amount", "allocatedAmountSet"),
        ),
        order_rows(
            "order_discount_codes",
            keyed_by_place("code"),
            (Explode(("discountCodes",)),),
            Column("index", "integer", (), derive="position"),
            col("code", "varchar"),
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
          ratePercentage
          channelLiable
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
            page_size=50,
            fields=_lines(
                "id",
                "name",
                "sku",
                "quantity",
                "currentQuantity",
                "variant { id }",
                "product { id }",
                bag("originalUnitPriceSet"),
                bag("discountedTotalSet"),
                TAXED_AND_DISCOUNTED,
            ),
        ),
        Child(
            field="shippingLines",
            node_type="ShippingLine",
            first=2,
            page_size=50,
            fields=_lines(
                "id",
                "title",
                "code",
                "source",
                "carrierIdentifier",
                "isRemoved",
                bag("originalPriceSet"),
                bag("discountedPriceSet"),
                TAXED_AND_DISCOUNTED,
            ),
        ),
        Child(
            field="discountApplications",
            node_type="DiscountApplication",
            first=2,
            page_size=50,
            fields="""
                __typename
                index
                allocationMethod
                targetSelection
                targetType
                value {
                  ... on MoneyV2 { amount currencyCode }
                  ... on PricingPercentageValue { percentage }
                }
                ... on DiscountCodeApplication { code }
                ... on AutomaticDiscountApplication { title }
                ... on ManualDiscountApplication { title description }
                ... on ScriptDiscountApplication { title }
            """,
        ),
    ),
)


def details_table(
    name: str, stream: str, parent: str, connection: str, *columns: Column
) -> TableSpec:
    """A table of a details stream's connection (a refund's line items): each row keyed by its
    gid and numbered, with its ``parent`` record's id, order and ``updatedAt`` (the cursor)."""
    return TableSpec(
        name,
        stream,
        (
            col("id", "varchar", "id"),
            number(f"{name[:-1]}_id"),
            Column(f"{parent}_id", "varchar", ("id",), derive="parent"),
            Column("order_id", "varchar", ("order", "id"), derive="parent"),
            Column(f"{parent}_updated_at", "timestamp", ("updatedAt",), derive="parent"),
            *columns,
        ),
        cursor=f"{parent}_updated_at",
        explode=(Explode((connection, "nodes")),),
        deleted_with=WITH_ORDER,
    )


#: What reads a ``Location`` (its ``id``), per Shopify's schemas: a fulfillment's and a refunded
#: line item's restock location.
LOCATION_SCOPES = any_of("read_locations", "read_inventory", "read_markets_home")


def location_of(*within: str) -> ScopedFields:
    """The ``location { id }`` of the records (or of the nodes ``within`` them), for the stores
    that granted a scope that reads it."""
    return ScopedFields("locations", LOCATION_SCOPES, "location { id }", within)


def order_list_stream(
    name: str,
    table: str,
    key: str,
    columns: tuple[Column, ...],
    list_field: str,
    selection: str,
    whole: tuple[int, int],
    scoped: tuple[ScopedFields, ...] = (),
) -> StreamDeclaration:
    """A stream that lists the window's orders again and lands each one's ``id``,
    ``updatedAt`` and its ``list_field`` (the first 10 entries, each ``selection``); ``table``
    holds one row per entry, keyed by its gid and numbered ``key``. An order with 10 entries
    is asked again with ``whole`` = (entries, orders per request)."""
    entry = textwrap.indent(textwrap.dedent(selection).strip(), "  ")
    capped = CappedList(list_field, 10, *whole)
    return StreamDeclaration(
        name=name,
        group="orders",
        node_type="Order",
        root="orders",
        sort_key="UPDATED_AT",
        page_size=10,
        scopes=("read_orders",),
        tables=(
            TableSpec(
                table,
                name,
                (col("id", "varchar", "id"), number(key), ORDER_ID, ORDER_UPDATED_AT, *columns),
                cursor=ORDER_UPDATED_AT.name,
                explode=(Explode((list_field,)),),
                deleted_with=WITH_ORDER,
            ),
        ),
        fields=f"id\nupdatedAt\n{capped.asked} {{\n{entry}\n}}",
        capped=capped,
        scoped=scoped,
    )


ORDER_TRANSACTIONS = order_list_stream(
    "order_transactions",
    "transactions",
    "transaction_id",
    (
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
    "transactions",
    """
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
    """,
    whole=(100, 1),
)

ORDER_REFUNDS = order_list_stream(
    "order_refunds",
    "refunds",
    "refund_id",
    (
        col("note", "varchar", "note"),
        *money_bag("total_refunded", "totalRefundedSet"),
        *STAMPS,
    ),
    "refunds",
    """
        id
        note
        createdAt
        updatedAt
        totalRefundedSet {
          shopMoney { amount currencyCode }
          presentmentMoney { amount currencyCode }
        }
    """,
    whole=(200, 1),
)

#: Order deletions: the event log soft-deletes orders and every row of theirs in the warehouse.
DELETED_ORDERS = deletions_stream(
    "deleted_orders", "orders", "ORDER", of="orders", subject_scope="read_orders"
)
