"""An order's money records in Shopify's shapes, built from its ledger only when read.

:func:`details` turns the compact ledger of :mod:`~shopsync_simulator.store.orders` into the
records the API serves (shipping lines, discount applications, tax lines, transactions, refunds
with their line items, adjustments and shipping lines, fulfillments, fulfillment orders) and
keeps them on the order record (``_d``) for the rest of the request. Ids are
``order index x SLOTS[kind] + k`` (line-level children: ``parent index x 20 + k``), so
:func:`child_node` finds any of them from its gid alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shopsync_simulator.store.generate import iso
from shopsync_simulator.store.ids import gid, numeric_id
from shopsync_simulator.store.money import Bag, money_v2
from shopsync_simulator.store.order_history import unfulfilled
from shopsync_simulator.store.orders import (
    PER_LINE,
    SLOTS,
    fulfilled_quantity,
    net_of,
    refund_parts,
    zero_of,
)
from shopsync_simulator.store.table import Record

#: Kinds reachable through ``node(id:)`` -> the order's list that holds them.
NODE_KINDS = {
    "Refund": "refunds",
    "Fulfillment": "fulfillments",
    "FulfillmentOrder": "fulfillmentOrders",
    "OrderTransaction": "transactions",
    "TenderTransaction": "tenderTransactions",
}
#: The transactions that move money, as Shopify's tender transactions: the sign of the amount
#: (from the buyer to the shop positive, back to the buyer negative).
TENDER_SIGNS = {"SALE": 1, "CAPTURE": 1, "REFUND": -1}
#: What a tender transaction shows of the card a Shopify Payments transaction was paid with.
CARD_BRANDS = ("Visa", "Mastercard", "American Express")


def tax_lines(taxes: list[tuple[str, int, Bag]]) -> list[Record]:
    return [
        {
            "__typename": "TaxLine",
            "title": title,
            "rate": bp / 10_000,
            "ratePercentage": bp / 100,
            "priceSet": amount,
            "channelLiable": False,
            "source": "Shopify",
        }
        for title, bp, amount in taxes
    ]


def allocations(allocs: list[tuple[Record, Bag]]) -> list[Record]:
    return [
        {"__typename": "DiscountAllocation", "allocatedAmountSet": a, "discountApplication": app}
        for app, a in allocs
    ]


def _stamp(kind: str, index: int, created: int, updated: int, order: int) -> Record:
    return {
        "__typename": kind,
        "id": gid(kind, index),
        "legacyResourceId": str(numeric_id(kind, index)),
        "createdAt": iso(created),
        "updatedAt": iso(updated),
        "_order": order,
        "_i": index,
        # What search filters and sort keys read (a root connection lists fulfillment orders).
        "_c": created,
        "_u": updated,
        "_n": numeric_id(kind, index),
    }


def details(rec: Record) -> dict[str, Any]:
    """The order's money records (cached on the record until the next change)."""
    cached: dict[str, Any] | None = rec.get("_d")
    if cached is None:
        cached = rec["_d"] = Details(rec)
    return cached


class Details(dict[str, Any]):
    """The views of one order, each list built on its first read: a sync reads transactions or
    refunds of every order, rarely its fulfillment orders, so building all of them is waste."""

    __slots__ = ("rec",)

    def __init__(self, rec: Record) -> None:
        super().__init__()
        self.rec = rec

    def __missing__(self, key: str) -> Any:
        build = _SECTIONS.get(key)
        if build is None:
            raise KeyError(key)
        value = self[key] = build(self.rec, self)
        return value


def _ships(rec: Record, _: Details) -> list[Record]:
    o = rec["_i"]
    return [_shipping_line(rec, o, s) for s in rec["_ship"]]


def _transactions(rec: Record, _: Details) -> list[Record]:
    o = rec["_i"]
    txns: dict[int, Record] = {}
    for t in rec["_pay"]:
        txns[t["_s"]] = _transaction(rec, o, t, txns.get(t["_parent"] or -1))
    return list(txns.values())


def _tender_transactions(rec: Record, _: Details) -> list[Record]:
    """The order's successful sales, captures and refunds, each as the tender transaction
    Shopify records with it (same slot, so the id order is the ledger's order)."""
    o = rec["_i"]
    return [
        _tender(o, t)
        for t in rec["_pay"]
        if t["status"] == "SUCCESS" and t["kind"] in TENDER_SIGNS and t["_amt"].shop > 0
    ]


def _refunds(rec: Record, d: Details) -> list[Record]:
    if not rec["_refunds"]:
        return []
    o, ships = rec["_i"], d["shippingLines"]
    txns = {t["_s"]: view for t, view in zip(rec["_pay"], d["transactions"], strict=True)}
    return [_refund(rec, o, r, p, ships, txns) for r, p in refund_parts(rec)]


def _tax_lines(rec: Record, _: Details) -> list[Record]:
    totals: dict[tuple[str, int], Bag] = {}
    for item in rec["_lines"] + rec["_ship"]:
        for title, bp, amount in item["_tax"]:
            totals[(title, bp)] = totals.get((title, bp), zero_of(rec)) + amount
    return tax_lines([(t, bp, a) for (t, bp), a in totals.items()])


def _fulfillments(rec: Record, _: Details) -> list[Record]:
    return [_fulfillment(rec, rec["_i"], f) for f in rec["_fuls"]]


def _fulfillment_orders(rec: Record, _: Details) -> list[Record]:
    return [_fulfillment_order(rec, rec["_i"], fo) for fo in rec["_fos"]]


_SECTIONS: dict[str, Callable[[Record, Details], list[Record]]] = {
    "shippingLines": _ships,
    "discountApplications": lambda rec, _: rec["_apps"],
    "taxLines": _tax_lines,
    "transactions": _transactions,
    "tenderTransactions": _tender_transactions,
    "refunds": _refunds,
    "fulfillments": _fulfillments,
    "fulfillmentOrders": _fulfillment_orders,
}


def _shipping_line(rec: Record, o: int, ship: Record) -> Record:
    net = net_of(ship)
    return {
        "__typename": "ShippingLine",
        "id": gid("ShippingLine", o * SLOTS["ShippingLine"] + ship["_k"]),
        "title": ship["title"],
        "code": ship["code"],
        "source": "shopify",
        "custom": False,
        "isRemoved": False,
        "carrierIdentifier": None,
        "originalPriceSet": ship["_price"],
        "discountedPriceSet": net,
        "currentDiscountedPriceSet": net,
        "taxLines": tax_lines(ship["_tax"]),
        "discountAllocations": allocations(ship["_alloc"]),
    }


def _transaction(rec: Record, o: int, t: Record, parent: Record | None) -> Record:
    amount: Bag = t["_amt"]
    out = _stamp("OrderTransaction", o * SLOTS["OrderTransaction"] + t["_s"], t["_t"], t["_t"], o)
    fees = []
    took = t["kind"] in ("SALE", "CAPTURE") and t["status"] == "SUCCESS"
    if took and t["gateway"] == "shopify_payments":
        fee = amount.shop * 29 // 1000 + 30
        fees.append(
            {
                "__typename": "TransactionFee",
                "id": gid("TransactionFee", o * SLOTS["OrderTransaction"] + t["_s"]),
                "amount": money_v2(fee, amount.cur),
                "flatFee": money_v2(30, amount.cur),
                "flatFeeName": "Transaction fee",
                "rate": "0.029",
                "rateName": "Shopify Payments",
                "taxAmount": money_v2(0, amount.cur),
                "type": "payment",
            }
        )
    out.update(
        kind=t["kind"],
        status=t["status"],
        gateway=t["gateway"],
        formattedGateway=t["gateway"].replace("_", " ").title(),
        manualPaymentGateway=t["gateway"] == "manual",
        amountSet=amount,
        processedAt=iso(t["_t"]),
        errorCode=t["errorCode"],
        test=False,
        parentTransaction=parent,
        fees=fees,
        authorizationExpiresAt=iso(t["_t"] + 7 * 86_400) if t["kind"] == "AUTHORIZATION" else None,
    )
    return out


def _tender(o: int, t: Record) -> Record:
    """A tender transaction in the shop's currency; ``_c`` (its ``processedAt``) and ``_n`` are
    what the search (``processed_at``, ``id``) and the pager read."""
    index = o * SLOTS["TenderTransaction"] + t["_s"]
    number = numeric_id("TenderTransaction", index)
    amount: Bag = t["_amt"]
    card = t["gateway"] == "shopify_payments"
    return {
        "__typename": "TenderTransaction",
        "id": gid("TenderTransaction", index),
        "processedAt": iso(t["_t"]),
        "paymentMethod": "credit_card" if card else t["gateway"],
        "remoteReference": f"{t['gateway']}-{number}",
        "test": False,
        "amount": money_v2(TENDER_SIGNS[t["kind"]] * amount.shop, amount.cur),
        "transactionDetails": {
            "__typename": "TenderTransactionCreditCardDetails",
            "creditCardCompany": CARD_BRANDS[o % len(CARD_BRANDS)],
            "creditCardNumber": f"•••• •••• •••• {number % 10_000:04d}",
        }
        if card
        else None,
        "_order": o,
        "_i": index,
        "_n": number,
        "_c": t["_t"],
    }


def _refund(
    rec: Record,
    o: int,
    refund: Record,
    parts: dict[str, Any],
    ships: list[Record],
    txns: dict[int, Record],
) -> Record:
    r = o * SLOTS["Refund"] + refund["_s"]
    out = _stamp("Refund", r, refund["_t"], refund["_t"], o)
    items = []
    for k, ((j, qty, restock, restocked, loc), (sub, tax)) in enumerate(
        zip(refund["_rl"], parts["items"], strict=True)
    ):
        line = rec["_lines"][j]
        items.append(
            {
                "__typename": "RefundLineItem",
                "id": gid("RefundLineItem", r * PER_LINE + k),
                "quantity": qty,
                "restockType": restock,
                "restocked": restocked,
                "_loc": loc,
                "lineItem": line,
                "priceSet": line["_unit"],
                "subtotalSet": sub,
                "totalTaxSet": tax,
            }
        )
    out.update(
        note=refund["note"],
        processedAt=iso(refund["_t"]),
        totalRefundedSet=parts["total"],
        refundLineItems=items,
        orderAdjustments=[
            {
                "__typename": "OrderAdjustment",
                "id": gid("OrderAdjustment", r * 4 + k),
                "reason": reason,
                "amountSet": amount,
                "taxAmountSet": amount.zero(),
            }
            for k, (reason, amount) in enumerate(refund["_adj"])
        ],
        refundShippingLines=[
            {
                "__typename": "RefundShippingLine",
                "id": gid("RefundShippingLine", r * 2 + k),
                "shippingLine": ships[k],
                "subtotalAmountSet": sub,
                "taxAmountSet": tax,
            }
            for k, (sub, tax) in enumerate(parts["ships"])
        ],
        transactions=[txns[t["_s"]] for t in rec["_pay"] if t["_refund"] == refund["_s"]],
    )
    return out


def _fulfillment(rec: Record, o: int, ful: Record) -> Record:
    f = o * SLOTS["Fulfillment"] + ful["_s"]
    out = _stamp("Fulfillment", f, ful["_t"], ful["_tu"], o)
    company, number, url = ful["_track"]
    items = []
    for k, (j, qty) in enumerate(ful["_fl"]):
        line = rec["_lines"][j]
        items.append(
            {
                "__typename": "FulfillmentLineItem",
                "id": gid("FulfillmentLineItem", f * PER_LINE + k),
                "quantity": qty,
                "lineItem": line,
                "originalTotalSet": line["_unit"].part(qty, 1),
                "discountedTotalSet": net_of(line).part(qty, line["quantity"]),
            }
        )
    delivered = ful["displayStatus"] == "DELIVERED"
    out.update(
        name=f"{rec['name']}.{ful['_s'] + 1}",
        status=ful["status"],
        displayStatus=ful["displayStatus"],
        requiresShipping=True,
        _loc=ful["_loc"],
        trackingInfo=[{"company": company, "number": number, "url": url}],
        totalQuantity=sum(q for _, q in ful["_fl"]),
        fulfillmentLineItems=items,
        deliveredAt=iso(ful["_t"] + 3 * 86_400) if delivered else None,
        inTransitAt=iso(ful["_t"] + 86_400) if ful["displayStatus"] != "FULFILLED" else None,
        estimatedDeliveryAt=None,
    )
    return out


def _fulfillment_order(rec: Record, o: int, fo: Record) -> Record:
    k = o * SLOTS["FulfillmentOrder"] + fo["_s"]
    out = _stamp("FulfillmentOrder", k, fo["_t"], fo["_tu"], o)
    left = unfulfilled(rec)
    done = fulfilled_quantity(rec)
    items = []
    for n, (j, _) in enumerate(fo["_fol"]):
        line = rec["_lines"][j]
        remaining = max(left.get(j, 0), 0)
        items.append(
            {
                "__typename": "FulfillmentOrderLineItem",
                "id": gid("FulfillmentOrderLineItem", k * PER_LINE + n),
                "totalQuantity": remaining + done.get(j, 0),
                "remainingQuantity": remaining,
                "lineItem": line,
                "_v": line["_v"],
                "sku": line["sku"],
                "productTitle": line["title"],
                "variantTitle": line["variantTitle"],
                "vendor": line["vendor"],
                "requiresShipping": True,
            }
        )
    out.update(
        status=fo["status"],
        requestStatus=fo["requestStatus"],
        assignedLocation={"_loc": fo["_loc"]},
        orderId=rec["id"],
        orderName=rec["name"],
        orderProcessedAt=rec["processedAt"],
        fulfillAt=rec["processedAt"],
        lineItems=items,
    )
    return out


def child_node(order: Record | None, kind: str, index: int) -> Record | None:
    """Refund / Fulfillment / FulfillmentOrder / OrderTransaction ``index`` of ``order``."""
    if order is None or kind not in NODE_KINDS:
        return None
    wanted = gid(kind, index)
    return next((r for r in details(order)[NODE_KINDS[kind]] if r["id"] == wanted), None)
