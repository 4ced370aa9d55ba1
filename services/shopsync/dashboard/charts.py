"""Every figure the dashboard shows, in one place: each chart's SQL over ``reporting``, its
columns and how it is drawn. Pages, the CSV export and the JSON API read the same definitions,
so a chart, its download and its numbers cannot disagree.

Row-level security is part of every statement, not a filter applied after it: ``{rls}`` (or
``{rls:alias}``) becomes ``<alias>.tenant_id = $tenant AND <alias>.tenant_id IN (SELECT
tenant_id FROM reporting.rls_rules WHERE list_contains($groups, groupname))``: the store asked
for, and only if one of the user's groups has a rule for it, exactly as QuickSight's RLS
dataset admits a row. Values are bound parameters; nothing from a request is spliced into SQL.
"""

# ruff: noqa: S608 - the SQL is constant; requests only bind parameters

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from shopsync.warehouse.sql import RLS_RULES

Kind = Literal["bar", "line", "stacked", "hbar", "table"]
Page = Literal["sales", "inventory", "customers"]

#: A variant is low on stock at or below this many units available (all locations together),
#: unless the request asks for another threshold.
LOW_STOCK_DEFAULT = 10


#: The tenants one of ``$groups`` has a rule for: what a user may see at all (every
#: statement below reads it, so the rules are applied in one way only).
RULED = f"SELECT DISTINCT tenant_id FROM {RLS_RULES} WHERE list_contains($groups, groupname)"


def rls(alias: str = "") -> str:
    """The row-level security predicate on ``alias``'s ``tenant_id``."""
    column = f"{alias}.tenant_id" if alias else "tenant_id"
    return f"{column} = $tenant AND {column} IN ({RULED})"


def visible_tenants_sql() -> str:
    return f"{RULED} ORDER BY tenant_id"


@dataclass(frozen=True)
class Chart:
    name: str
    page: Page
    title: str
    kind: Kind
    sql: str
    #: result columns, in order: the first is the x axis (or the label), the rest are series
    columns: tuple[str, ...]
    #: columns that are amounts in the store's currency
    money: tuple[str, ...] = ()
    #: whether the chart follows the page's date range (stock levels are as of now)
    dated: bool = True
    note: str = ""

    def statement(self) -> str:
        return re.sub(r"\{rls(?::(\w+))?\}", lambda m: rls(m.group(1) or ""), self.sql)

    @property
    def params(self) -> frozenset[str]:
        """The names of the statement's parameters (``$name``)."""
        return frozenset(re.findall(r"\$(\w+)", self.statement()))


_LIVE_ORDERS = "o._deleted_at IS NULL AND NOT COALESCE(o.test, FALSE)"
#: A day's sales in the period the chart shows (``$grain``: day, week or month; see
#: :func:`grain_for`), named by its first day.
_PERIOD = "CAST(date_trunc($grain, day) AS DATE) AS period"


def grain_for(days: int) -> str:
    """The period a chart of ``days`` days sums by: a day up to six weeks, a week up to a
    year and a bit, then a month (a few dozen bars at most)."""
    return "day" if days <= 45 else "week" if days <= 400 else "month"


CHARTS: tuple[Chart, ...] = (
    Chart(
        "net_sales",
        "sales",
        "Net sales per {grain}",
        "bar",
        f"SELECT {_PERIOD}, SUM(net_sales) AS net_sales FROM reporting.daily_sales "
        "WHERE {rls} AND day BETWEEN $start AND $end GROUP BY 1 ORDER BY 1",
        ("period", "net_sales"),
        money=("net_sales",),
        note="Gross sales less discounts and returns, on the day of the order or the return.",
    ),
    Chart(
        "orders",
        "sales",
        "Orders per {grain}",
        "bar",
        f"SELECT {_PERIOD}, SUM(orders) AS orders FROM reporting.daily_sales "
        "WHERE {rls} AND day BETWEEN $start AND $end GROUP BY 1 HAVING SUM(orders) > 0 "
        "ORDER BY 1",
        ("period", "orders"),
    ),
    Chart(
        "returns_discounts",
        "sales",
        "Discounts and returns per {grain}",
        "stacked",
        f"SELECT {_PERIOD}, SUM(discounts) AS discounts, SUM(returns) AS returns "
        "FROM reporting.daily_sales WHERE {rls} AND day BETWEEN $start AND $end "
        "GROUP BY 1 HAVING SUM(discounts) <> 0 OR SUM(returns) <> 0 ORDER BY 1",
        ("period", "discounts", "returns"),
        money=("discounts", "returns"),
        note="What discounts took off the orders, and what was returned, in each period.",
    ),
    Chart(
        "top_products",
        "sales",
        "Top products by sales",
        "hbar",
        "SELECT COALESCE(p.title, li.name) AS product, SUM(li.quantity) AS units, "
        "SUM(li.discounted_total) AS sales FROM reporting.order_line_items li "
        "JOIN reporting.orders o ON o.tenant_id = li.tenant_id AND o.id = li.order_id "
        "LEFT JOIN reporting.products p ON p.tenant_id = li.tenant_id AND p.id = li.product_id "
        f"WHERE {{rls:li}} AND li._deleted_at IS NULL AND {_LIVE_ORDERS} "
        "AND CAST(o.created_at AS DATE) BETWEEN $start AND $end "
        "GROUP BY 1 ORDER BY sales DESC, product LIMIT 10",
        ("product", "units", "sales"),
        money=("sales",),
        note="Line items of the orders placed in the range, after line-item discounts.",
    ),
    Chart(
        "stock_by_location",
        "inventory",
        "Stock by location",
        "bar",
        "SELECT COALESCE(l.name, lv.location_id) AS location, SUM(lv.available) AS available, "
        "SUM(lv.on_hand) AS on_hand FROM reporting.inventory_levels lv "
        "LEFT JOIN reporting.locations l ON l.tenant_id = lv.tenant_id AND l.id = lv.location_id "
        "WHERE {rls:lv} AND lv._deleted_at IS NULL GROUP BY 1 ORDER BY 1",
        ("location", "available", "on_hand"),
        dated=False,
        note="Units on hand and available now.",
    ),
    Chart(
        "stock_value",
        "inventory",
        "Stock value at cost by location",
        "bar",
        "SELECT COALESCE(l.name, lv.location_id) AS location, "
        "SUM(lv.on_hand * ii.unit_cost) AS value_at_cost FROM reporting.inventory_levels lv "
        "LEFT JOIN reporting.locations l ON l.tenant_id = lv.tenant_id AND l.id = lv.location_id "
        "JOIN reporting.inventory_items ii ON ii.tenant_id = lv.tenant_id "
        "AND ii.id = lv.inventory_item_id AND ii._deleted_at IS NULL "
        "WHERE {rls:lv} AND lv._deleted_at IS NULL GROUP BY 1 ORDER BY 1",
        ("location", "value_at_cost"),
        money=("value_at_cost",),
        dated=False,
        note="Units on hand at their items' unit cost, now (items without a cost count zero).",
    ),
    Chart(
        "low_stock",
        "inventory",
        "Low-stock variants",
        "table",
        "SELECT COALESCE(v.display_name, ii.sku, lv.inventory_item_id) AS variant, "
        "COALESCE(v.sku, ii.sku) AS sku, SUM(lv.available) AS available "
        "FROM reporting.inventory_levels lv "
        "JOIN reporting.inventory_items ii ON ii.tenant_id = lv.tenant_id "
        "AND ii.id = lv.inventory_item_id AND ii._deleted_at IS NULL "
        "AND COALESCE(ii.tracked, TRUE) "
        "LEFT JOIN reporting.product_variants v ON v.tenant_id = lv.tenant_id "
        "AND v.inventory_item_id = lv.inventory_item_id AND v._deleted_at IS NULL "
        "WHERE {rls:lv} AND lv._deleted_at IS NULL GROUP BY lv.inventory_item_id, 1, 2 "
        "HAVING SUM(lv.available) <= $low ORDER BY available, variant LIMIT 50",
        ("variant", "sku", "available"),
        dated=False,
        note="Tracked variants with this many units available or fewer, all locations together.",
    ),
    Chart(
        "customers_weekly",
        "customers",
        "New and returning customers per week",
        "stacked",
        "WITH o AS (SELECT o.customer_id, o.created_at FROM reporting.orders o "
        f"WHERE {{rls:o}} AND {_LIVE_ORDERS} AND o.customer_id IS NOT NULL), "
        "f AS (SELECT customer_id, MIN(created_at) AS first_at FROM o GROUP BY 1) "
        "SELECT CAST(date_trunc('week', o.created_at) AS DATE) AS week, "
        "COUNT(DISTINCT CASE WHEN date_trunc('week', f.first_at) = "
        "date_trunc('week', o.created_at) THEN o.customer_id END) AS new_customers, "
        "COUNT(DISTINCT CASE WHEN date_trunc('week', f.first_at) < "
        "date_trunc('week', o.created_at) THEN o.customer_id END) AS returning_customers "
        "FROM o JOIN f USING (customer_id) "
        "WHERE CAST(o.created_at AS DATE) BETWEEN $start AND $end GROUP BY 1 ORDER BY 1",
        ("week", "new_customers", "returning_customers"),
        note="Customers who ordered that week (Monday to Sunday): new when it was the week "
        "of their first order the warehouse holds.",
    ),
)
CHARTS_BY_NAME = {c.name: c for c in CHARTS}


def page_charts(page: Page) -> list[Chart]:
    return [c for c in CHARTS if c.page == page]


#: One row per visible tenant for the sales figures of the range (``/api/summary`` and the
#: sales page's headline numbers): a tenant with no sales in the range has no row.
SUMMARY_SQL = (
    "SELECT tenant_id, MIN(currency_code) AS currency_code, SUM(orders) AS orders, "
    "SUM(gross_sales) AS gross_sales, SUM(discounts) AS discounts, SUM(returns) AS returns, "
    "SUM(net_sales) AS net_sales, SUM(total_sales) AS total_sales "
    "FROM reporting.daily_sales WHERE tenant_id IN "
    f"({RULED}) "
    "AND day BETWEEN $start AND $end GROUP BY tenant_id ORDER BY tenant_id"
)
SUMMARY_COLUMNS = (
    "tenant_id",
    "currency_code",
    "orders",
    "gross_sales",
    "discounts",
    "returns",
    "net_sales",
    "total_sales",
)

#: The store's currency: the one most of its orders are in (its shop currency).
CURRENCY_SQL = (
    "SELECT currency_code FROM reporting.orders WHERE {rls} AND currency_code IS NOT NULL "
    "GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1"
).replace("{rls}", rls())

#: The days the store has sales on: the date picker's bounds.
SALES_DAYS_SQL = f"SELECT MIN(day), MAX(day) FROM reporting.daily_sales WHERE {rls()}"
