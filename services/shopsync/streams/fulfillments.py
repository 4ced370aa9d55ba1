"""An order's fulfillments and their line items.

``Order.fulfillments`` is a list: the ``order_fulfillments`` stream lists the window's orders
again and lands each one's fulfillments (creating a fulfillment, and a change of its status,
changes the order's ``updatedAt``, so the orders window carries them). A fulfillment's line
items are a connection inside that list, which bulk operations refuse: the
``fulfillment_details`` stream reads the fulfillments the run landed by id, in batches, as
:mod:`.refunds` does for refunds. No ``location``: it needs ``read_locations`` or
``read_inventory`` besides ``read_orders``.
"""

from __future__ import annotations

from .model import Child, DetailsOf, StreamDeclaration
from .orders import WITH_ORDER, bag, order_list_stream
from .tables import STAMPS, Column, TableSpec, col, gid, money_bag, number

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
        TableSpec(
            "fulfillment_line_items",
            "fulfillment_details",
            (
                col("id", "varchar", "id"),
                number("fulfillment_line_item_id"),
                Column("fulfillment_id", "varchar", ("id",), derive="parent"),
                Column("order_id", "varchar", ("order", "id"), derive="parent"),
                Column("fulfillment_updated_at", "timestamp", ("updatedAt",), derive="parent"),
                gid("line_item_id", "lineItem"),
                col("quantity", "integer", "quantity"),
                *money_bag("original_total", "originalTotalSet"),
                *money_bag("discounted_total", "discountedTotalSet"),
            ),
            cursor="fulfillment_updated_at",
            explode=("fulfillmentLineItems", "nodes"),
            deleted_with=WITH_ORDER,
        ),
    ),
)
