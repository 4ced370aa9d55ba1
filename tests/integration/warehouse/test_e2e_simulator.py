"""The local chain end to end: simulator -> ingestion -> manifest -> local bus (the deployed
pattern, Glue batching) -> the load job -> DuckDB, compared with the simulator's ground truth."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pyspark.sql import SparkSession

from shopsync.events import (
    CLOUDTRAIL_PATTERN,
    Batching,
    EventingObjectStore,
    LocalBus,
    WorkflowRun,
    cloudtrail_object_event,
    load_pattern,
)
from shopsync.extract.streams import SPECS
from shopsync.reporting.finance import CAPTURED_CHECK, FIGURES, SALES_CHECK
from shopsync.settings import Settings
from shopsync.shopify.scopes import missing_scopes
from shopsync.storage import LocalObjectStore
from shopsync.streams.fulfillments import FULFILLMENT_ORDER_SCOPES
from shopsync.streams.orders import LOCATION_SCOPES
from shopsync.tenants import Tenant
from shopsync.warehouse.base import JobSummary
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse
from shopsync.warehouse.specs import TABLES
from shopsync.warehouse.status import tenant_status
from shopsync_glue.job import CuratedLake, run_job
from shopsync_simulator import (
    Clock,
    SimulatorOptions,
    StoreSize,
    truth,
)
from shopsync_simulator.graphql.schema import DEFAULT_SCOPES
from tests.support.simulator import SimulatedIngestion, simulated_ingestion
from tests.support.tenants import analysts, make_tenant

pytestmark = [pytest.mark.e2e, pytest.mark.spark, pytest.mark.slow]

BUCKET = "shopsync-raw"
TENANTS = ("acme", "acme_corp")  # look-alike ids on purpose
SIZE = StoreSize(products=12, variants_per_product=2, locations=2, customers=15, orders=20)


@dataclass
class Chain(SimulatedIngestion):
    """The shared simulator set-up, its raw lake publishing to a local bus that loads DuckDB."""

    bus: LocalBus
    warehouse: DuckDBWarehouse
    summaries: list[JobSummary] = field(default_factory=list)

    @property
    def raw(self) -> LocalObjectStore:
        return self.lake

    def sync(self, tenant: str, mode: str = "incremental") -> str:
        assert self.clock is not None
        self.clock.advance(60)
        result = self.run(mode, tenant_id=tenant)
        assert result.status == "succeeded", result.message
        return result.run_id

    def query(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        con = duckdb.connect(str(self.warehouse.path), read_only=True)
        try:
            return con.execute(statement, list(params)).fetchall()
        finally:
            con.close()

    def live(self, tenant: str, table: str, *columns: str) -> dict[str, tuple[Any, ...]]:
        cols = ", ".join(("id", *columns))
        rows = self.query(
            f"SELECT {cols} FROM shop_{tenant}.{table} WHERE _deleted_at IS NULL"  # noqa: S608
        )
        return {r[0]: tuple(r[1:]) for r in rows}

    def truth(self, tenant: str, stream: str) -> list[dict[str, Any]]:
        return list(truth.records(self.sim.store(tenant), stream))


def _ts(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.0001"))


def bag_columns(*names: str) -> tuple[str, ...]:
    """Each ``MoneyBag`` column's amount in shop and in presentment currency."""
    return tuple(c for n in names for c in (n, f"{n}_presentment"))


def bags(*values: dict[str, Any]) -> tuple[Decimal, ...]:
    return tuple(money(v[k]["amount"]) for v in values for k in ("shopMoney", "presentmentMoney"))


def currencies(name: str) -> tuple[str, str]:
    """A ``MoneyBag`` column's currency in shop and in presentment currency."""
    return f"{name}_currency", f"{name}_presentment_currency"


def bag_values(value: dict[str, Any]) -> tuple[Any, ...]:
    """A ``MoneyBag``'s amounts (as :func:`bags`), then its two currencies."""
    return (*bags(value), *(value[k]["currencyCode"] for k in ("shopMoney", "presentmentMoney")))


#: Where a row of a list of a line item, a shipping line or an order sits.
PLACED = ("order_id", "parent_id", "parent_type", "index")


def placed(row: dict[str, Any]) -> tuple[Any, ...]:
    return row["orderId"], row["parentId"], row["parentType"], row["index"]


def cents(value: int) -> Decimal:
    return money(Decimal(value) / 100)


def assert_sales_match_truth(chain: Chain, tenant: str) -> None:
    """``reporting.daily_sales`` and ``reporting.order_financials`` of the tenant equal Shopify's
    figures computed from the simulator's records, to the cent, every day and every order."""
    store = chain.sim.store(tenant)
    days = chain.query(
        "SELECT CAST(day AS VARCHAR), orders, gross_sales, discounts, returns, net_sales, "
        "shipping, taxes, total_sales FROM reporting.daily_sales WHERE tenant_id = ?",
        tenant,
    )
    want_days = {
        d.day: (
            d.orders,
            *map(
                cents,
                (
                    d.gross_sales,
                    d.discounts,
                    d.returns,
                    d.net_sales,
                    d.shipping,
                    d.taxes,
                    d.total_sales,
                ),
            ),
        )
        for d in truth.daily_sales(store)
    }
    assert {d[0]: tuple(d[1:]) for d in days} == want_days, f"{tenant}: daily_sales"
    figures = list(FIGURES)
    columns = ", ".join((*figures, *(f"{f}_presentment" for f in figures)))
    orders = chain.query(
        "SELECT order_id, CAST(created_day AS VARCHAR), currency_code, "  # noqa: S608
        f"presentment_currency_code, {columns} FROM reporting.order_financials "
        "WHERE tenant_id = ?",
        tenant,
    )
    presented = {o.order_id: o for o in truth.order_financials(store, presentment=True)}
    want_orders = {
        o.order_id: (
            o.day,
            o.currency,
            presented[o.order_id].currency,
            *(cents(getattr(o, f)) for f in figures),
            *(cents(getattr(presented[o.order_id], f)) for f in figures),
        )
        for o in truth.order_financials(store)
    }
    assert {o[0]: tuple(o[1:]) for o in orders} == want_orders, f"{tenant}: order_financials"


#: The tables whose rows belong to an order (the order's own first).
ORDER_TABLES = [
    n for n, t in TABLES.items() if t.deleted_with and t.deleted_with.subject == "ORDER"
]


def _rows_of_orders(chain: Chain, orders: list[str]) -> dict[str, tuple[int, int]]:
    """Table -> (live, soft-deleted) rows of ``orders`` in it."""
    out = {}
    for table in ORDER_TABLES:
        key = "id" if table == "orders" else "order_id"
        count = "COUNT(*) FILTER (WHERE _deleted_at IS NULL), COUNT(_deleted_at)"
        statement = f"SELECT {count} FROM shop_acme.{table} WHERE list_contains(?, {key})"  # noqa: S608
        [(live, gone)] = chain.query(statement, orders)
        out[table] = (live, gone)
    return out


def _deleted(chain: Chain, table: str) -> dict[str, datetime]:
    """id -> ``_deleted_at`` of acme's soft-deleted rows in ``table``."""
    statement = f"SELECT id, _deleted_at FROM shop_acme.{table} WHERE _deleted_at IS NOT NULL"  # noqa: S608
    return dict(chain.query(statement))


def assert_matches_truth(
    chain: Chain, tenant: str, skipped: frozenset[str] = frozenset(), located: bool = True
) -> None:
    """Every table of the tenant equals the simulator's truth; the tables of ``skipped``
    streams (a scope the token lacks) hold nothing, and then the sales are not compared; the
    locations of fulfillments and refunded line items are null unless ``located`` (the token
    reads locations)."""

    t = lambda stream: chain.truth(tenant, stream)  # noqa: E731
    location = lambda row: row["locationId"] if located else None  # noqa: E731
    places = {r["id"]: r["name"] for r in t("locations")}
    expected: dict[str, tuple[tuple[str, ...], dict[str, tuple[Any, ...]]]] = {
        "products": (
            ("title", "updated_at"),
            {r["id"]: (r["title"], _ts(r["updatedAt"])) for r in t("products")},
        ),
        "product_variants": (
            ("price", "sku"),
            {r["id"]: (money(r["price"]), r["sku"]) for r in t("product_variants")},
        ),
        "inventory_items": (("sku",), {r["id"]: (r["sku"],) for r in t("inventory_items")}),
        "inventory_levels": (
            ("available", "on_hand"),
            {
                r["id"]: (r["quantities"]["available"], r["quantities"]["on_hand"])
                for r in t("inventory_levels")
            },
        ),
        "locations": (("name",), {r["id"]: (r["name"],) for r in t("locations")}),
        "customers": (
            ("number_of_orders",),
            {r["id"]: (int(r["numberOfOrders"]),) for r in t("customers")},
        ),
        "orders": (
            ("total_price", "total_price_currency"),
            {
                r["id"]: (
                    money(r["totalPriceSet"]["shopMoney"]["amount"]),
                    r["totalPriceSet"]["shopMoney"]["currencyCode"],
                )
                for r in t("orders")
            },
        ),
        "order_line_items": (
            ("order_id", "quantity"),
            {li["id"]: (o["id"], li["quantity"]) for o in t("orders") for li in o["lineItems"]},
        ),
        "transactions": (
            ("order_id", "kind", "status", "amount", "amount_presentment"),
            {
                r["id"]: (
                    r["orderId"],
                    r["kind"],
                    r["status"],
                    money(r["amountSet"]["shopMoney"]["amount"]),
                    money(r["amountSet"]["presentmentMoney"]["amount"]),
                )
                for r in t("transactions")
            },
        ),
        "tender_transactions": (
            ("order_id", "amount", "amount_currency", "payment_method", "processed_at"),
            {
                r["id"]: (
                    r["orderId"],
                    money(r["amount"]["amount"]),
                    r["amount"]["currencyCode"],
                    r["paymentMethod"],
                    _ts(r["processedAt"]),
                )
                for r in t("tender_transactions")
            },
        ),
        "refunds": (
            ("order_id", "total_refunded", "total_refunded_presentment_currency"),
            {
                r["id"]: (
                    r["orderId"],
                    money(r["totalRefundedSet"]["shopMoney"]["amount"]),
                    r["totalRefundedSet"]["presentmentMoney"]["currencyCode"],
                )
                for r in t("refunds")
            },
        ),
        "refund_line_items": (
            (
                "refund_id",
                "line_item_id",
                "quantity",
                "restock_type",
                "location_id",
                *bag_columns("subtotal", "total_tax"),
            ),
            {
                r["id"]: (
                    r["refundId"],
                    r["lineItemId"],
                    r["quantity"],
                    r["restockType"],
                    location(r),
                    *bags(r["subtotalSet"], r["totalTaxSet"]),
                )
                for r in t("refund_line_items")
            },
        ),
        "order_adjustments": (
            ("refund_id", "reason", *bag_columns("amount", "tax_amount")),
            {
                r["id"]: (r["refundId"], r["reason"], *bags(r["amountSet"], r["taxAmountSet"]))
                for r in t("order_adjustments")
            },
        ),
        "refund_shipping_lines": (
            ("refund_id", "shipping_line_id", *bag_columns("subtotal", "tax_amount")),
            {
                r["id"]: (
                    r["refundId"],
                    r["shippingLineId"],
                    *bags(r["subtotalAmountSet"], r["taxAmountSet"]),
                )
                for r in t("refund_shipping_lines")
            },
        ),
        "shipping_lines": (
            ("order_id", "title", "original_price", "discounted_price_presentment"),
            {
                r["id"]: (
                    r["orderId"],
                    r["title"],
                    money(r["originalPriceSet"]["shopMoney"]["amount"]),
                    money(r["discountedPriceSet"]["presentmentMoney"]["amount"]),
                )
                for r in t("shipping_lines")
            },
        ),
        "discount_applications": (
            ("order_id", "index", "type", "code", "value_percentage"),
            {
                f"{r['orderId']}#{r['index']}": (
                    r["orderId"],
                    r["index"],
                    r["__typename"],
                    r.get("code"),
                    None if "percentage" not in r["value"] else money(r["value"]["percentage"]),
                )
                for r in t("discount_applications")
            },
        ),
        "tax_lines": (
            (*PLACED, "title", "rate", *bag_columns("amount"), *currencies("amount")),
            {
                r["id"]: (*placed(r), r["title"], money(r["rate"]), *bag_values(r["priceSet"]))
                for r in t("tax_lines")
            },
        ),
        "discount_allocations": (
            (*PLACED, "discount_application_index", *bag_columns("allocated_amount")),
            {
                r["id"]: (*placed(r), r["discountApplicationIndex"], *bags(r["allocatedAmountSet"]))
                for r in t("discount_allocations")
            },
        ),
        "order_discount_codes": (
            ("order_id", "index", "code"),
            {r["id"]: (r["orderId"], r["index"], r["code"]) for r in t("order_discount_codes")},
        ),
        "fulfillments": (
            (
                "order_id",
                "name",
                "status",
                "display_status",
                "total_quantity",
                "updated_at",
                "location_id",
            ),
            {
                r["id"]: (
                    r["orderId"],
                    r["name"],
                    r["status"],
                    r["displayStatus"],
                    r["totalQuantity"],
                    _ts(r["updatedAt"]),
                    location(r),
                )
                for r in t("fulfillments")
            },
        ),
        "fulfillment_line_items": (
            ("fulfillment_id", "line_item_id", "quantity", "original_total_presentment"),
            {
                r["id"]: (
                    r["fulfillmentId"],
                    r["lineItemId"],
                    r["quantity"],
                    money(r["originalTotalSet"]["presentmentMoney"]["amount"]),
                )
                for r in t("fulfillment_line_items")
            },
        ),
        "fulfillment_orders": (
            ("order_id", "status", "assigned_location_name", "updated_at"),
            {
                r["id"]: (r["orderId"], r["status"], places[r["locationId"]], _ts(r["updatedAt"]))
                for r in t("fulfillment_orders")
            },
        ),
        "fulfillment_order_line_items": (
            ("fulfillment_order_id", "line_item_id", "total_quantity", "remaining_quantity"),
            {
                r["id"]: (
                    r["fulfillmentOrderId"],
                    r["lineItemId"],
                    r["totalQuantity"],
                    r["remainingQuantity"],
                )
                for r in t("fulfillment_order_line_items")
            },
        ),
    }
    assert set(expected) == set(TABLES)
    for table, (columns, truth_rows) in expected.items():
        want = {} if TABLES[table].stream in skipped else truth_rows
        got = chain.live(tenant, table, *columns)
        missing = sorted(set(want) - set(got))[:3]
        extra = sorted(set(got) - set(want))[:3]
        wrong = [(k, got[k], want[k]) for k in sorted(set(got) & set(want)) if got[k] != want[k]]
        assert got == want, (
            f"{tenant}.{table}: warehouse differs from the simulator: missing {missing}, "
            f"extra {extra}, different {wrong[:3]}"
        )
    if "orders" not in skipped:
        assert_sales_match_truth(chain, tenant)


@pytest.fixture(scope="module")
def spark_session() -> SparkSession:
    from shopsync_glue.session import local_session

    return local_session()


@contextmanager
def local_chain(
    tmp_path: Path,
    spark_session: SparkSession,
    tenants: list[Tenant],
    options: SimulatorOptions | None = None,
) -> Iterator[Chain]:
    """The chain over ``tenants``, one Glue batch per as many events as there are tenants."""
    clock = Clock(start=float(int(time.time())))
    settings = Settings(home=tmp_path)
    raw = LocalObjectStore(settings.lake_path / BUCKET)
    warehouse = DuckDBWarehouse(settings.warehouse_path)
    lake = CuratedLake(str(settings.lake_path / settings.curated_bucket))
    rls = [(g, t.id) for t in tenants for g in t.quicksight.groups]
    holder: list[Chain] = []

    def workflow(run: WorkflowRun) -> None:
        holder[0].summaries.append(run_job(spark_session, raw, lake, warehouse, rls=rls))

    bus = LocalBus(
        load_pattern(CLOUDTRAIL_PATTERN, raw_bucket=BUCKET),
        workflow,
        batching=Batching(size=len(tenants), window_seconds=900),
    )
    with simulated_ingestion(
        tmp_path,
        tenants,
        size=SIZE,
        clock=clock,
        options=options or SimulatorOptions(),
        lake=raw,
        store=EventingObjectStore(raw, bus.publish, bucket=BUCKET),
    ) as rig:
        chain = Chain(rig.sim, clock, rig.services, rig.settings, raw, bus, warehouse)
        holder.append(chain)
        yield chain


@pytest.fixture
def chain(tmp_path: Path, spark_session: SparkSession) -> Iterator[Chain]:
    tenants = [
        make_tenant(t, plan="plus", start_date=date(2022, 1, 1), quicksight=analysts(t))
        for t in TENANTS
    ]
    with local_chain(tmp_path, spark_session, tenants) as chain:
        yield chain


def test_sync_events_load_equals_truth_through_changes_resyncs_and_replays(chain: Chain) -> None:
    # First sync of both stores: two manifests, one batch of two events, one workflow run.
    first = [chain.sync(t) for t in TENANTS]
    assert len(chain.bus.runs) == 1
    assert chain.summaries[-1].ok, (chain.summaries[-1].errors, chain.summaries[-1].failed_checks)
    for tenant in TENANTS:
        assert_matches_truth(chain, tenant)

    # Store activity (including deleted products), then an incremental sync of acme.
    done = chain.sim.store("acme").activity.random_activity(60, seed=7)
    assert done.get("delete", 0) > 0, done
    assert done.get("title", 0) > 0, done
    assert done.get("refund", 0) > 0, done  # refunds dated today, of orders of earlier days
    chain.sync("acme")
    assert chain.bus.drain() is not None  # the batch window closes
    assert chain.summaries[-1].ok, (chain.summaries[-1].errors, chain.summaries[-1].failed_checks)
    assert_matches_truth(chain, "acme")
    # What that compared: returns on days without orders, and orders presented in another
    # currency than the shop's.
    returns_only = chain.query(
        "SELECT COUNT(*) FROM reporting.daily_sales WHERE tenant_id = 'acme' AND orders = 0 "
        "AND returns > 0"
    )
    assert returns_only[0][0] > 0
    foreign = chain.query(
        "SELECT COUNT(*) FROM reporting.order_financials WHERE tenant_id = 'acme' "
        "AND presentment_currency_code <> currency_code"
    )
    assert foreign[0][0] > 0
    deleted = chain.query("SELECT COUNT(*) FROM shop_acme.products WHERE _deleted_at IS NOT NULL")
    assert deleted[0][0] > 0

    # One store resynced in full: the truth is unchanged.
    chain.sync("acme", mode="resync")
    chain.bus.drain()
    assert chain.summaries[-1].ok, (chain.summaries[-1].errors, chain.summaries[-1].failed_checks)
    assert_matches_truth(chain, "acme")
    assert_matches_truth(chain, "acme_corp")

    # The same events replayed three times, and the job run twice more: nothing changes.
    before = {t: {tb: chain.live(t, tb) for tb in TABLES} for t in TENANTS}
    ledger = chain.query("SELECT COUNT(*) FROM shopsync_ops.load_ledger")
    manifests = list(chain.raw.list("_manifests/"))
    assert len(manifests) == 4
    for _ in range(3):
        for key in manifests:
            chain.bus.publish(cloudtrail_object_event(BUCKET, key))
    chain.bus.drain()
    for _ in range(2):  # the job run twice more, as `shopsync load` or the safety net would
        chain.bus.trigger(WorkflowRun("wr_manual", ()))
    replays = chain.summaries[-8:]  # 12 events in batches of 2, then 2 runs by hand
    assert len(chain.summaries) == 3 + 8
    assert all(s.loaded == [] and s.ok for s in replays)
    assert {t: {tb: chain.live(t, tb) for tb in TABLES} for t in TENANTS} == before
    assert chain.query("SELECT COUNT(*) FROM shopsync_ops.load_ledger") == ledger

    # Tenants never see each other's rows; RLS rules come from the tenant files.
    for tenant in TENANTS:
        other = next(t for t in TENANTS if t != tenant)
        assert chain.query(
            f"SELECT COUNT(*) FROM shop_{tenant}.orders WHERE _tenant_id <> ?",  # noqa: S608
            tenant,
        ) == [(0,)]
        assert chain.query("SELECT COUNT(*) FROM reporting.orders WHERE tenant_id = ?", other) == [
            (len(chain.truth(other, "orders")),)
        ]
    assert chain.query("SELECT * FROM reporting.rls_rules ORDER BY 2") == [
        ("acme-analysts", "acme"),
        ("acme_corp-analysts", "acme_corp"),
    ]
    assert first[0] != first[1]

    # What `shopsync status` shows: last run, cursors, live rows per table, no failed check.
    con = duckdb.connect(str(chain.warehouse.path), read_only=True)
    try:
        acme, corp = tenant_status(con, TENANTS)
    finally:
        con.close()
    assert acme.ok, acme.failed_checks
    assert corp.ok, corp.failed_checks
    money_checks = chain.query(
        "SELECT tenant_id, check_name, COUNT(*) FROM shopsync_ops.checks WHERE status = 'passed' "
        "AND check_name IN (?, ?) GROUP BY ALL ORDER BY ALL",
        SALES_CHECK,
        CAPTURED_CHECK,
    )
    assert money_checks == [  # after every load of a run with orders
        ("acme", CAPTURED_CHECK, 3),
        ("acme", SALES_CHECK, 3),
        ("acme_corp", CAPTURED_CHECK, 1),
        ("acme_corp", SALES_CHECK, 1),
    ]
    assert acme.runs_loaded == 3
    assert corp.runs_loaded == 1
    assert {"products", "orders", "customers"} <= set(acme.cursors)
    rows = {t.table: t.rows for t in acme.tables}
    assert rows["products"] == len(chain.truth("acme", "products"))


def test_deleted_orders_and_customers_go_with_every_row_of_theirs(chain: Chain) -> None:
    """Orders and customers deleted in Shopify (their destroy events) leave the warehouse's live
    rows equal to the simulator's truth in every table: a deleted order takes its line items,
    shipping lines, discount applications, transactions, refunds and the refunds' lines; the
    rows stay, soft-deleted. Replays and a full resync change nothing."""
    activity = chain.sim.store("acme").activity
    activity.refund_order(0)  # in full, shipping too: a refund with a refund shipping line
    chain.sync("acme")
    chain.bus.drain()
    assert chain.summaries[-1].ok, (chain.summaries[-1].errors, chain.summaries[-1].failed_checks)
    # The refunded orders (order 0's refund, and one with an order adjustment) have rows in
    # every order table.
    refunded = sorted({r["orderId"] for r in chain.truth("acme", "refunds")})
    before = _rows_of_orders(chain, refunded)
    assert all(live > 0 and gone == 0 for live, gone in before.values()), before
    customer = chain.truth("acme", "customers")[0]["id"]
    for order in refunded:
        activity.delete_order(order)
    activity.delete_customer(customer)
    done = activity.random_activity(60, seed=7, deletions=True)  # deletes more of both
    assert done.get("delete_order", 0) > 0, done
    assert done.get("delete_customer", 0) > 0, done
    chain.sync("acme")
    chain.bus.drain()
    assert chain.summaries[-1].ok, (chain.summaries[-1].errors, chain.summaries[-1].failed_checks)
    assert_matches_truth(chain, "acme")
    assert _rows_of_orders(chain, refunded) == {t: (0, n) for t, (n, _) in before.items()}
    customers = "SELECT _deleted_at IS NOT NULL FROM shop_acme.customers WHERE id = ?"
    assert chain.query(customers, customer) == [(True,)]

    # Every event again and the job once more, then a full resync: the same live rows, and
    # the deleted ones keep the time of their deletion.
    live = {t: chain.live("acme", t) for t in TABLES}
    gone = {t: _deleted(chain, t) for t in TABLES}
    for key in chain.raw.list("_manifests/"):
        chain.bus.publish(cloudtrail_object_event(BUCKET, key))
    chain.bus.drain()
    chain.bus.trigger(WorkflowRun("wr_manual", ()))
    assert all(s.loaded == [] and s.ok for s in chain.summaries[2:])
    assert {t: chain.live("acme", t) for t in TABLES} == live
    chain.sync("acme", mode="resync")
    chain.bus.drain()
    assert chain.summaries[-1].ok, (chain.summaries[-1].errors, chain.summaries[-1].failed_checks)
    assert_matches_truth(chain, "acme")
    assert {t: _deleted(chain, t) for t in TABLES} == gone


class KilledProcess(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs, nothing is cleaned up."""


class _KilledAtWrite:
    """The raw store of a process that dies on its ``n``-th object write (0 = the first)
    whose key starts with ``prefix``."""

    def __init__(self, inner: Any, n: int, prefix: str = "") -> None:
        self.inner, self.left, self.prefix = inner, n, prefix

    def _maybe_die(self, key: str) -> None:
        if key.startswith(self.prefix):
            self.left -= 1
            if self.left < 0:
                raise KilledProcess(key)

    def put_bytes(self, key: str, data: bytes) -> None:
        self._maybe_die(key)
        self.inner.put_bytes(key, data)

    def open_write(self, key: str) -> Any:
        self._maybe_die(key)
        return self.inner.open_write(key)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.mark.parametrize(
    ("n", "prefix"),
    [
        (0, ""),  # before the first part
        (3, "tenant="),  # with some parts written
        (0, "_manifests/"),  # every part written, the manifest not
    ],
    ids=["before-any-part", "mid-parts", "at-the-manifest"],
)
def test_a_killed_run_then_a_rerun_loads_exactly_the_truth(
    chain: Chain, n: int, prefix: str
) -> None:
    chain.sync("acme")
    chain.bus.drain()
    chain.sim.store("acme").activity.random_activity(60, seed=11)
    manifests_before = len(list(chain.raw.list("_manifests/")))

    real = chain.services.store
    chain.services.store = _KilledAtWrite(real, n, prefix)  # type: ignore[assignment]
    with pytest.raises(KilledProcess):
        chain.sync("acme")
    chain.services.store = real
    assert len(list(chain.raw.list("_manifests/"))) == manifests_before  # nothing to load
    chain.bus.drain()

    # The killed process never released its lease; the next run starts once it has expired.
    chain.clock.advance(chain.settings.lease_ttl_seconds + 1)
    chain.sync("acme")
    chain.bus.drain()
    assert chain.summaries[-1].ok, (chain.summaries[-1].errors, chain.summaries[-1].failed_checks)
    assert_matches_truth(chain, "acme")
    for table in TABLES:
        duplicates = chain.query(
            f"SELECT id FROM shop_acme.{table} GROUP BY id HAVING COUNT(*) > 1"  # noqa: S608
        )
        assert duplicates == [], table


#: Three stores on three plans with three scope sets: every scope; no inventory, locations or
#: fulfillment orders (inventory levels, locations and fulfillment orders skipped); products
#: and inventory only (the orders group and customers skipped).
THREE: dict[str, tuple[str, frozenset[str]]] = {
    "north": ("plus", DEFAULT_SCOPES),
    "south": (
        "standard",
        DEFAULT_SCOPES
        - {"read_inventory", "read_locations", "read_merchant_managed_fulfillment_orders"},
    ),
    "west": ("advanced", frozenset({"read_products", "read_inventory", "read_locations"})),
}


def test_three_plans_and_scope_sets_sync_load_and_equal_the_truth(
    tmp_path: Path, spark_session: SparkSession
) -> None:
    """First sync -> load, then refunds, captures, fulfillments and deletes -> incremental ->
    load, for three tenants of different plans and scopes: every table equals the truth (the
    skipped streams' tables empty), daily sales to the cent where orders are synced, and
    ``status`` shows each tenant's skipped streams with the scopes they lack."""
    tenants = [
        make_tenant(t, plan=plan, start_date=date(2022, 1, 1), quicksight=analysts(t))
        for t, (plan, _) in THREE.items()
    ]
    options = SimulatorOptions(scopes={t: scopes for t, (_, scopes) in THREE.items()})
    skipped = {
        t: frozenset(n for n, spec in SPECS.items() if missing_scopes(spec.scopes, scopes))
        for t, (_, scopes) in THREE.items()
    }
    located = {t: not missing_scopes([LOCATION_SCOPES], s) for t, (_, s) in THREE.items()}
    assert located == {"north": True, "south": False, "west": True}
    assert not skipped["north"]
    assert {"inventory_levels", "locations", "fulfillment_orders"} == skipped["south"]
    assert {"orders", "order_refunds", "customers", "deleted_orders"} <= skipped["west"]
    with local_chain(tmp_path, spark_session, tenants, options) as chain:
        for tenant in THREE:
            chain.sync(tenant)
        assert chain.summaries[-1].ok, chain.summaries[-1].failed_checks
        for tenant in THREE:
            assert_matches_truth(chain, tenant, skipped[tenant], located[tenant])
        assert chain.query("SELECT COUNT(*) FROM shop_west.products") != [(0,)]
        assert (
            chain.query("SELECT COUNT(*) FROM reporting.daily_sales WHERE tenant_id = 'south'")[0][
                0
            ]
            > 0
        )

        for n, tenant in enumerate(THREE):
            done = chain.sim.store(tenant).activity.random_activity(40, seed=n, deletions=True)
            assert done.get("refund", 0) > 0, done
            chain.sync(tenant)
        chain.bus.drain()
        assert len(chain.summaries) == 2  # one batch of three events per round
        assert all(s.ok for s in chain.summaries), [s.failed_checks for s in chain.summaries]
        for tenant in THREE:
            assert_matches_truth(chain, tenant, skipped[tenant], located[tenant])

        con = duckdb.connect(str(chain.warehouse.path), read_only=True)
        try:
            statuses = {s.tenant_id: s for s in tenant_status(con, list(THREE))}
        finally:
            con.close()
        assert statuses["north"].skipped == {}
        assert statuses["south"].skipped == {
            "inventory_levels": ["read_inventory", "read_locations"],
            "locations": ["read_locations"],
            "fulfillment_orders": [FULFILLMENT_ORDER_SCOPES],
        }
        assert set(statuses["west"].skipped) == skipped["west"]
        assert statuses["west"].skipped["customers"] == ["read_customers"]
