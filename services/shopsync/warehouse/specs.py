"""The warehouse's tables, as the stream declarations specify them
(:mod:`shopsync.streams.tables`): the Spark transform, the DuckDB DDL and the Redshift DDL are
all generated from these specs, so the three can never disagree."""

from __future__ import annotations

from shopsync.streams.declarations import DELETIONS, TABLES
from shopsync.streams.deletions import EVENT_FIELDS as DELETION_EVENT_FIELDS
from shopsync.streams.tables import (
    DECIMAL_PRECISION,
    DECIMAL_SCALE,
    EXPLODED_DERIVATIONS,
    MAX_TEXT_BYTES,
    META_COLUMNS,
    Column,
    ColumnType,
    DeletedWith,
    Derivation,
    Explode,
    TableSpec,
)

__all__ = [
    "DECIMAL_PRECISION",
    "DECIMAL_SCALE",
    "DELETIONS",
    "DELETION_EVENT_FIELDS",
    "EXPLODED_DERIVATIONS",
    "MAX_TEXT_BYTES",
    "META_COLUMNS",
    "TABLES",
    "Column",
    "ColumnType",
    "DeletedWith",
    "Derivation",
    "Explode",
    "TableSpec",
    "tables_for_stream",
]


def tables_for_stream(stream: str) -> list[TableSpec]:
    return [t for t in TABLES.values() if t.stream == stream]
