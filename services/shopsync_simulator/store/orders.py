"""The money side of an order: a compact ledger on the order record, and the totals it implies.

An order record keeps its ledger under internal keys: per line item ``_unit`` (a :class:`Bag`),
``_alloc`` (discount allocations ``(application, Bag)``) and ``_tax`` (``(title, basis
points, Bag)``); on the order ``_apps`` (discount applications), ``_ship`` (shipping lines),
``_pay`` (transactions), ``_refunds``, ``_fuls`` (fulfillments) and ``_fos`` (fulfillment
orders). :func:`reprice` derives every total and status from it, at generation and after each
activity verb, so totals always reconcile. The GraphQL-shaped children are built only when read
(:mod:`shopsync_simulator.store.order_views`), which keeps generating 50k+ orders cheap.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shopsync_simulator.store.money import Bag, split, total
from shopsync_simulator.store.table import Record

TAX_PLANS: tuple[tuple[tuple[str, int], ...], ...] = (
    (),
    (("State Tax", 600),),
    (("State Tax", 600), ("County Tax", 225)),
    (("GST", 500),),
)
#: (title or None for no shipping line, price in cents), picked by the order's plan hash.
SHIPPING: tuple[tuple[str | None, int], ...] = (
    (None, 0),
    ("Free shipping", 0),
    ("Free shipping", 0),
    *(("Standard", 500),) * 5,
    *(("Express", 1500),) * 2,
)
GATEWAYS = ("shopify_payments",) * 4 + ("paypal",)
#: Id slots per order: child ``k`` of order ``o`` has index ``o x SLOTS[kind] + k``.
SLOTS = {
    "Refund": 8,
    "OrderTransaction": 16,
    "TenderTransaction": 16,  # a transaction's tender transaction takes its slot
    "Fulfillment": 8,
    "FulfillmentOrder": 4,
    "ShippingLine": 2,
}
PER_LINE = 20  # RefundLineItem / FulfillmentLineItem / FulfillmentOrderLineItem: parent x 20 + j


def code_app(index: int, code: str, percent: int) -> dict[str, Any]:
    return {
        "__typename": "DiscountCodeApplication",
        "index": index,
        "code": code,
        "allocationMethod": "ACROSS",
        "targetSelection": "ALL",
        "targetType": "LINE_ITEM",
        "value": {"__typename": "PricingPercentageValue", "percentage": float(percent)},
        "_pct": percent,
    }


def new_order_ledger(rec: Record, plan: int, cur: str, pcur: str, rate: int) -> None:
    """Discounts, shipping and taxes of a new order, chosen by the 64-bit ``plan`` hash."""
    lines = rec["_lines"]
    apps: list[dict[str, Any]] = []
    kind = plan % 20
    if kind in (0, 1, 2, 3, 6):
        apps.append(code_app(len(apps), "SAVE10", 10))
    if kind == 4:
        apps.append(
            {
                "__typename": "ManualDiscountApplication",
                "index": len(apps),
                "title": "Goodwill",
                "description": "Staff discount",
                "allocationMethod": "ACROSS",
                "targetSelection": "EXPLICIT",
                "targetType": "LINE_ITEM",
                "value": {"__typename": "MoneyV2", "amount": "5.00", "currencyCode": pcur},
                "_fixed": Bag.convert(500, cur, pcur, rate),
            }
        )
    if kind in (5, 6):
        apps.append(
            {
                "__typename": "AutomaticDiscountApplication",
                "index": len(apps),
                "title": "Bulk 15% off",
                "allocationMethod": "EACH",
                "targetSelection": "ENTITLED",
                "targetType": "LINE_ITEM",
                "value": {"__typename": "PricingPercentageValue", "percentage": 15.0},
                "_pct": 15,
                "_line": 0,
            }
        )
    title, price = SHIPPING[(plan >> 8) % len(SHIPPING)]
    ships: list[dict[str, Any]] = []
    if title is not None:
        ships.append(
            {"_k": 0, "title": title, "code": title.upper().replace(" ", "_"), "_price": price}
        )
        if price and (plan >> 12) % 10 == 0:
            apps.append(
                {
                    **code_app(len(apps), "FREESHIP", 100),
                    "targetType": "SHIPPING_LINE",
                    "allocationMethod": "EACH",
                }
            )
    rec["_apps"] = apps
    rec["_taxes"] = TAX_PLANS[(plan >> 16) % len(TAX_PLANS)]
    for ship in ships:
        ship["_price"] = Bag.convert(ship["_price"], cur, pcur, rate)
    rec["_ship"] = ships
    allocate(rec, lines)


def allocate(rec: Record, lines: list[Record]) -> None:
    """Discount allocations and tax lines of every line and shipping line (from ``_apps``)."""
    apps, taxes = rec["_apps"], rec["_taxes"]
    for line in lines:
        line["_alloc"] = []
        line["_gross"] = line["_unit"].part(line["quantity"], 1)
    for app in apps:
        if app["targetType"] == "SHIPPING_LINE":
            for ship in rec["_ship"]:
                ship["_alloc"] = [(app, ship["_price"].part(app["_pct"], 100))]
            continue
        if "_line" in app:
            line = lines[app["_line"]]
            line["_alloc"].append((app, original(line).part(app["_pct"], 100)))
        elif "_pct" in app:
            for line in lines:
                line["_alloc"].append((app, original(line).part(app["_pct"], 100)))
        else:
            gross = [original(line) for line in lines]
            cap = total(gross, app["_fixed"].zero())
            fixed = app["_fixed"] if app["_fixed"].shop <= cap.shop else cap
            weights = [g.shop for g in gross]
            for line, share in zip(lines, split(fixed, weights), strict=True):
                line["_alloc"].append((app, share))
    zero = zero_of(rec)
    # Integer sums, in this order: line nets, shipping nets, taxes, discounts (shop, pres).
    sums = [0] * 8
    for ship in rec["_ship"]:
        ship.setdefault("_alloc", [])
        _net_and_tax(ship, ship["_price"], taxes, zero, sums, 2)
    for line in lines:
        _net_and_tax(line, line["_gross"], taxes, zero, sums, 0)
    cur, pcur = zero.cur, zero.pcur
    rec["_sums"] = (
        Bag(sums[0], sums[1], cur, pcur),
        Bag(sums[2], sums[3], cur, pcur),
        Bag(sums[4], sums[5], cur, pcur),
        Bag(sums[6], sums[7], cur, pcur),
    )


def _net_and_tax(
    item: Record,
    gross: Bag,
    taxes: tuple[tuple[str, int], ...],
    zero: Bag,
    sums: list[int],
    at: int,
) -> None:
    """``_disc`` (its discounts), ``_net``, ``_tax`` lines and ``_taxt`` (their sum) of a line
    item or shipping line; adds its net to ``sums[at:at + 2]`` and its taxes and discounts to
    the order's (plain integer sums: this runs for every order read)."""
    cur, pcur = zero.cur, zero.pcur
    allocs = item["_alloc"]
    ds = dp = 0
    if allocs:
        for _, a in allocs:
            ds += a.shop
            dp += a.pres
        disc = Bag(ds, dp, cur, pcur)
        ns, np = gross.shop - ds, gross.pres - dp
        net = Bag(ns, np, cur, pcur)
    else:
        disc, net, ns, np = zero, gross, gross.shop, gross.pres
    item["_disc"], item["_net"] = disc, net
    ts = tp = 0
    lines = []
    for title, bp in taxes:
        s, p = ns * bp // 10_000, np * bp // 10_000
        ts += s
        tp += p
        lines.append((title, bp, Bag(s, p, cur, pcur)))
    item["_tax"] = lines
    item["_taxt"] = Bag(ts, tp, cur, pcur) if taxes else zero
    sums[at] += ns
    sums[at + 1] += np
    sums[4] += ts
    sums[5] += tp
    sums[6] += ds
    sums[7] += dp


def _sum(allocs: list[tuple[Any, Bag]], like: Bag) -> Bag:
    return total([a for _, a in allocs], like.zero())


def zero_of(rec: Record) -> Bag:
    return Bag(0, 0, rec["currencyCode"], rec["presentmentCurrencyCode"])


def original(line: Record) -> Bag:
    gross: Bag = line["_gross"]
    return gross


def net_of(item: Record) -> Bag:
    """What a line item or shipping line sells for after every discount, before tax (kept by
    :func:`allocate`)."""
    net: Bag = item["_net"]
    return net


def tax_of(item: Record) -> Bag:
    tax: Bag = item["_taxt"]
    return tax


# -- refunds -----------------------------------------------------------------------------------
def refund_parts(rec: Record) -> Iterator[tuple[Record, dict[str, Any]]]:
    """Each refund with its amounts: per refund line item ``(subtotal, tax)``, shipping
    ``(subtotal, tax)``, adjustments and the total. Shares are cumulative, so refunding a line
    in several refunds adds up exactly to the line."""
    done: dict[int, int] = {}
    ship_done = False
    zero = zero_of(rec)
    for refund in rec["_refunds"]:
        items = []
        for j, qty, *_ in refund["_rl"]:
            line = rec["_lines"][j]
            before, after = done.get(j, 0), done.get(j, 0) + qty
            q = line["quantity"]
            net, tax = net_of(line), tax_of(line)
            sub = net.part(after, q) - net.part(before, q)
            items.append((sub, tax.part(after, q) - tax.part(before, q)))
            done[j] = after
        ships = []
        if refund["_ship"] and not ship_done:
            ships = [(net_of(s), tax_of(s)) for s in rec["_ship"]]
            ship_done = True
        adjustments = refund["_adj"]
        amount = total([s + t for s, t in items + ships], zero)
        amount = amount + total([a for _, a in adjustments], zero)
        yield refund, {"items": items, "ships": ships, "total": amount}


def refunded_quantity(rec: Record) -> dict[int, int]:
    out: dict[int, int] = {}
    for refund in rec["_refunds"]:
        for j, qty, *_ in refund["_rl"]:
            out[j] = out.get(j, 0) + qty
    return out


def fulfilled_quantity(rec: Record) -> dict[int, int]:
    out: dict[int, int] = {}
    for ful in rec["_fuls"]:
        if ful["status"] == "SUCCESS":
            for j, qty in ful["_fl"]:
                out[j] = out.get(j, 0) + qty
    return out


def cancelled_quantity(rec: Record) -> dict[int, int]:
    """Unfulfilled quantities removed by a refund (restock type CANCEL)."""
    out: dict[int, int] = {}
    for refund in rec["_refunds"]:
        for j, qty, restock, *_ in refund["_rl"]:
            if restock == "CANCEL":
                out[j] = out.get(j, 0) + qty
    return out


# -- payments ----------------------------------------------------------------------------------
def payments(rec: Record) -> dict[str, Bag]:
    """Received, refunded and still capturable money, from the successful transactions."""
    received = refunded = capturable = zero_of(rec)
    pay = rec["_pay"]
    closed = {t["_parent"] for t in pay if t["status"] == "SUCCESS" and t["kind"] == "VOID"}
    for t in pay:
        if t["status"] != "SUCCESS":
            continue
        if t["kind"] in ("SALE", "CAPTURE"):
            received = received + t["_amt"]
        elif t["kind"] == "REFUND":
            refunded = refunded + t["_amt"]
        elif (
            t["kind"] == "AUTHORIZATION"
            and t["_s"] not in closed
            # One capture settles an authorization (no multi-capture); what is left is released.
            and not any(c["_parent"] == t["_s"] and c["status"] == "SUCCESS" for c in pay)
        ):
            capturable = capturable + t["_amt"]
    return {"received": received, "refunded": refunded, "capturable": capturable}


def financial_status(rec: Record, pay: dict[str, Bag], total_price: Bag) -> str:
    if pay["refunded"].shop > 0:
        return "REFUNDED" if pay["refunded"].shop >= pay["received"].shop else "PARTIALLY_REFUNDED"
    if pay["received"].shop > 0:
        return "PAID" if pay["received"].shop >= total_price.shop else "PARTIALLY_PAID"
    if pay["capturable"].shop > 0:
        return "AUTHORIZED"
    if any(t["kind"] == "VOID" and t["status"] == "SUCCESS" for t in rec["_pay"]):
        return "VOIDED"
    return "PENDING"


# -- totals ------------------------------------------------------------------------------------
def reprice(rec: Record) -> None:
    """Every total, current total and status of the order, from its ledger."""
    lines = rec["_lines"]
    zero = zero_of(rec)
    refunded_q = refunded_quantity(rec) if rec["_refunds"] else {}
    for j, line in enumerate(lines):
        gross = line["_gross"]
        own = [a for app, a in line["_alloc"] if "_line" in app]
        line["currentQuantity"] = line["quantity"] - refunded_q.get(j, 0)
        line["originalTotalSet"] = gross
        line["discountedTotalSet"] = gross - total(own, zero) if own else gross
        line["totalDiscountSet"] = line["_disc"]
    subtotal, shipping, tax, discounts = rec["_sums"]
    price = subtotal + shipping + tax
    rec["totalPriceSet"] = price
    ref_sub = ref_tax = ref_ship = ref_total = ref_disc = zero
    if rec["_refunds"]:
        refunds = list(refund_parts(rec))
        ref_sub = total([s for _, p in refunds for s, _ in p["items"]], zero)
        ref_tax = total([t for _, p in refunds for _, t in p["items"] + p["ships"]], zero)
        ref_ship = total([s for _, p in refunds for s, _ in p["ships"]], zero)
        ref_total = total([p["total"] for _, p in refunds], zero)
        for refund in rec["_refunds"]:
            for j, qty, *_ in refund["_rl"]:
                line = lines[j]
                ref_disc = ref_disc + line["_disc"].part(qty, line["quantity"])
    pay = payments(rec)
    received, refunded = pay["received"], pay["refunded"]
    net_payment = received - refunded if refunded.shop or refunded.pres else received
    current = price - ref_total if rec["_refunds"] else price
    codes = [a["code"] for a in rec["_apps"] if "code" in a]
    rec.update(
        subtotalPriceSet=subtotal,
        currentSubtotalPriceSet=subtotal - ref_sub if rec["_refunds"] else subtotal,
        totalDiscountsSet=discounts,
        currentTotalDiscountsSet=discounts - ref_disc if rec["_refunds"] else discounts,
        totalShippingPriceSet=shipping,
        currentShippingPriceSet=shipping - ref_ship if rec["_refunds"] else shipping,
        totalRefundedShippingSet=ref_ship,
        totalTaxSet=tax,
        currentTotalTaxSet=tax - ref_tax if rec["_refunds"] else tax,
        currentTotalPriceSet=current,
        totalRefundedSet=refunded,
        totalReceivedSet=received,
        netPaymentSet=net_payment,
        totalCapturableSet=pay["capturable"],
        totalOutstandingSet=current - net_payment,
        displayFinancialStatus=financial_status(rec, pay, price),
        discountCodes=codes,
        discountCode=codes[0] if codes else None,
        subtotalLineItemsQuantity=sum(line["quantity"] for line in lines),
        currentSubtotalLineItemsQuantity=sum(line["currentQuantity"] for line in lines),
        capturable=pay["capturable"].shop > 0,
        fullyPaid=received.shop >= price.shop,
        unpaid=received.shop == 0,
        refundable=net_payment.shop > 0,
        taxesIncluded=False,
        requiresShipping=bool(lines),
    )
    rec["displayFulfillmentStatus"] = fulfillment_status(rec)
    done = rec["displayFulfillmentStatus"] in ("FULFILLED", "RESTOCKED")
    rec["closed"] = done and rec["displayFinancialStatus"] in ("PAID", "REFUNDED")
    rec["closedAt"] = rec["updatedAt"] if rec["closed"] else None


def order_total(rec: Record) -> Bag:
    """Subtotal (lines after discounts) + shipping after discounts + tax."""
    subtotal, shipping, tax, _ = rec["_sums"]
    total: Bag = subtotal + shipping + tax
    return total


def fulfillment_status(rec: Record) -> str:
    fulfilled, cancelled = fulfilled_quantity(rec), cancelled_quantity(rec)
    wanted = sum(line["quantity"] - cancelled.get(j, 0) for j, line in enumerate(rec["_lines"]))
    shipped = sum(fulfilled.values())
    if wanted <= 0:
        return "RESTOCKED"
    if shipped >= wanted:
        return "FULFILLED"
    return "PARTIALLY_FULFILLED" if shipped else "UNFULFILLED"
