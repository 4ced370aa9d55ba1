"""The warehouse's tables, as the stream declarations specify them
(:mod:`shopsync.streams.tables`): the Spark transform, the DuckDB DDL and the Redshift DDL are
all generated from these specs, so the three can never disagree."""

from __future__ import annotations

from shopsync.streams.declarations import TABLES
from shopsync.streams.tables import (
    DECIMAL_PRECISION,
    DECIMAL_SCALE,
    META_COLUMNS,
    Column,
    ColumnType,
    Derivation,
    TableSpec,
)

__all__ = [
    "DECIMAL_PRECISION",
    "DECIMAL_SCALE",
    "DELETED_PRODUCTS_STREAM",
    "DELETION_EVENT_FIELDS",
    "META_COLUMNS",
    "TABLES",
    "Column",
    "ColumnType",
    "Derivation",
    "TableSpec",
    "tables_for_stream",
]

#: The stream of product deletion events: soft-deletes products and their variants.
DELETED_PRODUCTS_STREAM = "deleted_products"
#: What the deletions read of each of its events (``subjectId``: the deleted product's gid).
DELETION_EVENT_FIELDS = ("id", "action", "createdAt", "subjectId", "subjectType")


def tables_for_stream(stream: str) -> list[TableSpec]:
    return [t for t in TABLES.values() if t.stream == stream]
