"""A small warehouse for the status tests, written with the generated DDL into any DuckDB
connection (a local file, or the Data API twin's database).

- ``acme``: two loaded runs with cursors; a failed check that a later run cleared, a failed
  check that stands, and a failed run-level check (no table); the first run skipped
  ``customers``, the latest skipped ``orders`` (missing ``read_orders``);
- ``acme_corp`` (a look-alike id): one run, a later pass of the check that stands failed for
  ``acme`` (it must not clear acme's), and a schema that lacks ``customers`` (a table the
  specs gained after its last load);
- anyone else: never loaded (no schema, no ledger rows).
"""

# ruff: noqa: S608 - test data with literal values

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from shopsync.warehouse import sql
from shopsync.warehouse.specs import TABLES

R1, R2 = "20261124T100000Z-00000001", "20261124T110000Z-00000002"
C1 = "20261124T100000Z-0000000c"
LOADED_1 = datetime(2026, 11, 24, 10, 5, tzinfo=UTC)
LOADED_2 = datetime(2026, 11, 24, 11, 5, 30, 250000, tzinfo=UTC)
SYNCED = datetime(2026, 11, 24, 11, 0, 1, tzinfo=UTC)
DELETED = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
LATER = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _ledger(tenant: str, run: str, stream: str, at: datetime, cursor: str | None) -> str:
    return (
        f"INSERT INTO {sql.LEDGER} (tenant_id, run_id, stream, rows, loaded_at, records, mode, "
        f"cursor_to) VALUES ({sql.literal(tenant)}, {sql.literal(run)}, {sql.literal(stream)}, "
        f"1, {sql.literal(at)}, 1, 'incremental', {sql.literal(cursor)})"
    )


def _check(
    tenant: str, run: str, table: str | None, check: str, status: str, at: datetime, detail: str
) -> str:
    return (
        f"INSERT INTO {sql.CHECKS} (tenant_id, run_id, table_name, check_name, status, "
        f"observed, expected, detail, checked_at) VALUES ({sql.literal(tenant)}, "
        f"{sql.literal(run)}, {sql.literal(table)}, {sql.literal(check)}, "
        f"{sql.literal(status)}, 1, 2, {sql.literal(detail)}, {sql.literal(at)})"
    )


def _skipped(tenant: str, run: str, stream: str, scope: str, at: datetime) -> str:
    return (
        f"INSERT INTO {sql.SKIPPED} (tenant_id, run_id, stream, missing_scope, loaded_at) "
        f"VALUES ({sql.literal(tenant)}, {sql.literal(run)}, {sql.literal(stream)}, "
        f"{sql.literal(scope)}, {sql.literal(at)})"
    )


def _row(tenant: str, table: str, n: int, deleted: datetime | None) -> str:
    return (
        f"INSERT INTO {sql.tenant_schema(tenant)}.{table} (id, _tenant_id, _run_id, _synced_at, "
        f"_deleted_at) VALUES ('gid://shopify/{table}/{n}', {sql.literal(tenant)}, "
        f"{sql.literal(R2)}, {sql.literal(SYNCED)}, {sql.literal(deleted)})"
    )


def populate(con: duckdb.DuckDBPyConnection) -> None:
    statements = sql.ops_ddl(sql.DUCKDB)
    statements += sql.schema_ddl(sql.DUCKDB, "acme", TABLES.values())
    statements += sql.schema_ddl(sql.DUCKDB, "acme_corp", TABLES.values())
    statements += [
        "DROP TABLE shop_acme_corp.customers",
        _ledger("acme", R1, "products", LOADED_1, "2026-11-24T09:00:00Z"),
        _ledger("acme", R1, "orders", LOADED_1, "2026-11-24T09:30:00Z"),
        _ledger("acme", R1, sql.MANIFEST_STREAM, LOADED_1, None),
        _ledger("acme", R2, "products", LOADED_2, "2026-11-24T10:00:00Z"),
        _ledger("acme", R2, sql.MANIFEST_STREAM, LOADED_2, None),
        _ledger("acme_corp", C1, "products", LOADED_1, "2026-11-01T00:00:00Z"),
        _skipped("acme", R1, "customers", "read_customers", LOADED_1),
        _skipped("acme", R2, "orders", "read_orders", LOADED_2),
        _check("acme", R1, "products", "rows_vs_records", "failed", LOADED_1, "1 != 2"),
        _check("acme", R2, "products", "rows_vs_records", "passed", LOADED_2, ""),
        _check("acme", R1, "orders", "pk_unique", "passed", LOADED_1, ""),
        _check("acme", R2, "orders", "pk_unique", "failed", LOADED_2, "2 duplicate keys"),
        _check("acme", R2, None, "freshness", "failed", LOADED_2, "newest row 49h old"),
        _check("acme_corp", C1, "products", "pk_unique", "passed", LOADED_1, ""),
        _check("acme_corp", C1, "orders", "pk_unique", "passed", LATER, ""),
        _row("acme", "products", 1, None),
        _row("acme", "products", 2, None),
        _row("acme", "products", 3, DELETED),
        _row("acme", "orders", 1, None),
        _row("acme_corp", "products", 1, None),
    ]
    for statement in statements:
        con.execute(statement)
