"""The Redshift Data API warehouse, executed on its DuckDB twin; polling and failures."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from shopsync.warehouse.base import RunLoad, TableLoad, WarehouseError
from shopsync.warehouse.redshift import RedshiftDataApiWarehouse
from shopsync.warehouse.specs import TABLES

from .twin import TwinDataApi, write_parquet

R1, R2 = "20261124T100000Z-00000001", "20261124T110000Z-00000002"
T9 = datetime(2026, 11, 24, 9, tzinfo=UTC)
T10 = datetime(2026, 11, 24, 10, tzinfo=UTC)
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def _product(n: int, title: str, updated: datetime, run: str) -> dict[str, Any]:
    return {
        "id": f"gid://shopify/Product/{n}",
        "product_id": n,
        "title": title,
        "updated_at": updated,
        "_tenant_id": "acme",
        "_run_id": run,
        "_synced_at": NOW,
        "_raw": f'{{"id": "gid://shopify/Product/{n}", "title": "{title}"}}',
    }


def _deletions(directory: Path, product: int, at: datetime, run: str) -> str:
    directory.mkdir(parents=True)
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT ? AS product_id, ?::TIMESTAMPTZ AS deleted_at, 'acme' AS _tenant_id, "
        f"? AS _run_id) TO '{directory / 'part-0.parquet'}' (FORMAT PARQUET)",
        [f"gid://shopify/Product/{product}", at, run],
    )
    con.close()
    return str(directory)


def _warehouse(api: TwinDataApi, **kwargs: Any) -> RedshiftDataApiWarehouse:
    return RedshiftDataApiWarehouse(
        database="dev",
        workgroup="shopsync",
        iam_role="arn:aws:iam::123456789012:role/shopsync-redshift-copy",
        client=api,
        sleep=lambda _s: None,
        **kwargs,
    )


def _run(tmp_path: Path, run: str, rows: list[dict[str, Any]], **kw: Any) -> RunLoad:
    location = write_parquet(tmp_path / run / "products", TABLES["products"], rows)
    return RunLoad(
        tenant_id="acme",
        run_id=run,
        mode="incremental",
        started_at=NOW,
        tables=(TableLoad("products", location, records=len(rows), **kw),),
        stream_records={"products": len(rows)},
    )


def test_generated_redshift_sql_loads_merges_and_is_idempotent(tmp_path: Path) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api)
    first = _run(tmp_path, R1, [_product(1, "new", T10, R1), _product(2, "two", T9, R1)])
    assert warehouse.load_run(first, loaded_at=NOW).rows == {"products": 2}
    second = RunLoad(
        tenant_id="acme",
        run_id=R2,
        mode="full",
        started_at=NOW,
        tables=(
            TableLoad(
                "products",
                write_parquet(
                    tmp_path / R2 / "products",
                    TABLES["products"],
                    [_product(1, "stale", T9, R2), _product(3, "three", T9, R2)],
                ),
                records=2,
                complete_snapshot=True,
            ),
        ),
        deletions=_deletions(tmp_path / R2 / "deleted", 3, T10, R2),
        stream_records={"products": 2, "deleted_products": 1},
    )
    result = warehouse.load_run(second, loaded_at=NOW)
    assert result.rows == {"products": 1}  # the stale version of product 1 was not merged
    rows = api.con.execute(
        "SELECT id, title, _deleted_at IS NOT NULL, json_extract_string(_raw, '$.title') "
        "FROM shop_acme.products ORDER BY id"
    ).fetchall()
    assert rows == [
        ("gid://shopify/Product/1", "new", False, "new"),
        ("gid://shopify/Product/2", "two", True, "two"),  # absent from the snapshot
        ("gid://shopify/Product/3", "three", True, "three"),  # deleted product
    ]
    assert warehouse.loaded_runs("acme") == {("acme", R1), ("acme", R2)}
    assert warehouse.load_run(second, loaded_at=NOW).skipped
    # Even a batch that runs twice (a race) adds no second ledger row.
    api.batch_execute_statement(Sqls=api.batches[-1], Database="dev", WorkgroupName="x")
    ledger = api.con.execute("SELECT COUNT(*) FROM shopsync_ops.load_ledger").fetchone()
    assert ledger == (4,)


def test_reporting_views_rls_and_checks(tmp_path: Path) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api)
    run = _run(tmp_path, R1, [_product(1, "a", T9, R1)])
    result = warehouse.load_run(run, loaded_at=NOW)
    warehouse.refresh_reporting([("acme-analysts", "acme")])
    assert api.con.execute("SELECT tenant_id, title FROM reporting.products").fetchall() == [
        ("acme", "a")
    ]
    assert api.con.execute("SELECT * FROM reporting.rls_rules").fetchall() == [
        ("acme-analysts", "acme")
    ]
    checks = warehouse.run_checks(run, result, now=NOW)
    assert {(c.name, c.passed) for c in checks} == {
        ("rows_vs_records", True),
        ("pk_unique", True),
        ("freshness", True),
    }
    stored = api.con.execute("SELECT COUNT(*) FROM shopsync_ops.checks").fetchone()
    assert stored == (3,)


def test_failure_names_the_failing_statement_and_rolls_back(tmp_path: Path) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api)
    run = _run(tmp_path, R1, [_product(1, "a", T9, R1)])
    broken = RunLoad(
        **{**run.__dict__, "tables": (TableLoad("products", str(tmp_path / "missing"), 1),)}
    )
    with pytest.raises(WarehouseError) as info:
        warehouse.load_run(broken, loaded_at=NOW)
    assert info.value.statement is not None
    assert info.value.statement.startswith("COPY stage_products")
    assert "failing statement" in str(info.value)
    assert warehouse.loaded_runs() == set()


def test_bounded_wait_cancels(tmp_path: Path) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api, poll_seconds=5, timeout_seconds=20)
    api.never_finish = True
    with pytest.raises(WarehouseError, match="cancelled"):
        warehouse.execute("SELECT 1")
    assert len(api.cancelled) == 1


def test_results_are_paged() -> None:
    api = TwinDataApi(page_size=2)
    rows = _warehouse(api).execute("SELECT * FROM range(5) t(n) ORDER BY n")
    assert rows == [[0], [1], [2], [3], [4]]


def test_needs_exactly_one_target() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        RedshiftDataApiWarehouse(database="dev", iam_role="r")


def _row(table: str, n: int, run: str, **values: Any) -> dict[str, Any]:
    kind = {
        "product_variants": "ProductVariant",
        "inventory_items": "InventoryItem",
        "inventory_levels": "InventoryLevel",
    }[table]
    return {
        "id": f"gid://shopify/{kind}/{n}",
        "updated_at": T9,
        "_tenant_id": "acme",
        "_run_id": run,
        "_synced_at": NOW,
        "_raw": "{}",
        **values,
    }


def test_a_deleted_product_takes_its_variants_items_and_levels(tmp_path: Path) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api)
    product = "gid://shopify/Product/1"
    rows = {
        "products": [_product(1, "gone", T9, R1), _product(2, "kept", T9, R1)],
        "product_variants": [
            _row("product_variants", 1, R1, product_id=product),
            _row("product_variants", 2, R1, product_id="gid://shopify/Product/2"),
        ],
        "inventory_items": [
            _row("inventory_items", 1, R1, variant_id="gid://shopify/ProductVariant/1"),
            _row("inventory_items", 2, R1, variant_id="gid://shopify/ProductVariant/2"),
        ],
        "inventory_levels": [
            _row("inventory_levels", 1, R1, inventory_item_id="gid://shopify/InventoryItem/1"),
            _row("inventory_levels", 2, R1, inventory_item_id="gid://shopify/InventoryItem/2"),
        ],
    }
    first = RunLoad(
        tenant_id="acme",
        run_id=R1,
        mode="full",
        started_at=NOW,
        tables=tuple(
            TableLoad(t, write_parquet(tmp_path / R1 / t, TABLES[t], r), len(r))
            for t, r in rows.items()
        ),
    )
    warehouse.load_run(first, loaded_at=NOW)
    deletion = RunLoad(
        tenant_id="acme",
        run_id=R2,
        mode="incremental",
        started_at=NOW,
        tables=(),
        deletions=_deletions(tmp_path / R2 / "deleted", 1, T10, R2),
        stream_records={"deleted_products": 1},
    )
    warehouse.load_run(deletion, loaded_at=NOW)
    for table in rows:
        deleted = api.con.execute(
            f"SELECT id FROM shop_acme.{table} WHERE _deleted_at IS NOT NULL"  # noqa: S608
        ).fetchall()
        assert [d[0].rsplit("/", 1)[1] for d in deleted] == ["1"], table


def test_tables_arriving_while_the_job_writes_go_in_the_one_batch(tmp_path: Path) -> None:
    """The job hands tables over as Spark finishes them; Redshift still gets one transaction."""
    api = TwinDataApi()
    run = _run(tmp_path, R1, [_product(1, "new", T10, R1)])
    header = RunLoad(
        tenant_id=run.tenant_id,
        run_id=run.run_id,
        mode=run.mode,
        started_at=run.started_at,
        tables=(),
        stream_records=run.stream_records,
    )
    result = _warehouse(api).load_run(header, loaded_at=NOW, arriving=iter(run.tables))
    assert result.rows == {"products": 1}
    load_batches = [b for b in api.batches if any(s.startswith("COPY ") for s in b)]
    assert len(load_batches) == 1
    assert api.con.execute("SELECT title FROM shop_acme.products").fetchall() == [("new",)]
