"""The reporting tables on DuckDB: hundreds of tenants loaded run by run, each row-level
security group sees exactly its tenants' rows; the union views of an earlier version become
tables with every tenant's rows copied once."""

# ruff: noqa: S608 - the tests' own SQL over fixed identifiers

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from shopsync.reporting import finance
from shopsync.reporting import tables as reporting_tables
from shopsync.warehouse import sql
from shopsync.warehouse.base import RunLoad, TableLoad
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse
from shopsync.warehouse.specs import TABLES
from tests.unit.warehouse.twin import write_deletions, write_parquet

R1, R2 = "20261124T100000Z-00000001", "20261124T110000Z-00000002"
T9 = datetime(2026, 11, 24, 9, tzinfo=UTC)
T10 = datetime(2026, 11, 24, 10, tzinfo=UTC)
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
#: Look-alike ids among them: ``acme`` and ``acme_corp``, ``store_1`` and ``store_10``.
TENANTS = ["acme", "acme_corp", "store_1", "store_10", *[f"store_{i:03d}" for i in range(296)]]
PRODUCTS = TABLES["products"]
COPIED = ", ".join(n for n, _ in reporting_tables.reporting_columns(PRODUCTS)[1:])


def _product(tenant: str, n: int, title: str, updated: datetime, run: str) -> dict[str, Any]:
    return {
        "id": f"gid://shopify/Product/{n}",
        "product_id": n,
        "title": title,
        "updated_at": updated,
        "_tenant_id": tenant,
        "_run_id": run,
        "_synced_at": NOW,
        "_raw": f'{{"id": "gid://shopify/Product/{n}"}}',
    }


def _run(tenant: str, run: str, location: str, records: int, **kwargs: Any) -> RunLoad:
    return RunLoad(
        tenant_id=tenant,
        run_id=run,
        mode="incremental",
        started_at=NOW,
        tables=(TableLoad("products", location, records=records),),
        stream_records={"products": records},
        **kwargs,
    )


def _truth(con: duckdb.DuckDBPyConnection, tenants: list[str]) -> list[tuple[Any, ...]]:
    """The tenants' own rows, as the reporting table should hold them."""
    rows: list[tuple[Any, ...]] = []
    for tenant in tenants:
        rows += con.execute(
            f"SELECT '{tenant}', {COPIED} FROM {sql.tenant_schema(tenant)}.products"
        ).fetchall()
    return sorted(rows, key=lambda r: (r[0], r[1]))


def _seen_by(con: duckdb.DuckDBPyConnection, group: str) -> list[tuple[Any, ...]]:
    """What QuickSight shows a member of ``group``: the rows whose tenant_id a rule of the
    group names (its row-level security), nothing without a rule."""
    return con.execute(
        f"SELECT tenant_id, {COPIED} FROM reporting.products WHERE tenant_id IN "
        "(SELECT tenant_id FROM reporting.rls_rules WHERE groupname = ?) ORDER BY 1, 2",
        [group],
    ).fetchall()


def test_three_hundred_tenants_each_group_sees_exactly_its_tenants_rows(tmp_path: Path) -> None:
    warehouse = DuckDBWarehouse(tmp_path / "warehouse.duckdb")
    assert warehouse.prepare() == []
    first = [_product(t, n, f"{t} #{n}", T9, R1) for t in TENANTS for n in (1, 2, 3)]
    batch = write_parquet(tmp_path / "b1" / "products", PRODUCTS, first)
    with warehouse.batch():
        for tenant in TENANTS:
            warehouse.load_run(_run(tenant, R1, batch, 3), loaded_at=NOW)
    # A later run of acme: product 1 changed, product 2 destroyed; acme_corp's ids are the same.
    changed = write_parquet(
        tmp_path / "b2" / "products", PRODUCTS, [_product("acme", 1, "renamed", T10, R2)]
    )
    deleted = write_deletions(
        tmp_path / "b2" / "deleted", R2, [("PRODUCT", "gid://shopify/Product/2", T10)]
    )
    warehouse.load_run(_run("acme", R2, changed, 1, deletions=deleted), loaded_at=NOW)
    rules = [(f"{t}-analysts", t) for t in TENANTS]
    rules += [("north", "acme"), ("north", "store_10"), ("north", "store_123")]
    warehouse.refresh_reporting(rules)

    with warehouse.connect(read_only=True) as con:
        everything = con.execute(f"SELECT tenant_id, {COPIED} FROM reporting.products").fetchall()
        assert sorted(everything, key=lambda r: (r[0], r[1])) == _truth(con, TENANTS)
        assert len(everything) == 3 * len(TENANTS)
        for tenant in TENANTS:
            assert _seen_by(con, f"{tenant}-analysts") == _truth(con, [tenant]), tenant
        assert _seen_by(con, "north") == _truth(con, ["acme", "store_10", "store_123"])
        assert _seen_by(con, "nobody") == []
        acme = con.execute(
            "SELECT id, title, _deleted_at IS NOT NULL FROM reporting.products "
            "WHERE tenant_id = 'acme' ORDER BY id"
        ).fetchall()
    assert acme == [
        ("gid://shopify/Product/1", "renamed", False),
        ("gid://shopify/Product/2", "acme #2", True),
        ("gid://shopify/Product/3", "acme #3", False),
    ]


def test_the_union_views_of_an_earlier_version_become_tables(tmp_path: Path) -> None:
    """A warehouse as the union-view layout left it (the views, the finance views over them,
    a tenant's rows): the next job's ``prepare`` makes the tables and copies the tenant in."""
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    for statement in sql.ops_ddl(sql.DUCKDB) + sql.schema_ddl(sql.DUCKDB, "acme", TABLES.values()):
        con.execute(statement)
    con.execute(
        "INSERT INTO shop_acme.products (id, title, _run_id) "
        "VALUES ('gid://shopify/Product/1', 'hat', ?)",
        [R1],
    )
    for name, spec in TABLES.items():
        columns = ", ".join(spec.column_names)
        con.execute(
            f"CREATE VIEW reporting.{name} AS SELECT 'acme' AS tenant_id, {columns} "
            f"FROM shop_acme.{name}"
        )
    for statement in finance.finance_views(sql.DUCKDB):
        con.execute(statement)
    con.execute("DROP TABLE shopsync_ops.reporting_tenants")  # the earlier version had none
    con.close()

    warehouse = DuckDBWarehouse(path)
    assert warehouse.prepare() == []
    warehouse.refresh_reporting([("acme-analysts", "acme")])
    with warehouse.connect(read_only=True) as con:
        kinds = con.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_schema = 'reporting'"
        ).fetchall()
        assert {t for t, kind in kinds if kind == "BASE TABLE"} == {*TABLES, "rls_rules"}
        assert {t for t, kind in kinds if kind == "VIEW"} == set(finance.VIEW_COLUMNS)
        assert con.execute("SELECT tenant_id, title FROM reporting.products").fetchall() == [
            ("acme", "hat")
        ]
        assert con.execute("SELECT COUNT(*) FROM reporting.daily_sales").fetchone() == (0,)
        held = con.execute("SELECT tenant_id FROM shopsync_ops.reporting_tenants").fetchall()
    assert held == [("acme",)]
    assert DuckDBWarehouse(path).prepare() == []  # nothing to copy twice


def test_a_column_the_spec_gains_is_added_to_the_reporting_table() -> None:
    have = {
        name: [n for n, _ in reporting_tables.reporting_columns(s)] for name, s in TABLES.items()
    }
    assert reporting_tables.layout_statements(sql.DUCKDB, have) == []
    have["products"].remove("vendor")
    assert reporting_tables.layout_statements(sql.DUCKDB, have) == [
        "ALTER TABLE reporting.products ADD COLUMN vendor VARCHAR"
    ]


def test_a_run_s_refresh_reads_only_its_tenant_and_run() -> None:
    delete, insert = reporting_tables.run_refresh("acme", R1, PRODUCTS)
    assert "reporting.products.tenant_id = 'acme'" in delete
    assert f"s._run_id = '{R1}'" in delete
    assert insert.endswith(f"FROM shop_acme.products WHERE _run_id = '{R1}'")
    assert "_raw" not in insert  # the whole document stays in the tenant's table


def test_a_batch_s_runs_load_on_one_thread_each_and_a_run_alone_on_every_core(
    tmp_path: Path,
) -> None:
    warehouse = DuckDBWarehouse(tmp_path / "warehouse.duckdb")
    rows = [_product(t, 1, "hat", T9, R1) for t in ("acme", "acme_corp")]
    batch = write_parquet(tmp_path / "b1" / "products", PRODUCTS, rows)
    threads = "SELECT current_setting('threads')"
    with warehouse.batch():
        with warehouse.connect() as con:
            default = con.execute(threads).fetchone()
        warehouse.load_run(_run("acme", R1, batch, 1), loaded_at=NOW)  # staged: of a batch
        with warehouse.connect() as con:
            assert con.execute(threads).fetchone() == (1,)
        alone = _run("acme_corp", R1, batch, 1)
        warehouse.load_run(
            replace(alone, tables=()), loaded_at=NOW, arriving=iter(alone.tables)
        )  # a batch of one: its tables arrive as they are written
        with warehouse.connect() as con:
            assert con.execute(threads).fetchone() == default
    with warehouse.connect() as con:
        assert con.execute(threads).fetchone() == default
        assert con.execute("SELECT COUNT(*) FROM reporting.products").fetchone() == (2,)
