"""The money side of generated orders: reconciliation in both currencies, determinism, the
activity verbs and what they stamp, destroy events, and daily sales on a hand-checked store."""

from __future__ import annotations

from collections import Counter

import pytest

from shopsync_simulator import truth
from shopsync_simulator.store import ShopSpec, Store, StoreSize
from shopsync_simulator.store.activity import LedgerError
from shopsync_simulator.store.clock import Clock
from shopsync_simulator.store.money import Bag, total
from shopsync_simulator.store.order_views import details
from shopsync_simulator.store.orders import (
    allocate,
    code_app,
    net_of,
    order_total,
    refund_parts,
    reprice,
)
from shopsync_simulator.store.table import Record

NOW = 1_795_000_000  # 2026-11-18T11:06:40Z
DAY = 86_400


def make(orders: int = 400, **size: int) -> Store:
    spec = ShopSpec("acme", "acme.myshopify.com", size=StoreSize(orders=orders, **size))
    return Store(spec, Clock(start=NOW))


def _sum(bags: list[Bag], like: Bag) -> Bag:
    return total(bags, like.zero())


def check_order(o: Record) -> None:
    """Every total of ``o`` reconciles to the cent, in shop and presentment currency."""
    z = o["totalPriceSet"].zero()
    lines, ships = o["_lines"], o["_ship"]
    gross = _sum([line["_unit"].part(line["quantity"], 1) for line in lines], z)
    line_disc = _sum([a for line in lines for _, a in line["_alloc"]], z)
    ship_disc = _sum([a for s in ships for _, a in s["_alloc"]], z)
    assert o["subtotalPriceSet"] == gross - line_disc
    assert o["totalDiscountsSet"] == line_disc + ship_disc
    assert o["totalShippingPriceSet"] == _sum([net_of(s) for s in ships], z)
    taxes = [t for x in lines + ships for *_, t in x["_tax"]]
    assert o["totalTaxSet"] == _sum(taxes, z)
    order_tax = _sum([t["priceSet"] for t in truth_tax_lines(o)], z)
    assert order_tax == o["totalTaxSet"]
    assert (
        o["totalPriceSet"] == o["subtotalPriceSet"] + o["totalShippingPriceSet"] + o["totalTaxSet"]
    )
    refunded = _sum([p["total"] for _, p in refund_parts(o)], z)
    assert o["totalRefundedSet"] == refunded
    assert o["currentTotalPriceSet"] == o["totalPriceSet"] - refunded
    assert o["netPaymentSet"] == o["totalReceivedSet"] - o["totalRefundedSet"]
    assert o["totalOutstandingSet"] == o["currentTotalPriceSet"] - o["netPaymentSet"]
    assert o["totalRefundedSet"].shop <= o["totalReceivedSet"].shop
    assert o["totalRefundedSet"].pres <= o["totalReceivedSet"].pres
    rate = 100 if o["presentmentCurrencyCode"] == o["currencyCode"] else 92
    for line in lines:
        unit = line["_unit"]
        assert unit.pres == unit.shop * rate // 100
        assert net_of(line).shop >= 0


def truth_tax_lines(o: Record) -> list[Record]:
    taxes: list[Record] = details(o)["taxLines"]
    return taxes


def test_orders_reconcile_in_both_currencies() -> None:
    store = make()
    for o in store.orders.iter_live():
        check_order(o)


def test_the_mix_of_orders() -> None:
    orders = list(make().orders.iter_live())
    financial = Counter(o["displayFinancialStatus"] for o in orders)
    refunded = financial["REFUNDED"] + financial["PARTIALLY_REFUNDED"]
    assert 0.05 < refunded / len(orders) < 0.16
    assert financial["PAID"]
    assert financial["PENDING"]
    assert financial["AUTHORIZED"]
    assert financial["VOIDED"]
    fulfillment = Counter(o["displayFulfillmentStatus"] for o in orders)
    assert fulfillment["FULFILLED"]
    assert fulfillment["UNFULFILLED"]
    assert fulfillment["PARTIALLY_FULFILLED"]
    assert any(o["presentmentCurrencyCode"] == "EUR" for o in orders)
    kinds = Counter((t["kind"], t["status"]) for o in orders for t in o["_pay"])
    assert kinds[("SALE", "FAILURE")]
    assert kinds[("VOID", "SUCCESS")]
    assert kinds[("CAPTURE", "SUCCESS")]
    assert kinds[("REFUND", "SUCCESS")]
    assert any(r["_adj"] for o in orders for r in o["_refunds"])
    assert any(not s["_price"].shop for o in orders for s in o["_ship"])  # free shipping
    codes = {c for o in orders for c in o["discountCodes"]}
    assert codes == {"SAVE10", "FREESHIP"}


def test_same_seed_same_money_records() -> None:
    a, b = make(60), make(60)
    for stream in truth.MONEY_STREAMS:
        assert list(truth.records(a, stream)) == list(truth.records(b, stream))
    counts = truth.money_counts(a)
    assert counts["refunds"]
    assert counts["refund_line_items"]
    assert counts["fulfillments"]
    assert counts["fulfillment_orders"] == 60


def _find(store: Store, **want: str) -> Record:
    return next(o for o in store.orders.iter_live() if all(o[k] == v for k, v in want.items()))


def test_refund_stamps_the_order_and_never_exceeds_what_was_captured() -> None:
    store = make()
    o = _find(store, displayFinancialStatus="PAID", displayFulfillmentStatus="FULFILLED")
    store.clock.advance(60)
    rec = store.activity.refund_order(o["_i"], [(0, 1)], restock=True)
    assert rec["_u"] > o["_u"]
    assert rec["displayFinancialStatus"] == "PARTIALLY_REFUNDED"
    refund = rec["_refunds"][-1]
    assert refund["_rl"][0][2:4] == ("RETURN", True)
    assert rec["_pay"][-1]["kind"] == "REFUND"
    assert rec["_pay"][-1]["_refund"] == refund["_s"]
    check_order(rec)
    full = store.activity.refund_order(o["_i"])
    assert full["displayFinancialStatus"] == "REFUNDED"
    assert full["currentTotalPriceSet"].shop == 0
    check_order(full)
    with pytest.raises(LedgerError):
        store.activity.refund_order(o["_i"], [(0, 1)])
    pending = _find(store, displayFinancialStatus="PENDING")
    with pytest.raises(LedgerError, match="captured"):
        store.activity.refund_order(pending["_i"])


def test_capture_and_void() -> None:
    store = make()
    authorized = [
        o for o in store.orders.iter_live() if o["displayFinancialStatus"] == "AUTHORIZED"
    ]
    captured = store.activity.capture_transaction(authorized[0]["id"])
    assert captured["displayFinancialStatus"] == "PAID"
    assert captured["_u"] > authorized[0]["_u"]
    assert captured["_pay"][-1]["kind"] == "CAPTURE"
    check_order(captured)
    with pytest.raises(LedgerError):
        store.activity.capture_transaction(authorized[0]["id"])
    voided = store.activity.void_transaction(authorized[1]["_i"])
    assert voided["displayFinancialStatus"] == "VOIDED"
    assert voided["totalCapturableSet"].shop == 0


def test_fulfill_moves_order_and_fulfillment_order_a_hold_only_the_fulfillment_order() -> None:
    store = make()
    o = _find(store, displayFulfillmentStatus="UNFULFILLED")
    store.clock.advance(60)
    held = store.activity.hold_fulfillment_order(o["_i"])
    assert held["_u"] == o["_u"]
    assert held["updatedAt"] == o["updatedAt"]
    assert held["_fos"][0]["status"] == "ON_HOLD"
    assert held["_fos"][0]["_tu"] > o["_fos"][0]["_tu"]
    assert held["displayFulfillmentStatus"] == o["displayFulfillmentStatus"]
    store.clock.advance(60)
    lines = [(0, 1)] if o["_lines"][0]["quantity"] > 1 or len(o["_lines"]) > 1 else None
    part = store.activity.fulfill_order(o["_i"], lines)
    assert part["_u"] > held["_u"]
    assert part["_fos"][0]["_tu"] > held["_fos"][0]["_tu"]
    if lines:
        assert part["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"
        assert part["_fos"][0]["status"] == "IN_PROGRESS"
    done = store.activity.fulfill_order(o["_i"]) if lines else part
    assert done["displayFulfillmentStatus"] == "FULFILLED"
    assert done["_fos"][0]["status"] == "CLOSED"
    with pytest.raises(LedgerError):
        store.activity.fulfill_order(o["_i"])


def test_apply_discount_before_fulfillment_only() -> None:
    store = make()
    o = _find(store, displayFulfillmentStatus="UNFULFILLED", displayFinancialStatus="PENDING")
    rec = store.activity.apply_discount(o["_i"], "LATE10", 10)
    assert "LATE10" in rec["discountCodes"]
    assert rec["_u"] > o["_u"]
    assert rec["totalPriceSet"].shop < o["totalPriceSet"].shop
    assert rec["_pay"][0]["_amt"] == rec["totalPriceSet"]
    check_order(rec)
    fulfilled = _find(store, displayFulfillmentStatus="FULFILLED")
    with pytest.raises(LedgerError):
        store.activity.apply_discount(fulfilled["_i"])


def test_deleting_orders_and_customers_logs_destroy_events() -> None:
    store = make(customers=5)
    order = store.orders.get(3)
    assert order is not None
    event = store.activity.delete_order(3)
    assert (event["action"], event["subjectType"], event["subjectId"]) == (
        "destroy",
        "ORDER",
        order["id"],
    )
    assert store.orders.get(3) is None
    customer = store.customers.get(1)
    assert customer is not None
    event = store.activity.delete_customer(customer["id"])
    assert (event["subjectType"], event["subjectId"]) == ("CUSTOMER", customer["id"])
    assert store.customers.get(1) is None
    assert [e["subjectType"] for e in store.events.iter_live()] == ["ORDER", "CUSTOMER"]


def test_random_activity_keeps_every_order_reconciled() -> None:
    store = make(200)
    done = store.activity.random_activity(300, seed=5, deletions=True)
    assert done.get("refund")
    assert done.get("fulfill")
    assert done.get("delete_order")
    for o in store.orders.iter_live():
        check_order(o)


def _hand_checked_store() -> tuple[Store, Record]:
    """One order of 2 x 100.00 with SAVE10, 6 % tax and 5.00 shipping on day 1; one unit
    refunded (with its tax, not the shipping) on day 2."""
    store = make(0, products=2, customers=0)
    store.activity.update_variant_price(0, "100.00")
    rec = store.activity.create_order(None, [(0, 2)])
    cur, pcur = rec["currencyCode"], rec["presentmentCurrencyCode"]
    rec["_apps"] = [code_app(0, "SAVE10", 10)]
    rec["_taxes"] = (("State Tax", 600),)
    price = Bag.convert(500, cur, pcur, 100 if pcur == cur else 92)
    rec["_ship"] = [{"_k": 0, "title": "Standard", "code": "STANDARD", "_price": price}]
    allocate(rec, rec["_lines"])
    rec["_pay"][0]["_amt"] = order_total(rec)
    reprice(rec)
    assert rec["totalPriceSet"].shop == 18_000 + 500 + 1_080 + 30
    store.clock.advance(DAY)
    store.activity.refund_order(0, [(0, 1)], restock=True)
    return store, rec


def test_daily_sales_on_a_hand_checked_store() -> None:
    store, _ = _hand_checked_store()
    day1, day2 = truth.daily_sales(store)
    assert day1.as_dict() == {
        "day": "2026-11-18",
        "orders": 1,
        "gross_sales": 20_000,
        "discounts": 2_000,
        "returns": 0,
        "net_sales": 18_000,
        "shipping": 500,
        "taxes": 1_110,
        "total_sales": 19_610,
    }
    assert day2.as_dict() == {
        "day": "2026-11-19",
        "orders": 0,
        "gross_sales": 0,
        "discounts": 0,
        "returns": 9_000,
        "net_sales": -9_000,
        "shipping": 0,
        "taxes": -540,
        "total_sales": -9_540,
    }


def test_daily_sales_add_up_to_what_the_orders_still_charge() -> None:
    store = make()
    store.activity.random_activity(100, seed=2)
    days = truth.daily_sales(store)
    assert sum(d.total_sales for d in days) == sum(
        o["currentTotalPriceSet"].shop for o in store.orders.iter_live()
    )
    assert all(d.net_sales == d.gross_sales - d.discounts - d.returns for d in days)


def test_order_financials_of_the_hand_checked_store_apply_the_later_refund() -> None:
    store, rec = _hand_checked_store()
    [order] = truth.order_financials(store)
    assert order.as_dict() == {
        "order_id": rec["id"],
        "day": "2026-11-18",
        "currency": rec["currencyCode"],
        "gross": 20_000,
        "discounts": 2_000,
        "returns": 9_000,
        "net": 9_000,
        "shipping": 500,
        "taxes": 1_110 - 540,
        "total": 19_610 - 9_540,
        "refunded": 9_540,
        "outstanding": 0,
    }


@pytest.mark.parametrize("presentment", [False, True])
def test_order_financials_add_up_to_the_days_and_to_what_each_order_still_charges(
    presentment: bool,
) -> None:
    store = make()
    store.activity.random_activity(100, seed=2)
    orders = truth.order_financials(store, presentment=presentment)
    days = truth.daily_sales(store, presentment=presentment)
    assert len(orders) == sum(d.orders for d in days)
    for figure, daily in (
        ("gross", "gross_sales"),
        ("returns", "returns"),
        ("total", "total_sales"),
    ):
        assert sum(getattr(o, figure) for o in orders) == sum(getattr(d, daily) for d in days)
    live = {o["id"]: o for o in store.orders.iter_live()}
    for o in orders:
        current = live[o.order_id]["currentTotalPriceSet"]
        assert o.total == (current.pres if presentment else current.shop), o.order_id
        assert o.net == o.gross - o.discounts - o.returns
