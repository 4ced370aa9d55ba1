"""Revenue that reconciles: ``reporting.order_financials`` and ``reporting.daily_sales``, and the
data-quality checks that hold them to the orders' own totals.

The figures are Shopify's Finance report definitions (the Total sales report,
https://help.shopify.com/en/manual/reports-and-analytics/shopify-reports/report-types/default-reports/finances-report
and the sales report,
https://help.shopify.com/en/manual/reports-and-analytics/shopify-reports/report-types/sales-report),
the same that ``shopsync_simulator.sales`` implements independently from the simulator's
records:

* gross = line item original unit price x quantity (``order_line_items``);
* discounts = the line items' discounts, their share of order-level discounts included, i.e.
  gross - the order's subtotal (``subtotalPriceSet``: the line items after every discount);
  shipping discounts are not here, they reduce shipping;
* returns = the refund line items' subtotals (after their discounts) plus the refund's order
  adjustments (a restocking fee kept is a negative adjustment), on the *refund's* day;
* net = gross - discounts - returns;
* shipping = the order's shipping after shipping discounts (``totalShippingPriceSet``) on the
  order's day, minus refunded shipping (``refund_shipping_lines``) on the refund's day;
* taxes = the order's taxes (``totalTaxSet``, line items and shipping) on the order's day, minus
  the refunded taxes (refund line items', refund shipping lines' and order adjustments') on the
  refund's day;
* total = net + shipping + taxes.

Test orders and soft-deleted rows are left out; a day is the UTC date of ``created_at``.
``order_financials`` has one row per order with every refund of the order applied, in shop and
in presentment currency; ``daily_sales`` one row per tenant, UTC day and shop currency.

Both views read the ``reporting.<table>`` tables (so one statement each, whatever the number of
tenants, and ``tenant_id`` is there for the row-level security), joined on ``tenant_id`` as
well as ids. The checks run the same SQL on one tenant's own tables (a load's checks run before
the reporting refresh).
"""

# ruff: noqa: S608 - SQL is generated from validated identifiers; literals go through sql.literal

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal

from shopsync.warehouse.sql import REPORTING_SCHEMA, Dialect, literal, tenant_schema

ViewColumnType = Literal["varchar", "bigint", "decimal", "timestamp", "date"]

#: The figures, in order; each is also in presentment currency (``<figure>_presentment``).
FIGURES = (
    "gross",
    "discounts",
    "returns",
    "net",
    "shipping",
    "taxes",
    "total",
    "refunded",
    "outstanding",
)
ORDER_FINANCIALS = "order_financials"
DAILY_SALES = "daily_sales"
#: Columns of each view, in order (``tenant_id`` first: the row-level security filters on it).
VIEW_COLUMNS: dict[str, list[tuple[str, ViewColumnType]]] = {
    ORDER_FINANCIALS: [
        ("tenant_id", "varchar"),
        ("order_id", "varchar"),
        ("order_name", "varchar"),
        ("created_at", "timestamp"),
        ("created_day", "date"),
        ("currency_code", "varchar"),
        ("presentment_currency_code", "varchar"),
        *((f, "decimal") for f in FIGURES),
        *((f"{f}_presentment", "decimal") for f in FIGURES),
    ],
    DAILY_SALES: [
        ("tenant_id", "varchar"),
        ("day", "date"),
        ("currency_code", "varchar"),
        ("orders", "bigint"),
        ("gross_sales", "decimal"),
        ("discounts", "decimal"),
        ("returns", "decimal"),
        ("net_sales", "decimal"),
        ("shipping", "decimal"),
        ("taxes", "decimal"),
        ("total_sales", "decimal"),
    ],
}

#: A warehouse table as a relation with a ``tenant_id`` column and the table's columns.
Relation = Callable[[str], str]


def reporting_relation(table: str) -> str:
    return f"{REPORTING_SCHEMA}.{table}"


def _if_found(alias: str, key: str, expr: str, zero: str) -> str:
    """``expr`` of a LEFT JOIN's row, zero when there is none (a NULL amount stays NULL)."""
    return f"CASE WHEN {alias}.{key} IS NULL THEN {zero} ELSE {expr} END"


def _sum(expr: str) -> str:
    """A sum that is NULL when any term is (a row loaded before its amount column existed)."""
    return f"CASE WHEN COUNT(*) = COUNT({expr}) THEN SUM({expr}) END"


def _with(dialect: Dialect, rel: Relation, first: str = "") -> str:
    """The common table expressions of both views (after ``first``'s, which ``rel`` may read):

    ``o``: the orders that count (live, not test), with their day and totals;
    ``li``: gross per order; ``rp``: each refund's returns, shipping and taxes;
    ``r``: each refund of an order that counts, with its day, parts and total refunded;
    ``orf``: the refunds summed per order.
    """
    dec = dialect.type_of("decimal")
    zero = f"CAST(0 AS {dec})"

    def part(table: str, ret: str | None, ship: str | None, tax: str) -> str:
        """One refund list's rows as (returns, shipping, taxes) in both currencies."""
        values = [
            f"{c} AS {n}, {c}_presentment AS {n}_p" if c else f"{zero} AS {n}, {zero} AS {n}_p"
            for c, n in ((ret, "ret"), (ship, "ship"), (tax, "tax"))
        ]
        return (
            f"SELECT tenant_id, refund_id, {', '.join(values)} FROM {rel(table)} "
            "WHERE _deleted_at IS NULL"
        )

    parts = " UNION ALL ".join(
        (
            part("refund_line_items", "subtotal", None, "total_tax"),
            part("order_adjustments", "amount", None, "tax_amount"),
            part("refund_shipping_lines", None, "subtotal", "tax_amount"),
        )
    )
    names = ("ret", "ret_p", "ship", "ship_p", "tax", "tax_p")
    found = ", ".join(f"{_if_found('rp', 'refund_id', f'rp.{n}', zero)} AS {n}" for n in names)
    return (
        f"WITH {first}o AS (SELECT tenant_id, id, name, created_at, "
        f"{dialect.utc_date('created_at')} AS day, currency_code, presentment_currency_code, "
        "subtotal_price, subtotal_price_presentment, total_shipping, total_shipping_presentment, "
        "total_tax, total_tax_presentment, total_refunded, total_refunded_presentment, "
        "total_outstanding, total_outstanding_presentment "
        f"FROM {rel('orders')} WHERE _deleted_at IS NULL AND NOT COALESCE(test, FALSE)), "
        "li AS (SELECT tenant_id, order_id, SUM(original_unit_price * quantity) AS gross, "
        f"{_sum('original_unit_price_presentment * quantity')} AS gross_p "
        f"FROM {rel('order_line_items')} WHERE _deleted_at IS NULL GROUP BY tenant_id, order_id), "
        "rp AS (SELECT tenant_id, refund_id, "
        + ", ".join(f"{_sum(n)} AS {n}" for n in names)
        + f" FROM ({parts}) p GROUP BY tenant_id, refund_id), "
        "r AS (SELECT f.tenant_id, f.order_id, "
        f"{dialect.utc_date('f.created_at')} AS day, o.currency_code, {found}, "
        "f.total_refunded AS refund_total "
        f"FROM {rel('refunds')} f JOIN o ON o.tenant_id = f.tenant_id AND o.id = f.order_id "
        "LEFT JOIN rp ON rp.tenant_id = f.tenant_id AND rp.refund_id = f.id "
        "WHERE f._deleted_at IS NULL), "
        "orf AS (SELECT tenant_id, order_id, "
        + ", ".join(f"{_sum(n)} AS {n}" for n in (*names, "refund_total"))
        + " FROM r GROUP BY tenant_id, order_id)"
    )


def _order_financials_select(dialect: Dialect) -> str:
    """``order_financials``' SELECT over :func:`_with`'s expressions."""
    dec = dialect.type_of("decimal")
    zero = f"CAST(0 AS {dec})"
    base = []
    for suffix, p in (("", ""), ("_p", "_presentment")):
        gross = _if_found("li", "order_id", f"li.gross{suffix}", zero)
        base += [
            f"{gross} AS gross{suffix}",
            f"{gross} - o.subtotal_price{p} AS discounts{suffix}",
            f"{_if_found('orf', 'order_id', f'orf.ret{suffix}', zero)} AS returns{suffix}",
            f"o.total_shipping{p} - {_if_found('orf', 'order_id', f'orf.ship{suffix}', zero)} "
            f"AS shipping{suffix}",
            f"o.total_tax{p} - {_if_found('orf', 'order_id', f'orf.tax{suffix}', zero)} "
            f"AS taxes{suffix}",
            f"o.total_refunded{p} AS refunded{suffix}",
            f"o.total_outstanding{p} AS outstanding{suffix}",
        ]
    figures = []
    for suffix, p in (("", ""), ("_p", "_presentment")):
        net = f"gross{suffix} - discounts{suffix} - returns{suffix}"
        values = {
            "gross": f"gross{suffix}",
            "discounts": f"discounts{suffix}",
            "returns": f"returns{suffix}",
            "net": net,
            "shipping": f"shipping{suffix}",
            "taxes": f"taxes{suffix}",
            "total": f"{net} + shipping{suffix} + taxes{suffix}",
            "refunded": f"refunded{suffix}",
            "outstanding": f"outstanding{suffix}",
        }
        figures += [f"CAST({values[f]} AS {dec}) AS {f}{p}" for f in FIGURES]
    return (
        "SELECT tenant_id, order_id, order_name, created_at, created_day, currency_code, "
        f"presentment_currency_code, {', '.join(figures)} FROM (SELECT o.tenant_id, "
        "o.id AS order_id, o.name AS order_name, o.created_at, o.day AS created_day, "
        f"o.currency_code, o.presentment_currency_code, {', '.join(base)} FROM o "
        "LEFT JOIN li ON li.tenant_id = o.tenant_id AND li.order_id = o.id "
        "LEFT JOIN orf ON orf.tenant_id = o.tenant_id AND orf.order_id = o.id) b"
    )


def _daily_sales_select(dialect: Dialect) -> str:
    """``daily_sales``' SELECT over :func:`_with`'s expressions: each order on its day, each
    refund on its own."""
    dec = dialect.type_of("decimal")
    zero = f"CAST(0 AS {dec})"
    gross = f"COALESCE(li.gross, {zero})"
    net = "SUM(g) - SUM(d) - SUM(ret)"
    return (
        f"SELECT tenant_id, day, currency_code, CAST(SUM(n) AS BIGINT) AS orders, "
        f"CAST(SUM(g) AS {dec}) AS gross_sales, CAST(SUM(d) AS {dec}) AS discounts, "
        f"CAST(SUM(ret) AS {dec}) AS returns, CAST({net} AS {dec}) AS net_sales, "
        f"CAST(SUM(ship) AS {dec}) AS shipping, CAST(SUM(tax) AS {dec}) AS taxes, "
        f"CAST({net} + SUM(ship) + SUM(tax) AS {dec}) AS total_sales FROM ("
        f"SELECT o.tenant_id, o.day, o.currency_code, 1 AS n, {gross} AS g, "
        f"{gross} - o.subtotal_price AS d, {zero} AS ret, o.total_shipping AS ship, "
        "o.total_tax AS tax FROM o "
        "LEFT JOIN li ON li.tenant_id = o.tenant_id AND li.order_id = o.id "
        f"UNION ALL SELECT tenant_id, day, currency_code, 0, {zero}, {zero}, ret, -ship, -tax "
        "FROM r) s GROUP BY tenant_id, day, currency_code"
    )


def finance_views(dialect: Dialect) -> list[str]:
    """``CREATE OR REPLACE VIEW`` of both views, over the ``reporting.<table>`` tables."""
    with_ = _with(dialect, reporting_relation)
    bodies = {
        ORDER_FINANCIALS: _order_financials_select(dialect),
        DAILY_SALES: _daily_sales_select(dialect),
    }
    return [
        f"CREATE OR REPLACE VIEW {REPORTING_SCHEMA}.{name} AS {with_} {body}{dialect.view_suffix}"
        for name, body in bodies.items()
    ]


# -- checks ------------------------------------------------------------------------------------

SALES_CHECK = "sales_reconcile"
CAPTURED_CHECK = "refunds_within_captured"
#: What ``daily_sales`` must equal, per figure: the orders of the day from ``order_financials``
#: with their refunds taken back out (``+``: a refund lowered the figure), plus each refund
#: dated that day. ``refund_total`` (the refund's own total refunded) stands for
#: returns + refunded shipping + refunded taxes in ``total``.
_RECONCILE = {
    "orders": ("1", "0"),
    "gross_sales": ("gross", "0"),
    "discounts": ("discounts", "0"),
    "returns": ("returns - {ret}", "{ret}"),
    "net_sales": ("net + {ret}", "-{ret}"),
    "shipping": ("shipping + {ship}", "-{ship}"),
    "taxes": ("taxes + {tax}", "-{tax}"),
    "total_sales": ("total + {refund_total}", "-{refund_total}"),
}


def _touched_days(dialect: Dialect, tenant_id: str, run_id: str, started_at: datetime) -> str:
    """The UTC days of the orders and refunds the run merged or soft-deleted."""
    schema = tenant_schema(tenant_id)
    by_run = f"_run_id = {literal(run_id)} OR _deleted_at = {literal(started_at)}"
    return " UNION ".join(
        f"SELECT {dialect.utc_date('created_at')} AS day FROM {schema}.{table} WHERE {by_run}"
        for table in ("orders", "refunds")
    )


def sales_check_query(dialect: Dialect, tenant_id: str, run_id: str, started_at: datetime) -> str:
    """One row: (days the run touched, how many of them ``daily_sales`` gets wrong, the first).

    ``daily_sales`` of each day against :data:`_RECONCILE`'s sum of ``order_financials`` and
    the refunds of that day, both computed by the views' own SQL over the tenant's rows of the
    touched days' orders (so the check's cost follows the run, not the tenant's history).
    """
    schema, tenant = tenant_schema(tenant_id), literal(tenant_id)

    def rel(table: str) -> str:
        """The tenant's rows of the orders in ``scope``: the sums of a touched day read only
        those, so the check costs the run's days, not the tenant's whole history."""
        key = "id" if table == "orders" else "order_id"
        return (
            f"(SELECT {tenant} AS tenant_id, * FROM {schema}.{table} "
            f"WHERE {key} IN (SELECT id FROM scope))"
        )

    def on_touched(table: str, key: str) -> str:
        day = dialect.utc_date("created_at")
        return f"SELECT {key} AS id FROM {schema}.{table} WHERE {day} IN (SELECT day FROM touched)"

    # A touched day's sums read its orders and, for its refunds, theirs: the orders created
    # that day and the orders of refunds dated that day (each with all its refunds and lines).
    first = (
        f"touched AS ({_touched_days(dialect, tenant_id, run_id, started_at)}), "
        f"scope AS ({on_touched('orders', 'id')} UNION {on_touched('refunds', 'order_id')}), "
    )
    back = {k: f"COALESCE(orf.{k}, 0)" for k in ("ret", "ship", "tax", "refund_total")}
    own = {k: f"r.{k}" for k in back}
    names = list(_RECONCILE)
    cols = ", ".join(names)
    ours = ", ".join(f"-({order.format(**back)}) AS {n}" for n, (order, _) in _RECONCILE.items())
    theirs = ", ".join(f"-({ref.format(**own)}) AS {n}" for n, (_, ref) in _RECONCILE.items())
    differs = " OR ".join(f"SUM({n}) <> 0" for n in names)
    return (
        f"{_with(dialect, rel, first)}, "
        f"ofin AS ({_order_financials_select(dialect)}), "
        f"ds AS ({_daily_sales_select(dialect)}), "
        f"diff AS (SELECT day FROM (SELECT day, {cols} FROM ds "
        f"UNION ALL SELECT f.created_day AS day, {ours} FROM ofin f "
        "LEFT JOIN orf ON orf.tenant_id = f.tenant_id AND orf.order_id = f.order_id "
        f"UNION ALL SELECT r.day, {theirs} FROM r) x "
        f"WHERE day IN (SELECT day FROM touched) GROUP BY day HAVING {differs}) "
        "SELECT (SELECT COUNT(*) FROM touched), (SELECT COUNT(*) FROM diff), "
        "(SELECT MIN(day) FROM diff)"
    )


def captured_check_query(tenant_id: str, run_id: str) -> str:
    """One row: (orders checked, orders whose refunds exceed what was captured, the first).

    Captured: the order's successful ``SALE`` and ``CAPTURE`` transactions (shop currency).
    Refunds: the ``total_refunded`` of the order's refunds. Checked: the live orders the run
    merged refunds or transactions of.
    """
    schema, run = tenant_schema(tenant_id), literal(run_id)
    live = "_deleted_at IS NULL"
    return (
        "WITH checked AS (SELECT DISTINCT order_id FROM ("
        f"SELECT order_id FROM {schema}.refunds WHERE _run_id = {run} UNION ALL "
        f"SELECT order_id FROM {schema}.transactions WHERE _run_id = {run}) t "
        f"WHERE order_id IN (SELECT id FROM {schema}.orders WHERE {live})), "
        f"refunded AS (SELECT order_id, SUM(total_refunded) AS amount FROM {schema}.refunds "
        f"WHERE {live} GROUP BY order_id), "
        f"captured AS (SELECT order_id, SUM(amount) AS amount FROM {schema}.transactions "
        f"WHERE {live} AND kind IN ('SALE', 'CAPTURE') AND status = 'SUCCESS' "
        "GROUP BY order_id), "
        "excess AS (SELECT c.order_id FROM checked c JOIN refunded r ON r.order_id = c.order_id "
        "LEFT JOIN captured k ON k.order_id = c.order_id "
        "WHERE r.amount > COALESCE(k.amount, 0)) "
        "SELECT (SELECT COUNT(*) FROM checked), (SELECT COUNT(*) FROM excess), "
        "(SELECT MIN(order_id) FROM excess)"
    )
