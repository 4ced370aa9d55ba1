"""``reporting.order_financials`` and ``reporting.daily_sales`` on hand-made rows, with the SQL
of both engines (DuckDB's, and Redshift's on its DuckDB twin), and the money checks.

The store (tenant ``acme``, shop currency USD; days are UTC, read in a New York session):

* order A, 2026-03-01 10:00, presented in EUR: 2 x 100.00 + 1 x 50.00, 10 % off the order,
  10.00 shipping, 6 % tax (14.10); refunded on 2026-03-05: one unit of the first line (90.00
  after its discount, 5.40 tax) less a 9.00 restocking fee kept (an order adjustment);
* order B, 2026-03-05 09:00: 1 x 30.00, its 5.00 shipping discounted to 0; refunded whole on
  2026-03-07;
* order C, 2026-03-01 23:59:59 (16:59 in New York... still 03-01 in UTC): 1 x 40.00 and 10.00
  shipping, authorized and captured; refunded whole with its shipping on 2026-03-07;
* a test order and a soft-deleted order (its line item not deleted), both left out;
* tenant ``acme_corp`` has an order with order A's very ids: it stays in its own tenant.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from shopsync.reporting import finance
from shopsync.warehouse import sql
from shopsync.warehouse.base import LoadResult, RunLoad, TableLoad
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse
from shopsync.warehouse.redshift import RedshiftDataApiWarehouse
from shopsync.warehouse.specs import TABLES
from shopsync.warehouse.status import tenant_status
from tests.unit.warehouse.twin import TwinDataApi, to_duckdb

RUN = "20260307T120000Z-00000001"
NOW = datetime(2026, 3, 7, 12, tzinfo=UTC)
D1, D2, D3 = "2026-03-01", "2026-03-05", "2026-03-07"


def gid(kind: str, n: int) -> str:
    return f"gid://shopify/{kind}/{n}"


def at(day: str, time: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{time}+00:00")


def _bag(name: str, shop: str, pres: str | None = None, cur: str = "USD", pcur: str = "USD"):
    return {
        name: Decimal(shop),
        f"{name}_currency": cur,
        f"{name}_presentment": Decimal(pres if pres is not None else shop),
        f"{name}_presentment_currency": pcur,
    }


def _order(n: int, created: datetime, *, pcur: str = "USD", **money: tuple[str, str]) -> dict:
    """An order; ``money``: subtotal_price, total_price, ... as (shop, presentment)."""
    row: dict[str, Any] = {
        "id": gid("Order", n),
        "order_id": n,
        "name": f"#{1000 + n}",
        "test": False,
        "currency_code": "USD",
        "presentment_currency_code": pcur,
        "created_at": created,
        "updated_at": created,
    }
    for name in (
        "subtotal_price",
        "total_price",
        "total_tax",
        "total_discounts",
        "total_shipping",
        "total_refunded",
        "total_outstanding",
    ):
        shop, pres = money.get(name, ("0", "0"))
        row.update(_bag(name, shop, pres, pcur=pcur))
    return row


def _line(n: int, order: int, unit: tuple[str, str], qty: int, pcur: str = "USD") -> dict:
    return {
        "id": gid("LineItem", n),
        "order_id": gid("Order", order),
        "quantity": qty,
        **_bag("original_unit_price", *unit, pcur=pcur),
    }


def _refund(n: int, order: int, created: datetime, total: tuple[str, str]) -> dict:
    return {
        "id": gid("Refund", n),
        "order_id": gid("Order", order),
        "created_at": created,
        "updated_at": created,
        **_bag("total_refunded", *total),
    }


def _detail(kind: str, n: int, refund: int, order: int, **money: tuple[str, str]) -> dict:
    row: dict[str, Any] = {
        "id": gid(kind, n),
        "refund_id": gid("Refund", refund),
        "order_id": gid("Order", order),
    }
    for name, (shop, pres) in money.items():
        row.update(_bag(name, shop, pres))
    return row


def _txn(n: int, order: int, kind: str, status: str, amount: str) -> dict:
    return {
        "id": gid("OrderTransaction", n),
        "order_id": gid("Order", order),
        "kind": kind,
        "status": status,
        **_bag("amount", amount),
    }


def store_rows() -> dict[str, list[dict[str, Any]]]:
    """Tenant ``acme``'s rows, table by table (see the module's docstring)."""
    a_money = {
        "subtotal_price": ("225.00", "207.00"),
        "total_price": ("249.10", "229.17"),
        "total_tax": ("14.10", "12.97"),
        "total_discounts": ("25.00", "23.00"),
        "total_shipping": ("10.00", "9.20"),
        "total_refunded": ("86.40", "79.49"),
    }
    b_money = {
        "subtotal_price": ("30.00", "30.00"),
        "total_price": ("30.00", "30.00"),
        "total_discounts": ("5.00", "5.00"),  # the shipping discount: not a sales discount
        "total_refunded": ("30.00", "30.00"),
    }
    c_money = {
        "subtotal_price": ("40.00", "40.00"),
        "total_price": ("50.00", "50.00"),
        "total_shipping": ("10.00", "10.00"),
        "total_refunded": ("50.00", "50.00"),
    }
    test_order = _order(4, at(D1, "11:00:00"), subtotal_price=("1000.00", "1000.00"))
    test_order["test"] = True
    deleted = _order(5, at(D1, "12:00:00"), subtotal_price=("500.00", "500.00"))
    deleted["_deleted_at"] = at(D2, "00:00:00")
    return {
        "orders": [
            _order(1, at(D1, "10:00:00"), pcur="EUR", **a_money),
            _order(2, at(D2, "09:00:00"), **b_money),
            _order(3, at(D1, "23:59:59"), **c_money),
            test_order,
            deleted,
        ],
        "order_line_items": [
            _line(1, 1, ("100.00", "92.00"), 2, "EUR"),
            _line(2, 1, ("50.00", "46.00"), 1, "EUR"),
            _line(3, 2, ("30.00", "30.00"), 1),
            _line(4, 3, ("40.00", "40.00"), 1),
            _line(5, 4, ("1000.00", "1000.00"), 1),
            _line(6, 5, ("500.00", "500.00"), 1),
        ],
        "refunds": [
            _refund(1, 1, at(D2, "12:00:00"), ("86.40", "79.49")),
            _refund(2, 2, at(D3, "08:00:00"), ("30.00", "30.00")),
            _refund(3, 3, at(D3, "09:00:00"), ("50.00", "50.00")),
        ],
        "refund_line_items": [
            _detail(
                "RefundLineItem",
                1,
                1,
                1,
                subtotal=("90.00", "82.80"),
                total_tax=("5.40", "4.97"),
            ),
            _detail("RefundLineItem", 2, 2, 2, subtotal=("30.00", "30.00"), total_tax=("0", "0")),
            _detail("RefundLineItem", 3, 3, 3, subtotal=("40.00", "40.00"), total_tax=("0", "0")),
        ],
        "order_adjustments": [
            _detail("OrderAdjustment", 1, 1, 1, amount=("-9.00", "-8.28"), tax_amount=("0", "0")),
        ],
        "refund_shipping_lines": [
            _detail(
                "RefundShippingLine", 1, 3, 3, subtotal=("10.00", "10.00"), tax_amount=("0", "0")
            ),
        ],
        "transactions": [
            _txn(1, 1, "SALE", "SUCCESS", "249.10"),
            _txn(2, 1, "REFUND", "SUCCESS", "86.40"),
            _txn(3, 2, "SALE", "SUCCESS", "30.00"),
            _txn(4, 2, "REFUND", "SUCCESS", "30.00"),
            _txn(5, 3, "AUTHORIZATION", "SUCCESS", "50.00"),
            _txn(6, 3, "CAPTURE", "SUCCESS", "50.00"),
            _txn(7, 3, "REFUND", "SUCCESS", "50.00"),
        ],
    }


def insert(con: duckdb.DuckDBPyConnection, tenant: str, table: str, row: dict[str, Any]) -> None:
    row = {"_tenant_id": tenant, "_run_id": RUN, "_synced_at": NOW, **row}
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(
        f"INSERT INTO {sql.tenant_schema(tenant)}.{table} ({names}) VALUES ({marks})",  # noqa: S608
        list(row.values()),
    )


def load(con: duckdb.DuckDBPyConnection, rows: dict[str, list[dict[str, Any]]]) -> None:
    for statement in sql.ops_ddl(sql.DUCKDB):
        con.execute(statement)
    for tenant in ("acme", "acme_corp"):
        for statement in sql.schema_ddl(sql.DUCKDB, tenant, TABLES.values()):
            con.execute(statement)
    for table, table_rows in rows.items():
        for row in table_rows:
            insert(con, "acme", table, row)
    # Another tenant with order A's very ids.
    insert(con, "acme_corp", "orders", _order(1, at(D1, "10:00:00"), subtotal_price=("7", "7")))
    insert(con, "acme_corp", "order_line_items", _line(1, 1, ("7.00", "7.00"), 1))


@dataclass
class Engine:
    """A warehouse with the store loaded, and a connection to read what it holds."""

    name: str
    warehouse: DuckDBWarehouse | RedshiftDataApiWarehouse
    connect: Any

    def query(self, statement: str) -> list[tuple[Any, ...]]:
        with self.connect() as con:
            con.execute("SET TimeZone = 'America/New_York'")  # days stay UTC days
            return list(con.execute(statement).fetchall())

    def change(self, table: str, assignment: str, row_id: str) -> None:
        with self.connect() as con:
            con.execute(
                f"UPDATE shop_acme.{table} SET {assignment} WHERE id = ?",  # noqa: S608
                [row_id],
            )


@pytest.fixture(params=["duckdb", "redshift"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "duckdb":
        local = DuckDBWarehouse(tmp_path / "warehouse.duckdb")
        with local.connect() as con:
            load(con, store_rows())
        yield Engine("duckdb", local, local.connect)
        return
    api = TwinDataApi()
    load(api.con, store_rows())
    remote = RedshiftDataApiWarehouse(
        database="dev", workgroup="shopsync", client=api, sleep=lambda _s: None
    )

    class _Shared:
        def __enter__(self) -> duckdb.DuckDBPyConnection:
            return api.con

        def __exit__(self, *exc: object) -> None:
            api.con.execute("SET TimeZone = 'UTC'")

    yield Engine("redshift", remote, _Shared)


def report(engine: Engine, rules: list[tuple[str, str]]) -> None:
    """The job's reporting steps: the tenants (their rows inserted above, not loaded) copied
    into the reporting tables, then the finance views and the rules."""
    assert engine.warehouse.prepare() == []
    engine.warehouse.refresh_reporting(rules)


def money(value: str) -> Decimal:
    return Decimal(value).quantize(Decimal("0.0001"))


def test_daily_sales_per_utc_day_with_refunds_on_their_own_day(engine: Engine) -> None:
    report(engine, [("acme-analysts", "acme")])
    rows = engine.query(
        "SELECT tenant_id, CAST(day AS VARCHAR), currency_code, orders, gross_sales, discounts, "
        "returns, net_sales, shipping, taxes, total_sales FROM reporting.daily_sales "
        "ORDER BY tenant_id, day"
    )
    figures = ("290", "25", "0", "265", "20", "14.10", "299.10")
    refund_day = ("30", "0", "81", "-51", "0", "-5.40", "-56.40")
    returns_day = ("0", "0", "70", "-70", "-10", "0", "-80")
    assert rows == [
        ("acme", D1, "USD", 2, *map(money, figures)),
        ("acme", D2, "USD", 1, *map(money, refund_day)),
        ("acme", D3, "USD", 0, *map(money, returns_day)),
        ("acme_corp", D1, "USD", 1, *map(money, ("7", "0", "0", "7", "0", "0", "7"))),
    ]
    # What the days add up to is what the orders still charge: 329.10 sold, 166.40 refunded.
    total = engine.query(
        "SELECT SUM(total_sales) FROM reporting.daily_sales WHERE tenant_id = 'acme'"
    )
    assert total == [(money("162.70"),)]


def test_order_financials_apply_every_refund_in_both_currencies(engine: Engine) -> None:
    report(engine, [("acme-analysts", "acme")])
    columns = [c for c, _ in finance.VIEW_COLUMNS[finance.ORDER_FINANCIALS]]
    got = {
        (r[0], r[1]): dict(zip(columns, r, strict=True))
        for r in engine.query(
            f"SELECT {', '.join(columns)} FROM reporting.order_financials"  # noqa: S608
        )
    }
    assert set(got) == {
        ("acme", gid("Order", 1)),
        ("acme", gid("Order", 2)),
        ("acme", gid("Order", 3)),
        ("acme_corp", gid("Order", 1)),
    }
    a = got[("acme", gid("Order", 1))]
    assert (a["order_name"], str(a["created_day"])) == ("#1001", D1)
    assert (a["currency_code"], a["presentment_currency_code"]) == ("USD", "EUR")
    shop = ("250", "25", "81", "144", "10", "8.70", "162.70", "86.40", "0")
    pres = ("230", "23", "74.52", "132.48", "9.20", "8.00", "149.68", "79.49", "0")
    assert [a[f] for f in finance.FIGURES] == [money(v) for v in shop]
    assert [a[f"{f}_presentment"] for f in finance.FIGURES] == [money(v) for v in pres]
    c = got[("acme", gid("Order", 3))]
    c_shop = ("40", "0", "40", "0", "0", "0", "0", "50", "0")
    assert [c[f] for f in finance.FIGURES] == [money(v) for v in c_shop]
    b = got[("acme", gid("Order", 2))]
    assert (b["discounts"], b["shipping"], str(b["created_day"])) == (money("0"), money("0"), D2)


def test_a_refund_row_without_presentment_amounts_leaves_them_unknown(engine: Engine) -> None:
    """Rows loaded before their presentment columns existed: NULL, never a partial sum."""
    engine.change("refund_line_items", "subtotal_presentment = NULL", gid("RefundLineItem", 1))
    report(engine, [])
    rows = engine.query(
        "SELECT returns, returns_presentment, total_presentment, shipping_presentment "
        "FROM reporting.order_financials WHERE tenant_id = 'acme' AND order_name = '#1001'"
    )
    assert rows == [(money("81"), None, None, money("9.20"))]


def test_the_views_are_one_statement_each_in_the_refresh_and_carry_tenant_id() -> None:
    for dialect in (sql.DUCKDB, sql.REDSHIFT):
        statements = finance.finance_views(dialect)
        assert [s.split()[4] for s in statements] == [
            "reporting.order_financials",
            "reporting.daily_sales",
        ]
        assert all("shop_" not in s for s in statements)  # over the reporting tables: RLS-ready
    redshift = finance.finance_views(sql.REDSHIFT)
    assert all(s.endswith(" WITH NO SCHEMA BINDING") for s in redshift)
    assert all("CONVERT_TIMEZONE('UTC', " in s for s in redshift)
    assert [to_duckdb(s) for s in redshift] == finance.finance_views(sql.DUCKDB)


def _run(tables: tuple[str, ...]) -> RunLoad:
    return RunLoad(
        tenant_id="acme",
        run_id=RUN,
        mode="incremental",
        started_at=NOW,
        tables=tuple(TableLoad(t, f"/nowhere/{t}", None) for t in tables),
    )


MONEY_TABLES = ("orders", "order_line_items", "transactions", "refunds", "refund_line_items")


def _money_checks(engine: Engine, tables: tuple[str, ...] = MONEY_TABLES) -> dict[str, Any]:
    run = _run(tables)
    checks = engine.warehouse.run_checks(run, LoadResult("acme", RUN, False, {}), now=NOW)
    return {c.name: c for c in checks if c.name in (finance.SALES_CHECK, finance.CAPTURED_CHECK)}


def test_the_money_checks_pass_on_a_store_that_reconciles(engine: Engine) -> None:
    checks = _money_checks(engine)
    sales, captured = checks[finance.SALES_CHECK], checks[finance.CAPTURED_CHECK]
    assert (sales.passed, sales.observed, sales.table) == (True, 0, "daily_sales")
    assert sales.detail == "0 of 3 day(s) touched differ from order_financials + refunds"
    assert (captured.passed, captured.observed, captured.table) == (True, 0, "refunds")
    assert captured.detail == "0 of 3 order(s) refunded more than their SALE + CAPTURE"
    # A run that loaded none of the money tables checks nothing of it.
    assert _money_checks(engine, ("products",)) == {}


def test_a_refund_whose_line_items_are_missing_fails_both_of_its_days(engine: Engine) -> None:
    engine.change(
        "refund_line_items", f"_deleted_at = {sql.literal(NOW)}", gid("RefundLineItem", 1)
    )
    sales = _money_checks(engine)[finance.SALES_CHECK]
    assert (sales.passed, sales.observed) == (False, 2)
    assert sales.detail.endswith(f"differ from order_financials + refunds, first {D1}")


def test_the_sales_check_reads_the_touched_days_and_the_orders_of_their_refunds(
    engine: Engine,
) -> None:
    # The run merged only order A's refund (dated D2; order A is of D1): D2 is the one day it
    # touched, and its sums need order A too, though A's own day is not checked.
    for table, rows in store_rows().items():
        for row in rows:
            engine.change(table, "_run_id = '20260301T000000Z-00000001'", row["id"])
    engine.change("refunds", f"_run_id = {sql.literal(RUN)}", gid("Refund", 1))
    sales = _money_checks(engine)[finance.SALES_CHECK]
    assert (sales.passed, sales.detail) == (
        True,
        "0 of 1 day(s) touched differ from order_financials + refunds",
    )
    # Its returns gone, D2's daily sales no longer match: only order A's lines tell.
    engine.change(
        "refund_line_items", f"_deleted_at = {sql.literal(NOW)}", gid("RefundLineItem", 1)
    )
    sales = _money_checks(engine)[finance.SALES_CHECK]
    assert (sales.passed, sales.observed) == (False, 1)
    assert sales.detail.endswith(f"differ from order_financials + refunds, first {D2}")


def test_refunds_over_what_was_captured_fail_and_show_in_status(engine: Engine) -> None:
    # Order C's capture failed: its 50.00 refund is more than the nothing captured.
    engine.change("transactions", "status = 'FAILURE'", gid("OrderTransaction", 6))
    captured = _money_checks(engine)[finance.CAPTURED_CHECK]
    assert (captured.passed, captured.observed) == (False, 1)
    assert captured.detail.endswith(f"first {gid('Order', 3)}")
    if isinstance(engine.warehouse, DuckDBWarehouse):
        with engine.warehouse.connect(read_only=True) as con:
            (status,) = tenant_status(con, ["acme"])
        assert not status.ok
        assert [(f.table, f.check) for f in status.failed_checks] == [
            ("refunds", finance.CAPTURED_CHECK)
        ]
