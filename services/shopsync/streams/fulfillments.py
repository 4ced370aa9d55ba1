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
from .orders import bag, details_table, order_list_stream
from .tables import STAMPS, col, gid, money_bag

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
