"""QuickSight's view of the warehouse, generated from the table specs.

Terraform cannot read Python, so the dataset columns are exported to
``terraform/quicksight_columns.json`` (``make bi``) and a test fails when the file drifts from
the specs — the same arrangement as the tenant JSON Schema. Every ``reporting`` relation
QuickSight reads is under ``tables``, so each gets a dataset with the same permissions and
row-level security: one per warehouse table, plus ``order_financials`` and ``daily_sales``.
"""

from __future__ import annotations

import json
from typing import Any

from shopsync.warehouse.specs import TABLES, ColumnType

from .finance import VIEW_COLUMNS, ViewColumnType

#: warehouse type -> QuickSight input column type (``_raw`` stays in the warehouse: SUPER is not
#: a QuickSight type, and nobody charts a whole record)
QUICKSIGHT_TYPES: dict[ColumnType, str | None] = {
    "varchar": "STRING",
    "bigint": "INTEGER",
    "integer": "INTEGER",
    "decimal": "DECIMAL",
    "boolean": "BOOLEAN",
    "timestamp": "DATETIME",
    "json": None,
}

#: finance view column type -> QuickSight input column type (a ``DATE`` is a ``DATETIME``)
VIEW_TYPES: dict[ViewColumnType, str] = {
    "varchar": "STRING",
    "bigint": "INTEGER",
    "decimal": "DECIMAL",
    "timestamp": "DATETIME",
    "date": "DATETIME",
}

#: ``reporting.rls_rules``; QuickSight wants the group column named ``GroupName``.
RLS_COLUMNS = [{"name": "groupname", "type": "STRING"}, {"name": "tenant_id", "type": "STRING"}]


def quicksight_columns() -> dict[str, Any]:
    """``{"rls_rules": [...], "tables": {name: [{"name", "type"}, ...]}}`` for the reporting
    views (``tenant_id`` first, the column the row-level security rules filter on)."""
    tables: dict[str, list[dict[str, str]]] = {}
    for name, spec in sorted(TABLES.items()):
        columns = [{"name": "tenant_id", "type": "STRING"}]
        for column, type_ in spec.column_types():
            mapped = QUICKSIGHT_TYPES[type_]
            if mapped is not None:
                columns.append({"name": column, "type": mapped})
        tables[name] = columns
    for name, view_columns in VIEW_COLUMNS.items():
        tables[name] = [{"name": c, "type": VIEW_TYPES[t]} for c, t in view_columns]
    return {"rls_rules": RLS_COLUMNS, "tables": dict(sorted(tables.items()))}


def render() -> str:
    return json.dumps(quicksight_columns(), indent=2) + "\n"


if __name__ == "__main__":
    print(render(), end="")
