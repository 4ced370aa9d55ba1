"""Deleted orders and customers on both engines: DuckDB's SQL on DuckDB, and the Redshift SQL
on its DuckDB twin. An order goes with every row of it (line items, transactions, refunds and
the refunds' lines), a customer with itself; a row that changed after the deletion stays, and
replaying changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from shopsync.warehouse import sql
from shopsync.warehouse.base import Deletions, RunLoad, TableLoad, Warehouse, deletion_phases
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse
from shopsync.warehouse.redshift import RedshiftDataApiWarehouse
from shopsync.warehouse.specs import TABLES

from .twin import TwinDataApi, write_deletions, write_parquet

R1, R2, R3 = (f"20261124T1{h}0000Z-0000000{h}" for h in (1, 2, 3))
T9, T10, T11 = (datetime(2026, 11, 24, h, tzinfo=UTC) for h in (9, 10, 11))
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
#: Each order table's kind of gid and cursor column.
KINDS = {
    "orders": ("Order", "updated_at"),
    "order_line_items": ("LineItem", "order_updated_at"),
    "shipping_lines": ("ShippingLine", "order_updated_at"),
    "discount_applications": ("DiscountApplication", "order_updated_at"),
    "tax_lines": ("TaxLine", "order_updated_at"),
    "discount_allocations": ("DiscountAllocation", "order_updated_at"),
    "order_discount_codes": ("DiscountCode", "order_updated_at"),
    "transactions": ("OrderTransaction", "order_updated_at"),
    "tender_transactions": ("TenderTransaction", "processed_at"),
    "refunds": ("Refund", "order_updated_at"),
    "refund_line_items": ("RefundLineItem", "refund_updated_at"),
    "order_adjustments": ("OrderAdjustment", "refund_updated_at"),
    "refund_shipping_lines": ("RefundShippingLine", "refund_updated_at"),
    "fulfillments": ("Fulfillment", "order_updated_at"),
    "fulfillment_line_items": ("FulfillmentLineItem", "fulfillment_updated_at"),
    "fulfillment_orders": ("FulfillmentOrder", "updated_at"),
    "fulfillment_order_line_items": (
        "FulfillmentOrderLineItem",
        "fulfillment_order_updated_at",
    ),
    "customers": ("Customer", "updated_at"),
}
ORDER_TABLES = [t for t in KINDS if t != "customers"]


def gid(kind: str, n: int) -> str:
    return f"gid://shopify/{kind}/{n}"


def order_rows(order: int, updated: datetime, run: str) -> dict[str, list[dict[str, Any]]]:
    """Order ``order`` with one row in every table of an order (row number = ``order * 10``)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in ORDER_TABLES:
        kind, cursor = KINDS[table]
        n = order if table == "orders" else order * 10
        row = {"id": gid(kind, n), cursor: updated, "_tenant_id": "acme", "_run_id": run}
        if table != "orders":
            row["order_id"] = gid("Order", order)
        if cursor == "refund_updated_at":
            row["refund_id"] = gid("Refund", order * 10)
        rows[table] = [{**row, "_synced_at": NOW, "_raw": "{}"}]
    return rows


def customer_row(n: int, run: str) -> dict[str, Any]:
    meta = {"_tenant_id": "acme", "_run_id": run, "_synced_at": NOW, "_raw": "{}"}
    return {"id": gid("Customer", n), "updated_at": T9, **meta}


@dataclass
class Engine:
    warehouse: Warehouse
    query: Callable[[str], list[tuple[Any, ...]]]


@pytest.fixture(params=["duckdb", "redshift-twin"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "duckdb":
        duck = DuckDBWarehouse(tmp_path / "warehouse.duckdb")

        def query(statement: str) -> list[tuple[Any, ...]]:
            with duck.connect(read_only=True) as con:
                return con.execute(statement).fetchall()

        yield Engine(duck, query)
        return
    api = TwinDataApi()
    redshift = RedshiftDataApiWarehouse(
        database="dev",
        workgroup="shopsync",
        iam_role="arn:aws:iam::123456789012:role/shopsync-redshift-copy",
        client=api,
        sleep=lambda _s: None,
    )
    yield Engine(redshift, lambda statement: api.con.execute(statement).fetchall())


def run_load(
    directory: Path,
    run: str,
    tables: dict[str, list[dict[str, Any]]],
    deleted: list[tuple[str, str, datetime]] = (),  # type: ignore[assignment]
) -> RunLoad:
    loads = tuple(
        TableLoad(t, write_parquet(directory / run / t, TABLES[t], rows), None)
        for t, rows in tables.items()
    )
    deletions = write_deletions(directory / run / "deletions", run, deleted) if deleted else None
    return RunLoad(
        tenant_id="acme",
        run_id=run,
        mode="incremental",
        started_at=NOW,
        tables=loads,
        deletions=deletions,
    )


def merged(*parts: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for part in parts:
        for table, rows in part.items():
            out.setdefault(table, []).extend(rows)
    return out


def deleted_rows(engine: Engine) -> dict[str, list[tuple[str, datetime]]]:
    out = {}
    for table in KINDS:
        rows = engine.query(
            f"SELECT id, _deleted_at FROM shop_acme.{table} "  # noqa: S608
            "WHERE _deleted_at IS NOT NULL ORDER BY id"
        )
        out[table] = [(str(i).rsplit("/", 1)[1], at) for i, at in rows]
    return out


def test_a_deleted_order_takes_every_row_of_it_and_a_deleted_customer_goes(
    engine: Engine, tmp_path: Path
) -> None:
    # Orders 1, 2 and 3 with a row in every order table; customers 1 and 2.
    first = merged(
        order_rows(1, T9, R1),
        order_rows(2, T11, R1),  # changed after the deletion below (a newer version)
        order_rows(3, T9, R1),
        {"customers": [customer_row(1, R1), customer_row(2, R1)]},
    )
    engine.warehouse.load_run(run_load(tmp_path, R1, first), loaded_at=NOW)
    assert deleted_rows(engine) == {t: [] for t in KINDS}

    # Shopify destroys orders 1 and 2 at 10:00, order 4 (which this run lands too) and
    # customer 1; order 9 was never synced.
    deleted = [
        ("ORDER", gid("Order", 1), T10),
        ("ORDER", gid("Order", 2), T10),
        ("ORDER", gid("Order", 4), T10),
        ("ORDER", gid("Order", 9), T10),
        ("CUSTOMER", gid("Customer", 1), T10),
    ]
    second = run_load(tmp_path, R2, order_rows(4, T9, R2), deleted)
    assert second.deletions is not None
    assert second.deletions.subjects == ("CUSTOMER", "ORDER")
    engine.warehouse.load_run(second, loaded_at=NOW)
    gone = deleted_rows(engine)
    for table in ORDER_TABLES:
        n = 1 if table == "orders" else 10
        assert gone[table] == [(str(n), T10), (str(4 * n), T10)], table
    assert gone["customers"] == [("1", T10)]
    live = engine.query("SELECT COUNT(*) FROM shop_acme.orders WHERE _deleted_at IS NULL")
    assert live == [(2,)]  # orders 2 (newer than its deletion) and 3
    # A deleted row is the deleting run's (its checks reconcile the order's day again).
    runs = engine.query("SELECT id, _run_id FROM shop_acme.orders ORDER BY id")
    assert [(str(i).rsplit("/", 1)[1], r) for i, r in runs] == [
        ("1", R2),
        ("2", R1),
        ("3", R1),
        ("4", R2),
    ]

    # Replays: the run again (the ledger skips it), and a later run that lands the same
    # events again (a resync), and a later deletion of order 1 and customer 1 (a duplicate):
    # nothing changes, not even the deletion times.
    assert engine.warehouse.load_run(second, loaded_at=NOW).skipped
    again = [(subject, id_, T11 if id_.endswith("/1") else at) for subject, id_, at in deleted]
    engine.warehouse.load_run(run_load(tmp_path, R3, {}, again), loaded_at=NOW)
    assert deleted_rows(engine) == gone
    assert engine.query("SELECT id, _run_id FROM shop_acme.orders ORDER BY id") == runs


def test_deletions_of_one_subject_touch_no_other_subject_s_tables(
    engine: Engine, tmp_path: Path
) -> None:
    """A customer's gid in an order table, or an order's deletion, leaves the others alone."""
    first = merged(order_rows(1, T9, R1), {"customers": [customer_row(1, R1)]})
    engine.warehouse.load_run(run_load(tmp_path, R1, first), loaded_at=NOW)
    customer = [("CUSTOMER", gid("Customer", 1), T10)]
    engine.warehouse.load_run(run_load(tmp_path, R2, {}, customer), loaded_at=NOW)
    assert deleted_rows(engine) == {t: [] for t in ORDER_TABLES} | {"customers": [("1", T10)]}


def test_the_deletions_of_a_run_are_one_statement_per_table_deleted_with_its_subjects() -> None:
    def updates(subjects: tuple[str, ...]) -> list[str]:
        run = RunLoad("acme", R1, "incremental", NOW, (), Deletions("/d", subjects))
        applied = [s for p in deletion_phases(sql.DUCKDB, run) for s in p.apply]
        return [s.split()[1].removeprefix("shop_acme.") for s in applied if "stage_del" in s]

    assert updates(("CUSTOMER",)) == ["customers"]
    assert sorted(updates(("ORDER",))) == sorted(ORDER_TABLES)
    products = ["products", "product_variants", "inventory_items", "inventory_levels"]
    assert updates(("PRODUCT",)) == products
    assert len(updates(("CUSTOMER", "ORDER", "PRODUCT"))) == 1 + len(ORDER_TABLES) + 4
