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
#: How a value is derived: a path's value cast to the type (an empty path: the row itself, an
#: element of a list of strings); the numeric tail of the gid at the path; the named entry of a
#: ``quantities`` list; a list of strings joined with ``", "``. An exploded row also has:
#: ``parent``, a path into the stream's node (an order line item's order); ``owner``, a path
#: into the node whose list holds the row (a line item for its tax lines, the stream's node for
#: a one-level explode); ``position``, the row's place in that list (from 0); ``kind``, the
#: :attr:`Explode.kind` of its list; ``keyed``, the owner's id, ``#``, the column's ``arg`` and
#: the value at the path or, with no path, the position (the key of a row Shopify gives no id:
#: an order's discount application is its order's and its ``index``, a line item's tax line
#: the line item's and its place, ``<line item gid>#tax0``).
Derivation = Literal[
    "path", "gid_number", "quantity", "join", "parent", "owner", "position", "kind", "keyed"
]
#: The derivations that need an exploded row's context (its list, the nodes above it).
EXPLODED_DERIVATIONS: frozenset[Derivation] = frozenset(
    {"parent", "owner", "position", "kind", "keyed"}
)

DECIMAL_PRECISION, DECIMAL_SCALE = 20, 4


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    path: tuple[str, ...]
    derive: Derivation = "path"
    #: for ``quantity``: the quantity name (``available``, ``on_hand``...); for ``keyed``: what
    #: comes between the ``#`` and the value (``tax``)
    arg: str | None = None


@dataclass(frozen=True)
class Explode:
    """A list of the stream's node whose elements are rows of a table (an order's line items),
    or whose elements each hold a plain list of rows (each line item's tax lines: a two-level
    explode, ``within``).

    A paged fetch lands a child connection inside its record (``lineItems.nodes``) and a plain
    list always inside its node; a bulk operation lands a connection's nodes as child lines of
    their own (``__parentId``, the record's id), which ``row_match`` tells apart. A row's owner
    is the node whose list holds it: the stream's node, or with ``within`` the element of
    ``path`` (the line item), wherever that element was landed.
    """

    #: the list in the stream's node (a connection's ``nodes``, or a plain list)
    path: tuple[str, ...]
    #: the list's elements among a bulk operation's child lines (which hold every nested
    #: connection's nodes): those whose value at the path matches the regular expression.
    #: ``None``: the elements are never child lines (a plain list, a stream never bulk-fetched)
    row_match: tuple[tuple[str, ...], str] | None = None
    #: the plain list in each element of ``path`` that holds the rows (``taxLines``)
    within: tuple[str, ...] = ()
    #: the value of the table's ``kind`` column for these rows, when a table takes its rows
    #: from several lists (``line_item``, ``shipping_line``, ``order``)
    kind: str = ""


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
    #: the lists of the stream's node that hold this table's rows (order line items; a line
    #: item's, a shipping line's and an order's tax lines); none: a row per node
    explode: tuple[Explode, ...] = ()
    #: the subject whose destroy event soft-deletes the rows (``_deleted_at``), if any
    deleted_with: DeletedWith | None = None
    #: rows arrive as bulk child lines (``__parentId`` set) and are kept; other tables drop
    #: child lines, which belong to a nested table (an order's line items)
    child_rows: bool = False

    def __post_init__(self) -> None:
        derived = {c.derive for c in self.columns}
        if not self.explode and derived & EXPLODED_DERIVATIONS:
            raise ValueError(f"{self.name}: {sorted(derived & EXPLODED_DERIVATIONS)} need explode")
        if "kind" in derived and not all(e.kind for e in self.explode):
            raise ValueError(f"{self.name}: a kind column needs every explode's kind")
        if "position" in derived or any(c.derive == "keyed" and not c.path for c in self.columns):
            loose = [e.path for e in self.explode if e.row_match is not None and not e.within]
            if loose:  # a bulk child line is a row of its own, not in a list
                raise ValueError(f"{self.name}: bulk child lines have no position ({loose[0]})")

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
    #: The columns of the row whose value was changed to fit the warehouse (comma-separated;
    #: NULL for almost every row): text over 65,535 bytes cut, NUL characters removed, a JSON
    #: value or ``_raw`` over 65,535 bytes replaced by a stand-in (the raw lake keeps it whole).
    ("_truncated", "varchar"),
)

#: Redshift's limit on one string, in bytes: a ``VARCHAR(65535)`` column, a string in a
#: ``SUPER`` value, ``JSON_PARSE``'s input (16,000,000 only for a workgroup that sets
#: ``enable_large_strings_opt_in``, which this deployment's provider cannot set yet).
MAX_TEXT_BYTES = 65_535


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
    """:attr:`Explode.row_match` of rows that are ``node_type`` nodes, by their gid."""
    return (("id",), f"^gid://shopify/{node_type}/")


def connection(field: str, node_type: str, *, within: str = "", kind: str = "") -> Explode:
    """The nodes of a child connection of ``node_type`` (paged: inside the record; bulk: child
    lines told apart by their gid), or with ``within`` the plain list in each node."""
    return Explode((field, "nodes"), gid_of(node_type), (within,) if within else (), kind)


def quantity(name: str) -> Column:
    return Column(name, "integer", ("quantities",), derive="quantity", arg=name)


STAMPS = (col("created_at", "timestamp", "createdAt"), col("updated_at", "timestamp", "updatedAt"))
