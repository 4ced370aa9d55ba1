"""``daily_sales``: Shopify's sales figures per day, computed from the store's own records.

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
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from shopsync_simulator.store.generate import iso
from shopsync_simulator.store.money import Bag
from shopsync_simulator.store.orders import net_of, refund_parts, tax_of
from shopsync_simulator.store.store import Store


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


def daily_sales(
    store: Store, start: str | None = None, end: str | None = None, *, presentment: bool = False
) -> list[DailySales]:
    """One row per UTC day with sales or returns, in ``[start, end]`` (``YYYY-MM-DD``)."""
    days: dict[str, DailySales] = {}

    def cents(bag: Bag) -> int:
        return bag.pres if presentment else bag.shop

    def row(ts: int) -> DailySales:
        day = iso(ts)[:10]
        return days.setdefault(day, DailySales(day))

    for order in store.orders.iter_live():
        if order["test"]:
            continue
        sale = row(order["_c"])
        sale.orders += 1
        for line in order["_lines"]:
            sale.gross_sales += cents(line["_unit"]) * line["quantity"]
            sale.discounts += sum(cents(a) for _, a in line["_alloc"])
            sale.taxes += cents(tax_of(line))
        for ship in order["_ship"]:
            sale.shipping += cents(net_of(ship))
            sale.taxes += cents(tax_of(ship))
        for refund, parts in refund_parts(order):
            back = row(refund["_t"])
            back.returns += sum(cents(s) for s, _ in parts["items"])
            back.returns += sum(cents(a) for _, a in refund["_adj"])  # a kept fee is < 0
            back.shipping -= sum(cents(s) for s, _ in parts["ships"])
            back.taxes -= sum(cents(t) for _, t in parts["items"] + parts["ships"])
    out = []
    for day in sorted(days):
        if (start and day < start) or (end and day > end):
            continue
        d = days[day]
        d.net_sales = d.gross_sales - d.discounts - d.returns
        d.total_sales = d.net_sales + d.shipping + d.taxes
        out.append(d)
    return out
