"""Every stream, each declared once in its group's module (:mod:`.model` says what a declaration
holds)."""

from __future__ import annotations

from .customers import CUSTOMERS
from .inventory import INVENTORY_ITEMS, INVENTORY_LEVELS, LOCATIONS
from .model import STREAM_GROUPS, Child, Parents, StreamDeclaration, StreamGroup
from .orders import ORDER_REFUNDS, ORDER_TRANSACTIONS, ORDERS
from .products import DELETED_PRODUCTS, PRODUCT_VARIANTS, PRODUCTS
from .tables import TableSpec

__all__ = [
    "BY_NAME",
    "CUSTOMERS",
    "DECLARATIONS",
    "DELETED_PRODUCTS",
    "INVENTORY_ITEMS",
    "INVENTORY_LEVELS",
    "LOCATIONS",
    "ORDERS",
    "ORDER_REFUNDS",
    "ORDER_TRANSACTIONS",
    "PRODUCTS",
    "PRODUCT_VARIANTS",
    "STREAM_GROUPS",
    "TABLES",
    "Child",
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
    CUSTOMERS,
)
BY_NAME: dict[str, StreamDeclaration] = {d.name: d for d in DECLARATIONS}
#: Every warehouse table, in declaration order.
TABLES: dict[str, TableSpec] = {t.name: t for d in DECLARATIONS for t in d.tables}
