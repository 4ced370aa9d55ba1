"""``daily_sales`` and ``order_financials``: Shopify's sales figures per day and per order,
computed from the store's own records.

Definitions (Shopify Help Center, "Finance reports" / the Total sales report,
https://help.shopify.com/en/manual/reports-and-analytics/shopify-reports/report-types/default-reports/finances-report
and the sales report definitions,
https://help.shopify.com/en/manual/reports-and-analytics/shopify-reports/report-types/sales-report):

* gross sales = line item price x quantity, before discounts, excluding taxes and shipping
  (no gift cards are sold here);
* discounts = line item discounts plus the line items' share of order-level discounts; shipping
  discounts are not here, they reduce shipping;
* returns = the value of refunded line items, on the *refund's* date; refunded shipping and
  refunded taxes are not returns, they are negative shipping and taxes on the refund's date;
* net sales = gross sales - discounts - returns;
* shipping = shipping charges - shipping discounts - refunded shipping;
* taxes = taxes charged (order date) - taxes refunded (refund date);
* total sales = net sales + shipping + taxes (+ duties and additional fees: none here).

Returns are the refund line items' subtotals, i.e. after their discounts (Shopify's report shows
the returned gross and gives the discount back in the discounts column: the same net sales); a
refund's order adjustments (a restocking fee kept) count in returns. Days are UTC dates (the
simulated shops' time zone is UTC). Amounts are integer cents in the shop's currency, or in the
orders' presentment currency with ``presentment=True`` (meaningful for single-currency sets).

``order_financials`` gives each live, non-test order its figures with every refund applied
(whatever the refund's day), in both currencies, plus what the order says was refunded and is
outstanding (``totalRefundedSet``, ``totalOutstandingSet``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields

from shopsync_simulator.store.generate import iso
from shopsync_simulator.store.money import Bag
from shopsync_simulator.store.orders import net_of, refund_parts, tax_of
from shopsync_simulator.store.store import Store
from shopsync_simulator.store.table import Record


@dataclass
class DailySales:
    day: str
    orders: int = 0
    gross_sales: int = 0
    discounts: int = 0
    returns: int = 0
    net_sales: int = 0
    shipping: int = 0
    taxes: int = 0
    total_sales: int = 0

    def as_dict(self) -> dict[str, int | str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class Figures:
    """One order's (or one refund's) share of the sales figures, in cents of one currency."""

    gross: int = 0
    discounts: int = 0
    returns: int = 0
    shipping: int = 0
    taxes: int = 0


@dataclass
class Sale:
    """A live, non-test order: its day and figures, and each refund's day and figures."""

    order: Record
    day: str
    figures: Figures
    refunds: list[tuple[str, Figures]]


def _sales(store: Store, cents: Callable[[Bag], int]) -> Iterator[Sale]:
    for order in store.orders.iter_live():
        if order["test"]:
            continue
        own = Figures()
        for line in order["_lines"]:
            own.gross += cents(line["_unit"]) * line["quantity"]
            own.discounts += sum(cents(a) for _, a in line["_alloc"])
            own.taxes += cents(tax_of(line))
        for ship in order["_ship"]:
            own.shipping += cents(net_of(ship))
            own.taxes += cents(tax_of(ship))
        refunds = []
        for refund, parts in refund_parts(order):
            back = Figures()
            back.returns += sum(cents(s) for s, _ in parts["items"])
            back.returns += sum(cents(a) for _, a in refund["_adj"])  # a kept fee is < 0
            back.shipping -= sum(cents(s) for s, _ in parts["ships"])
            back.taxes -= sum(cents(t) for _, t in parts["items"] + parts["ships"])
            refunds.append((iso(refund["_t"])[:10], back))
        yield Sale(order, iso(order["_c"])[:10], own, refunds)


def _cents(presentment: bool) -> Callable[[Bag], int]:
    return (lambda bag: bag.pres) if presentment else (lambda bag: bag.shop)


def daily_sales(
    store: Store, start: str | None = None, end: str | None = None, *, presentment: bool = False
) -> list[DailySales]:
    """One row per UTC day with sales or returns, in ``[start, end]`` (``YYYY-MM-DD``)."""
    days: dict[str, DailySales] = {}

    def add(day: str, f: Figures) -> DailySales:
        d = days.setdefault(day, DailySales(day))
        d.gross_sales += f.gross
        d.discounts += f.discounts
        d.returns += f.returns
        d.shipping += f.shipping
        d.taxes += f.taxes
        return d

    for sale in _sales(store, _cents(presentment)):
        add(sale.day, sale.figures).orders += 1
        for day, back in sale.refunds:
            add(day, back)
    out = []
    for day in sorted(days):
        if (start and day < start) or (end and day > end):
            continue
        d = days[day]
        d.net_sales = d.gross_sales - d.discounts - d.returns
        d.total_sales = d.net_sales + d.shipping + d.taxes
        out.append(d)
    return out


@dataclass
class OrderFinancials:
    """One order's figures in cents of one currency (``currency``), every refund applied."""

    order_id: str
    day: str
    currency: str
    gross: int
    discounts: int
    returns: int
    net: int
    shipping: int
    taxes: int
    total: int
    refunded: int
    outstanding: int

    def as_dict(self) -> dict[str, int | str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def order_financials(store: Store, *, presentment: bool = False) -> list[OrderFinancials]:
    """One row per live, non-test order, in shop (or presentment) currency, by order id."""
    cents = _cents(presentment)
    out = []
    for sale in _sales(store, cents):
        f = Figures(**vars(sale.figures))
        for _, back in sale.refunds:
            f.returns += back.returns
            f.shipping += back.shipping
            f.taxes += back.taxes
        net = f.gross - f.discounts - f.returns
        order = sale.order
        out.append(
            OrderFinancials(
                order_id=order["id"],
                day=sale.day,
                currency=order["presentmentCurrencyCode" if presentment else "currencyCode"],
                gross=f.gross,
                discounts=f.discounts,
                returns=f.returns,
                net=net,
                shipping=f.shipping,
                taxes=f.taxes,
                total=net + f.shipping + f.taxes,
                refunded=cents(order["totalRefundedSet"]),
                outstanding=cents(order["totalOutstandingSet"]),
            )
        )
    return out
