"""Every stream, each declared once in its group's module (:mod:`.model` says what a declaration
holds)."""

from __future__ import annotations

import re

from .customers import CUSTOMERS
from .fulfillments import FULFILLMENT_DETAILS, ORDER_FULFILLMENTS
from .inventory import INVENTORY_ITEMS, INVENTORY_LEVELS, LOCATIONS
from .model import STREAM_GROUPS, Child, DetailsOf, Parents, StreamDeclaration, StreamGroup
from .orders import ORDER_REFUNDS, ORDER_TRANSACTIONS, ORDERS
from .products import DELETED_PRODUCTS, PRODUCT_VARIANTS, PRODUCTS
from .refunds import REFUND_DETAILS
from .tables import TableSpec

__all__ = [
    "BY_NAME",
    "CUSTOMERS",
    "DECLARATIONS",
    "DELETED_PRODUCTS",
    "FULFILLMENT_DETAILS",
    "INVENTORY_ITEMS",
    "INVENTORY_LEVELS",
    "LOCATIONS",
    "ORDERS",
    "ORDER_FULFILLMENTS",
    "ORDER_REFUNDS",
    "ORDER_TRANSACTIONS",
    "PRODUCTS",
    "PRODUCT_VARIANTS",
    "REFUND_DETAILS",
    "STREAM_GROUPS",
    "TABLES",
    "Child",
    "DetailsOf",
    "Parents",
    "StreamDeclaration",
    "StreamGroup",
]

#: Every stream, in the order a run fetches them (within a group).
DECLARATIONS: tuple[StreamDeclaration, ...] = (
    PRODUCTS,
    PRODUCT_VARIANTS,
    DELETED_PRODUCTS,
    INVENTORY_ITEMS,
    INVENTORY_LEVELS,
    LOCATIONS,
    ORDERS,
    ORDER_TRANSACTIONS,
    ORDER_REFUNDS,
    REFUND_DETAILS,
    ORDER_FULFILLMENTS,
    FULFILLMENT_DETAILS,
    CUSTOMERS,
)
BY_NAME: dict[str, StreamDeclaration] = {d.name: d for d in DECLARATIONS}


def _check_details(declarations: tuple[StreamDeclaration, ...]) -> None:
    """A details stream follows the stream that lists its ids, in the same group (a run fetches
    it after that one, and skips it with it), and that stream selects the list."""
    seen: dict[str, StreamDeclaration] = {}
    for d in declarations:
        of = d.details_of
        parent = seen.get(of.stream) if of is not None else None
        if of is not None and (parent is None or parent.group != d.group):
            raise ValueError(
                f"{d.name}: details of {of.stream}, not an earlier stream of {d.group}"
            )
        if (
            of is not None
            and parent is not None
            and not re.search(rf"\b{of.ids[0]}\b", parent.fields)
        ):
            raise ValueError(f"{d.name}: {of.stream} does not select {of.ids[0]}")
        seen[d.name] = d


_check_details(DECLARATIONS)
#: Every warehouse table, in declaration order.
TABLES: dict[str, TableSpec] = {t.name: t for d in DECLARATIONS for t in d.tables}
