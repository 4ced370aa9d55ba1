"""Every stream, each declared once in its group's module (:mod:`.model` says what a declaration
holds)."""

from __future__ import annotations

import re

from .customers import CUSTOMERS, DELETED_CUSTOMERS
from .fulfillments import FULFILLMENT_DETAILS, FULFILLMENT_ORDERS, ORDER_FULFILLMENTS
from .inventory import INVENTORY_ITEMS, INVENTORY_LEVELS, LOCATIONS
from .model import (
    STREAM_GROUPS,
    Child,
    Deletes,
    DetailsOf,
    Parents,
    StreamDeclaration,
    StreamGroup,
)
from .orders import DELETED_ORDERS, ORDER_REFUNDS, ORDER_TRANSACTIONS, ORDERS
from .products import DELETED_PRODUCTS, PRODUCT_VARIANTS, PRODUCTS
from .refunds import REFUND_DETAILS
from .tables import TableSpec
from .tenders import TENDER_TRANSACTIONS

__all__ = [
    "BY_NAME",
    "CUSTOMERS",
    "DECLARATIONS",
    "DELETED_CUSTOMERS",
    "DELETED_ORDERS",
    "DELETED_PRODUCTS",
    "DELETIONS",
    "FULFILLMENT_DETAILS",
    "FULFILLMENT_ORDERS",
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
    "TENDER_TRANSACTIONS",
    "Child",
    "Deletes",
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
    TENDER_TRANSACTIONS,
    ORDER_REFUNDS,
    REFUND_DETAILS,
    ORDER_FULFILLMENTS,
    FULFILLMENT_DETAILS,
    FULFILLMENT_ORDERS,
    DELETED_ORDERS,
    CUSTOMERS,
    DELETED_CUSTOMERS,
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
#: Deletions stream -> what it deletes.
DELETIONS: dict[str, Deletes] = {d.name: d.deletes for d in DECLARATIONS if d.deletes is not None}


def _check_deletions(declarations: tuple[StreamDeclaration, ...]) -> None:
    """A deletions stream follows the stream of its subject's records, in the same group (a run
    fetches it after that one), one stream per subject; a table deleted with a subject names a
    subject that has a deletions stream, and columns and tables that exist."""
    seen: dict[str, StreamDeclaration] = {}
    subjects: set[str] = set()
    for d in declarations:
        seen[d.name] = d
        if d.deletes is None:
            continue
        parent = seen.get(d.deletes.stream)
        if parent is None or parent.group != d.group:
            raise ValueError(
                f"{d.name}: deletes {d.deletes.stream}, not an earlier stream of {d.group}"
            )
        if d.deletes.subject in subjects:
            raise ValueError(f"{d.name}: a second deletions stream of {d.deletes.subject}")
        subjects.add(d.deletes.subject)
    tables = {t.name: t for d in declarations for t in d.tables}
    for table in tables.values():
        deleted_with = table.deleted_with
        if deleted_with is None:
            continue
        if deleted_with.subject not in subjects:
            raise ValueError(f"{table.name}: no deletions stream of {deleted_with.subject}")
        hops = [(t, "id") for t, _ in deleted_with.via] + list(deleted_with.via)
        for name, column in [(table.name, deleted_with.key), *hops]:
            if name not in tables or column not in tables[name].column_names:
                raise ValueError(
                    f"{table.name}: deleted with {deleted_with.subject}: no {name}.{column}"
                )


_check_deletions(DECLARATIONS)
