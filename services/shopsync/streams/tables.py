"""The warehouse tables a stream feeds: columns and types, primary key, cursor, and where each
value comes from in the raw node. Each stream's declaration holds its table specs; the Spark
transform, the DuckDB DDL and the Redshift DDL are all generated from them, so the three can
never disagree.

Column sources are JSON paths into the node exactly as the stream's declaration selects it; a
test fails when a column's path is not selected. Every table also carries :data:`META_COLUMNS`.

This module is plain data and imports nothing of shopsync.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["varchar", "bigint", "integer", "decimal", "boolean", "timestamp", "json"]
#: How a value is derived: a path's value cast to the type; the numeric tail of the gid at the
#: path; the named entry of a ``quantities`` list; a list of strings joined with ``", "``; a
#: path into the parent node of an exploded list (an order line item's order); the parent's
#: id, ``#`` and the value at the path (the key of a row Shopify gives no id: an order's
#: discount application is its order's and its ``index``).
Derivation = Literal["path", "gid_number", "quantity", "join", "parent", "keyed"]

DECIMAL_PRECISION, DECIMAL_SCALE = 20, 4


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    path: tuple[str, ...]
    derive: Derivation = "path"
    #: for ``quantity``: the quantity name (``available``, ``on_hand``...)
    arg: str | None = None


@dataclass(frozen=True)
class DeletedWith:
    """A table's rows go when Shopify destroys their subject: a product takes its variants,
    their inventory items and levels; an order takes its line items, transactions, refunds and
    the refunds' lines. The subject's destroy event (a deletions stream) names its gid.

    The row holds that gid in ``key``, or reaches it through ``via``: ``(table, column)`` hops,
    where the row's ``key`` is ``table``'s ``id`` and ``column`` leads on; the last hop's column
    holds the subject's gid.
    """

    #: Shopify's ``EventSubjectType`` of the subject: ``PRODUCT``, ``ORDER``, ``CUSTOMER``.
    subject: str
    key: str = "id"
    via: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TableSpec:
    name: str
    #: the raw stream whose parts feed this table
    stream: str
    columns: tuple[Column, ...]
    primary_key: str = "id"
    cursor: str = "updated_at"
    #: the nested list of the stream's node that holds this table's rows (order line items)
    explode: tuple[str, ...] = ()
    #: the subject whose destroy event soft-deletes the rows (``_deleted_at``), if any
    deleted_with: DeletedWith | None = None
    #: rows arrive as bulk child lines (``__parentId`` set) and are kept; other tables drop
    #: child lines, which belong to a nested table (an order's line items)
    child_rows: bool = False
    #: an exploded table's rows among a bulk operation's child lines (which hold every nested
    #: connection's nodes): those whose value at the path matches the regular expression
    row_match: tuple[tuple[str, ...], str] | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns) + tuple(c for c, _ in META_COLUMNS)

    def column_types(self) -> list[tuple[str, ColumnType]]:
        return [(c.name, c.type) for c in self.columns] + list(META_COLUMNS)


META_COLUMNS: tuple[tuple[str, ColumnType], ...] = (
    ("_tenant_id", "varchar"),
    ("_run_id", "varchar"),
    ("_synced_at", "timestamp"),
    ("_deleted_at", "timestamp"),
    ("_raw", "json"),
)


def col(name: str, type_: ColumnType, *path: str) -> Column:
    return Column(name, type_, tuple(path))


def gid(name: str, *path: str) -> Column:
    return col(name, "varchar", *path, "id")


def number(name: str) -> Column:
    return Column(name, "bigint", ("id",), derive="gid_number")


def money(name: str, *path: str) -> tuple[Column, Column]:
    return (
        col(name, "decimal", *path, "amount"),
        col(f"{name}_currency", "varchar", *path, "currencyCode"),
    )


def money_bag(name: str, *path: str) -> tuple[Column, ...]:
    """A ``MoneyBag``: the amount in the shop's currency and in the one the buyer saw."""
    return (
        *money(name, *path, "shopMoney"),
        *money(f"{name}_presentment", *path, "presentmentMoney"),
    )


def gid_of(node_type: str) -> tuple[tuple[str, ...], str]:
    """:attr:`TableSpec.row_match` of rows that are ``node_type`` nodes, by their gid."""
    return (("id",), f"^gid://shopify/{node_type}/")


def quantity(name: str) -> Column:
    return Column(name, "integer", ("quantities",), derive="quantity", arg=name)


STAMPS = (col("created_at", "timestamp", "createdAt"), col("updated_at", "timestamp", "updatedAt"))
