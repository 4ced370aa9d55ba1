"""An order's fulfillments and their line items.

``Order.fulfillments`` is a list: the ``order_fulfillments`` stream lists the window's orders
again and lands each one's fulfillments (creating a fulfillment, and a change of its status,
changes the order's ``updatedAt``, so the orders window carries them). A fulfillment's line
items are a connection inside that list, which bulk operations refuse: the
``fulfillment_details`` stream reads the fulfillments the run landed by id, in batches, as
:mod:`.refunds` does for refunds. A fulfillment's ``location`` needs a scope that reads
locations besides ``read_orders`` (:data:`.orders.LOCATION_SCOPES`): asked only of the stores that
granted one, null for the others (:class:`~.model.ScopedFields`).

Fulfillment orders (what is to be fulfilled, from which location) have a root connection of
their own, ``fulfillmentOrders``, sorted and filtered by their own ``updatedAt``: putting one
on hold changes the fulfillment order, not the order (see the simulator's
``order_activity``), so the orders window would miss it. Their access scopes are Shopify's
fulfillment-order scopes, any one of them; a store that granted none skips the stream.
"""

from __future__ import annotations

from .model import Child, DetailsOf, StreamDeclaration
from .orders import WITH_ORDER, bag, details_table, location_of, order_list_stream
from .scopes import any_of
from .tables import STAMPS, Column, TableSpec, col, connection, gid, money_bag, number

ORDER_FULFILLMENTS = order_list_stream(
    "order_fulfillments",
    "fulfillments",
    "fulfillment_id",
    (
        col("name", "varchar", "name"),
        col("status", "varchar", "status"),
        col("display_status", "varchar", "displayStatus"),
        col("total_quantity", "integer", "totalQuantity"),
        col("tracking_info", "json", "trackingInfo"),
        *STAMPS,
        col("in_transit_at", "timestamp", "inTransitAt"),
        col("delivered_at", "timestamp", "deliveredAt"),
        col("estimated_delivery_at", "timestamp", "estimatedDeliveryAt"),
        gid("location_id", "location"),
    ),
    "fulfillments",
    """
        id
        name
        status
        displayStatus
        totalQuantity
        createdAt
        updatedAt
        inTransitAt
        deliveredAt
        estimatedDeliveryAt
        trackingInfo(first: 3) { company number url }
    """,
    # 199: five points a fulfillment with its location, one for the order, under 1000.
    whole=(199, 1),
    scoped=(location_of("fulfillments"),),
)

FULFILLMENT_DETAILS = StreamDeclaration(
    name="fulfillment_details",
    group="orders",
    node_type="Fulfillment",
    details_of=DetailsOf(stream="order_fulfillments", ids=("fulfillments", "id")),
    bulk=False,
    page_size=20,
    scopes=("read_orders",),
    fields="""
        id
        updatedAt
        order { id }
    """,
    children=(
        Child(
            field="fulfillmentLineItems",
            node_type="FulfillmentLineItem",
            first=5,
            page_size=100,
            fields=f"""
                id
                quantity
                lineItem {{ id }}
                {bag("originalTotalSet")}
                {bag("discountedTotalSet")}
            """,
        ),
    ),
    tables=(
        details_table(
            "fulfillment_line_items",
            "fulfillment_details",
            "fulfillment",
            "fulfillmentLineItems",
            gid("line_item_id", "lineItem"),
            col("quantity", "integer", "quantity"),
            *money_bag("original_total", "originalTotalSet"),
            *money_bag("discounted_total", "discountedTotalSet"),
        ),
    ),
)

#: Shopify grants a fulfillment order's line items to any one of these (its schemas; the
#: fulfillment order itself also to ``read_marketplace_fulfillment_orders``); a merchant's own
#: app usually holds ``read_merchant_managed_fulfillment_orders``.
FULFILLMENT_ORDER_SCOPES = any_of(
    "read_assigned_fulfillment_orders",
    "read_merchant_managed_fulfillment_orders",
    "read_third_party_fulfillment_orders",
)

#: The order a fulfillment order (or one of its line items) belongs to: its ``orderId`` (an ID
#: scalar, so the order itself is not read).
FULFILLMENT_ORDER_ID = Column("order_id", "varchar", ("orderId",), derive="parent")

FULFILLMENT_ORDERS = StreamDeclaration(
    name="fulfillment_orders",
    group="orders",
    node_type="FulfillmentOrder",
    root="fulfillmentOrders",
    arguments="includeClosed: true",
    sort_key="UPDATED_AT",
    page_size=50,
    scopes=("read_orders", FULFILLMENT_ORDER_SCOPES),
    fields="""
        id
        orderId
        orderName
        status
        requestStatus
        createdAt
        updatedAt
        fulfillAt
        orderProcessedAt
        assignedLocation { name countryCode }
    """,
    children=(
        Child(
            field="lineItems",
            node_type="FulfillmentOrderLineItem",
            first=5,
            page_size=100,
            fields="""
                id
                totalQuantity
                remainingQuantity
                sku
                productTitle
                variantTitle
                lineItem { id }
            """,
        ),
    ),
    tables=(
        TableSpec(
            "fulfillment_orders",
            "fulfillment_orders",
            (
                col("id", "varchar", "id"),
                number("fulfillment_order_id"),
                col("order_id", "varchar", "orderId"),
                col("order_name", "varchar", "orderName"),
                col("status", "varchar", "status"),
                col("request_status", "varchar", "requestStatus"),
                col("assigned_location_name", "varchar", "assignedLocation", "name"),
                col("assigned_location_country", "varchar", "assignedLocation", "countryCode"),
                col("fulfill_at", "timestamp", "fulfillAt"),
                col("order_processed_at", "timestamp", "orderProcessedAt"),
                *STAMPS,
            ),
            deleted_with=WITH_ORDER,
        ),
        #: A line item's cursor is its fulfillment order's ``updatedAt``.
        TableSpec(
            "fulfillment_order_line_items",
            "fulfillment_orders",
            (
                col("id", "varchar", "id"),
                number("fulfillment_order_line_item_id"),
                Column("fulfillment_order_id", "varchar", ("id",), derive="parent"),
                FULFILLMENT_ORDER_ID,
                gid("line_item_id", "lineItem"),
                col("sku", "varchar", "sku"),
                col("product_title", "varchar", "productTitle"),
                col("variant_title", "varchar", "variantTitle"),
                col("total_quantity", "integer", "totalQuantity"),
                col("remaining_quantity", "integer", "remainingQuantity"),
                Column(
                    "fulfillment_order_updated_at", "timestamp", ("updatedAt",), derive="parent"
                ),
            ),
            cursor="fulfillment_order_updated_at",
            explode=(connection("lineItems", "FulfillmentOrderLineItem"),),
            deleted_with=WITH_ORDER,
        ),
    ),
)
