"""The reporting layer (ARCHITECTURE §5): ``reporting.<table>`` views over every tenant's
schema, the finance views over those (:mod:`.finance`), and ``reporting.rls_rules``, the rules
QuickSight's row-level security reads."""

# ruff: noqa: S608 - SQL is generated from specs; identifiers are validated, literals quoted

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from shopsync.warehouse.specs import TABLES, TableSpec
from shopsync.warehouse.sql import (
    REPORTING_SCHEMA,
    RLS_RULES,
    Dialect,
    column_list,
    literal,
    tenant_schema,
)

from .finance import finance_views


def reporting_view(dialect: Dialect, spec: TableSpec, tenant_ids: Sequence[str]) -> str:
    """``reporting.<table>``: every tenant's rows with a ``tenant_id`` column."""
    cols = column_list(spec)
    parts = [
        f"SELECT {literal(t)} AS tenant_id, {cols} FROM {tenant_schema(t)}.{spec.name}"
        for t in sorted(tenant_ids)
    ]
    if not parts:  # no tenant yet: an empty view with the right columns
        casts = ", ".join(
            f"CAST(NULL AS {dialect.type_of(t)}) AS {n}" for n, t in spec.column_types()
        )
        parts = [
            f"SELECT CAST(NULL AS {dialect.type_of('varchar')}) AS tenant_id, {casts} WHERE 1 = 0"
        ]
    body = " UNION ALL ".join(parts)
    return f"CREATE OR REPLACE VIEW {REPORTING_SCHEMA}.{spec.name} AS {body}{dialect.view_suffix}"


def reporting_views(dialect: Dialect, tenants: Mapping[str, Sequence[str]]) -> list[str]:
    """Every reporting view, in the order they are created: one per table (``tenants``: table
    -> the tenants whose schema has it), then ``order_financials`` and ``daily_sales``, which
    read them."""
    tables = [reporting_view(dialect, spec, tenants.get(spec.name, [])) for spec in TABLES.values()]
    return tables + finance_views(dialect)


#: Rows per ``INSERT`` into ``reporting.rls_rules``. A row is at most ~180 characters (a group
#: name of up to 128, a tenant id of up to 40), so a chunk stays far below the Data API's limit
#: on one statement's text (100 KB), and 40 statements per batch hold thousands of rules.
RLS_ROWS_PER_INSERT = 200


def rls_rules(rules: Iterable[tuple[str, str]]) -> list[str]:
    """Replace ``reporting.rls_rules`` with ``(groupname, tenant_id)`` pairs.

    ``DELETE`` then one multi-row ``INSERT ... VALUES (...), (...)`` per
    :data:`RLS_ROWS_PER_INSERT` rules (both Redshift and DuckDB take it), so the statement count
    grows by one per 200 rules, not one per rule: the refresh runs in one Data API batch,
    which takes at most 40 statements.
    """
    rows = []
    for group, tenant in sorted(set(rules)):
        if not re.fullmatch(r"[\w+=,.@-]{1,128}", group):
            raise ValueError(f"invalid QuickSight group name {group!r}")
        rows.append(f"({literal(group)}, {literal(tenant_schema(tenant)[5:])})")
    return [f"DELETE FROM {RLS_RULES}"] + [
        f"INSERT INTO {RLS_RULES} (groupname, tenant_id) VALUES "
        + ", ".join(rows[start : start + RLS_ROWS_PER_INSERT])
        for start in range(0, len(rows), RLS_ROWS_PER_INSERT)
    ]
