"""The reporting layer (ARCHITECTURE §5): ``reporting.<table>``, one table per warehouse table
with every tenant's rows and a ``tenant_id`` column; the finance views over them
(:mod:`.finance`); and ``reporting.rls_rules``, the rules QuickSight's row-level security reads.

Tables kept in step by each tenant run, not views that union every tenant. A view spells out
every tenant's ``SELECT``: ``reporting.orders`` took 1,069 bytes of SQL per tenant, so its
``CREATE VIEW`` passed the Data API's 100 KB statement limit at ~93 tenants, and at 5,000
tenants each of the 23 views would be ~5 MB of SQL recompiled on every refresh (views over
chunked unions would need ~60 statements for ``orders`` alone, more than a Data API batch
holds). A table costs a run only what the run changed: for each table it changed, two
statements inside the run's own transaction (:func:`run_refresh`: the tenant's reporting rows
of the keys the run changed are deleted, then inserted again from the tenant's table), whose
text does not grow with the number of tenants; every change to a tenant's row sets its
``_run_id`` (the MERGE, the snapshot soft delete, the deletions), so ``_run_id = <run>`` finds
exactly what changed. The reporting rows and the tenant's rows commit together: QuickSight
never sees a run half applied, and a run replayed after a crash rewrites the same rows.

The cost is storage: each typed row is stored twice (``_raw``, the whole Shopify document and
most of a row's bytes, stays in the tenant's table: SUPER is not a QuickSight type). A tenant
whose rows the tables do not hold yet (one that existed before this layout) is copied whole
once (:func:`backfill`) and recorded in ``shopsync_ops.reporting_tenants``; a tenant created
since is recorded with its schema (:func:`mark`), empty. Row-level security is unchanged: the
same ``tenant_id`` column, the same rules.
"""

# ruff: noqa: S608 - SQL is generated from specs; identifiers are validated, literals quoted

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from shopsync.warehouse.specs import TABLES, ColumnType, TableSpec
from shopsync.warehouse.sql import (
    REPORTING_SCHEMA,
    REPORTING_TENANTS,
    RLS_RULES,
    Dialect,
    literal,
    run_literal,
    tenant_literal,
    tenant_schema,
)

from .finance import finance_views

#: The longest statement these functions generate from a list (rules, schemas): well under the
#: Data API's 100 KB limit on one statement's text, whatever the number of tenants.
MAX_STATEMENT_BYTES = 64_000


def reporting_table(table: str) -> str:
    return f"{REPORTING_SCHEMA}.{table}"


def reporting_columns(spec: TableSpec) -> list[tuple[str, ColumnType]]:
    """``tenant_id``, then the table's columns but the JSON ones (``_raw``)."""
    tenant: tuple[str, ColumnType] = ("tenant_id", "varchar")
    return [tenant, *((n, t) for n, t in spec.column_types() if t != "json")]


def _copied(spec: TableSpec) -> str:
    """The tenant table's columns a reporting row copies, in order."""
    return ", ".join(n for n, _ in reporting_columns(spec)[1:])


def layout_query() -> str:
    """``(table_name, column_name)`` of the base tables in ``reporting``, in column order (a
    view of the same name, as earlier versions made, is not among them)."""
    return (
        "SELECT c.table_name, c.column_name FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_schema = c.table_schema "
        "AND t.table_name = c.table_name "
        f"WHERE c.table_schema = {literal(REPORTING_SCHEMA)} AND t.table_type = 'BASE TABLE' "
        "ORDER BY c.table_name, c.ordinal_position"
    )


def layout_statements(dialect: Dialect, existing: Mapping[str, Sequence[str]]) -> list[str]:
    """The reporting tables the specs want, from ``existing`` (:func:`layout_query`'s): a table
    that is missing is created (a view of its name, from the union-view layout, is dropped
    first), a table that lacks a column the spec gained gets it. Nothing when all is there."""
    out: list[str] = []
    for name, spec in TABLES.items():
        have = {c.lower() for c in existing.get(name, ())}
        target = reporting_table(name)
        if not have:
            columns = ", ".join(
                f"{n} {dialect.type_of(t)}{' NOT NULL' if n == 'tenant_id' else ''}"
                for n, t in reporting_columns(spec)
            )
            out += [
                f"DROP VIEW IF EXISTS {target}",
                f"CREATE TABLE {target} ({columns}){dialect.reporting_table_suffix}",
            ]
        else:
            out += [
                f"ALTER TABLE {target} ADD COLUMN {n} {dialect.type_of(t)}"
                for n, t in reporting_columns(spec)
                if n.lower() not in have
            ]
    return out


def run_refresh(tenant_id: str, run_id: str, spec: TableSpec) -> list[str]:
    """The reporting rows of what the run changed in the tenant's ``spec`` table, inside the
    run's transaction: the rows of the keys it changed go, then come back as they are now."""
    schema, tenant, run = tenant_schema(tenant_id), literal(tenant_id), run_literal(run_id)
    target, source, pk = reporting_table(spec.name), f"{schema}.{spec.name}", spec.primary_key
    columns = _copied(spec)
    return [
        f"DELETE FROM {target} USING {source} s WHERE {target}.tenant_id = {tenant} "
        f"AND {target}.{pk} = s.{pk} AND s._run_id = {run}",
        f"INSERT INTO {target} (tenant_id, {columns}) SELECT {tenant}, {columns} FROM {source} "
        f"WHERE _run_id = {run}",
    ]


def backfill(tenant_id: str, tables: Iterable[str]) -> list[str]:
    """Every row of the tenant's ``tables`` into the reporting tables (its earlier reporting
    rows replaced), then the tenant recorded as held: the copy of a tenant that existed before
    the reporting tables did. Replayed after a failure, it copies the same rows again."""
    schema, tenant = tenant_schema(tenant_id), literal(tenant_id)
    out: list[str] = []
    for name in sorted(tables):
        columns = _copied(TABLES[name])
        out += [
            f"DELETE FROM {reporting_table(name)} WHERE tenant_id = {tenant}",
            f"INSERT INTO {reporting_table(name)} (tenant_id, {columns}) "
            f"SELECT {tenant}, {columns} FROM {schema}.{name}",
        ]
    return [*out, mark(tenant_id)]


def mark(tenant_id: str) -> str:
    """Record that the reporting tables hold the tenant's rows (once)."""
    tenant = tenant_literal(tenant_id)
    return (
        f"INSERT INTO {REPORTING_TENANTS} (tenant_id, since) SELECT {tenant}, CURRENT_TIMESTAMP "
        f"WHERE NOT EXISTS (SELECT 1 FROM {REPORTING_TENANTS} WHERE tenant_id = {tenant})"
    )


def held_query() -> str:
    """``(tenant_id,)`` of every tenant the reporting tables hold."""
    return f"SELECT tenant_id FROM {REPORTING_TENANTS}"


def packed(head: str, items: Sequence[str], tail: str = "", *, separator: str = ", ") -> list[str]:
    """``head``, as many of ``items`` as fit in :data:`MAX_STATEMENT_BYTES`, ``tail``: as many
    statements as it takes (none for no items)."""
    out: list[str] = []
    current: list[str] = []
    empty = len(head.encode()) + len(tail.encode())
    size = empty
    for item in items:
        grows = len(item.encode()) + len(separator)
        if current and size + grows > MAX_STATEMENT_BYTES:
            out.append(head + separator.join(current) + tail)
            current, size = [], empty
        current.append(item)
        size += grows
    if current:
        out.append(head + separator.join(current) + tail)
    return out


#: shopsync's administrators: sees every tenant (Terraform's ``quicksight_admin_group`` default;
#: the local rules give it every tenant, as the deployed ones do).
ADMIN_GROUP = "shopsync-admins"

#: The session's table the new rules are written to before they replace the old ones.
RLS_NEXT = "rls_rules_next"


def rls_rules(dialect: Dialect, rules: Iterable[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Replace ``reporting.rls_rules`` with ``(groupname, tenant_id)`` pairs: ``(stage,
    swap)``.

    ``stage`` writes the rules to a temporary table of the session, in multi-row ``INSERT``
    statements of at most :data:`MAX_STATEMENT_BYTES` (as many as the rules need: they may
    span several Data API batches of one session); ``swap`` replaces the rules with them in
    three statements, whatever their number, so the rules are never seen empty or half
    written by anyone else.
    """
    rows = []
    for group, tenant in sorted(set(rules)):
        if not re.fullmatch(r"[\w+=,.@-]{1,128}", group):
            raise ValueError(f"invalid QuickSight group name {group!r}")
        rows.append(f"({literal(group)}, {tenant_literal(tenant)})")
    vc = dialect.type_of("varchar")
    stage = [
        f"DROP TABLE IF EXISTS {RLS_NEXT}",
        f"CREATE TEMP TABLE {RLS_NEXT} (groupname {vc} NOT NULL, tenant_id {vc} NOT NULL)",
        *packed(f"INSERT INTO {RLS_NEXT} (groupname, tenant_id) VALUES ", rows),
    ]
    swap = [
        f"DELETE FROM {RLS_RULES}",
        f"INSERT INTO {RLS_RULES} (groupname, tenant_id) SELECT groupname, tenant_id "
        f"FROM {RLS_NEXT}",
        f"DROP TABLE {RLS_NEXT}",
    ]
    return stage, swap


def refresh_statements(
    dialect: Dialect, rules: Iterable[tuple[str, str]]
) -> tuple[list[str], list[str]]:
    """The reporting refresh after a job's loads: ``(stage, apply)``: the new rules staged, then
    the finance views (over the reporting tables: the same two statements for any number of
    tenants) and the rules swapped in, one transaction."""
    stage, swap = rls_rules(dialect, rules)
    return stage, finance_views(dialect) + swap
