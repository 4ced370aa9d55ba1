"""What happens to an order after it is placed: transactions, fulfillments, refunds.

The writers (:func:`add_transaction`, :func:`add_refund`, :func:`add_fulfillment`) are shared by
the generator (a base order's history, decided by its hash) and by the activity verbs, so both
produce the same shapes and keep the same invariants: a refund never exceeds what was captured,
and the fulfillment orders follow their fulfillments.
"""

from __future__ import annotations

from shopsync_simulator.store.money import Bag
from shopsync_simulator.store.orders import (
    GATEWAYS,
    SLOTS,
    cancelled_quantity,
    fulfilled_quantity,
    order_total,
    payments,
    refund_parts,
    zero_of,
)
from shopsync_simulator.store.table import Record

DAY = 86_400
CARRIERS = (
    ("UPS", "1Z999AA1{n:010d}", "https://www.ups.com/track?tracknum={num}"),
    ("USPS", "9400{n:018d}", "https://tools.usps.com/go/TrackConfirmAction?tLabels={num}"),
    ("FedEx", "7{n:011d}", "https://www.fedex.com/fedextrack/?trknbr={num}"),
)
DISPLAY = ("DELIVERED", "DELIVERED", "IN_TRANSIT", "FULFILLED")


class LedgerError(ValueError):
    """A change Shopify would refuse (over-refund, nothing to capture, ...)."""


def _slot(items: list[Record], kind: str) -> int:
    if len(items) >= SLOTS[kind]:
        raise LedgerError(f"an order holds at most {SLOTS[kind]} {kind} records here")
    return len(items)


def add_transaction(
    rec: Record,
    kind: str,
    status: str,
    gateway: str,
    amount: Bag,
    ts: int,
    parent: int | None = None,
    error: str | None = None,
    refund: int | None = None,
) -> Record:
    txn = {
        "_s": _slot(rec["_pay"], "OrderTransaction"),
        "kind": kind,
        "status": status,
        "gateway": gateway,
        "_amt": amount,
        "_parent": parent,
        "errorCode": error,
        "_t": ts,
        "_refund": refund,
    }
    rec["_pay"].append(txn)
    return txn


def settled(rec: Record) -> Record | None:
    """The transaction that took the money (a successful sale or capture), if any."""
    return next(
        (
            t
            for t in reversed(rec["_pay"])
            if t["status"] == "SUCCESS" and t["kind"] in ("SALE", "CAPTURE")
        ),
        None,
    )


def add_refund(
    rec: Record,
    ts: int,
    items: list[tuple[int, int, str, bool, int | None]],
    *,
    shipping: bool,
    note: str | None = None,
    fee_pct: int = 0,
) -> Record:
    """A refund of ``items`` (line index, quantity, restock type, restocked, location), with or
    without the shipping, keeping ``fee_pct`` % of the items as a restocking fee (an order
    adjustment); its REFUND transaction goes back through the gateway that took the money."""
    refunded = {j: 0 for j, *_ in items}
    for j, qty, *_ in items:
        line = rec["_lines"][j]
        left = line["quantity"] - sum(q for r in rec["_refunds"] for k, q, *_ in r["_rl"] if k == j)
        refunded[j] += qty
        if qty <= 0 or refunded[j] > left:
            raise LedgerError(f"line item {j} has only {left} refundable")
    source = settled(rec)
    if source is None:
        raise LedgerError("nothing was captured on this order, so nothing can be refunded")
    refund: Record = {
        "_s": _slot(rec["_refunds"], "Refund"),
        "_t": ts,
        "note": note,
        "_rl": items,
        "_ship": shipping,
        "_adj": [],
    }
    rec["_refunds"].append(refund)
    parts = {r["_s"]: p for r, p in refund_parts(rec)}[refund["_s"]]
    if fee_pct:
        goods = sum((s for s, _ in parts["items"]), zero_of(rec))
        refund["_adj"] = [("RESTOCK", -goods.part(fee_pct, 100))]
        parts = {r["_s"]: p for r, p in refund_parts(rec)}[refund["_s"]]
    pay = payments(rec)
    if parts["total"].shop > (pay["received"] - pay["refunded"]).shop:
        rec["_refunds"].pop()
        raise LedgerError("a refund cannot exceed what was captured")
    if parts["total"].shop > 0:
        add_transaction(
            rec, "REFUND", "SUCCESS", source["gateway"], parts["total"], ts, source["_s"], None
        )
        rec["_pay"][-1]["_refund"] = refund["_s"]
    return refund


def add_fulfillment(
    rec: Record, ts: int, lines: list[tuple[int, int]], location: int, h: int
) -> Record:
    """A successful fulfillment of ``lines`` (line index, quantity) from ``location``."""
    remaining = unfulfilled(rec)
    for j, qty in lines:
        if qty <= 0 or qty > remaining.get(j, 0):
            raise LedgerError(f"line item {j} has only {remaining.get(j, 0)} to fulfill")
    company, number, url = CARRIERS[h % len(CARRIERS)]
    n = (h >> 8) % 10**10
    num = number.format(n=n)
    ful: Record = {
        "_s": _slot(rec["_fuls"], "Fulfillment"),
        "_t": ts,
        "_tu": ts,
        "status": "SUCCESS",
        "displayStatus": DISPLAY[(h >> 4) % len(DISPLAY)],
        "_loc": location,
        "_track": (company, num, url.format(num=num)),
        "_fl": lines,
    }
    rec["_fuls"].append(ful)
    sync_fulfillment_orders(rec, ts)
    return ful


def unfulfilled(rec: Record) -> dict[int, int]:
    done, cancelled = fulfilled_quantity(rec), cancelled_quantity(rec)
    return {
        j: line["quantity"] - done.get(j, 0) - cancelled.get(j, 0)
        for j, line in enumerate(rec["_lines"])
    }


def sync_fulfillment_orders(rec: Record, ts: int) -> None:
    """Fulfillment order statuses after a fulfillment or a cancelling refund; a fulfillment
    order whose status changes gets ``updatedAt = ts``."""
    left = unfulfilled(rec)
    done = fulfilled_quantity(rec)
    for fo in rec["_fos"]:
        remaining = sum(max(left.get(j, 0), 0) for j, _ in fo["_fol"])
        shipped = sum(done.get(j, 0) for j, _ in fo["_fol"])
        status = fo["status"]
        if remaining == 0:
            status = "CLOSED"
        elif status != "ON_HOLD":
            status = "IN_PROGRESS" if shipped else "OPEN"
        if status != fo["status"]:
            fo["status"], fo["_tu"] = status, ts
            fo["requestStatus"] = "CLOSED" if status == "CLOSED" else fo["requestStatus"]


def open_fulfillment_order(rec: Record, ts: int, location: int) -> None:
    rec["_fos"] = [
        {
            "_s": 0,
            "_t": ts,
            "_tu": ts,
            "status": "OPEN",
            "requestStatus": "UNSUBMITTED",
            "_loc": location,
            "_fol": [(j, line["quantity"]) for j, line in enumerate(rec["_lines"])],
        }
    ]


def base_history(rec: Record, financial: str, fulfilled: bool, plan: int, n_loc: int) -> None:
    """The history of a generated order (all of it well before its base ``updatedAt``)."""
    c = rec["_c"]
    price = order_total(rec)
    location = (plan >> 52) % max(n_loc, 1)
    gateway = GATEWAYS[(plan >> 20) % len(GATEWAYS)]
    if financial == "PENDING":
        add_transaction(rec, "SALE", "PENDING", "manual", price, c)
    else:
        if (plan >> 28) % 10 == 0:
            add_transaction(rec, "SALE", "FAILURE", gateway, price, c, error="CARD_DECLINED")
        if financial == "AUTHORIZED" or (plan >> 24) % 5 < 2:
            auth = add_transaction(rec, "AUTHORIZATION", "SUCCESS", gateway, price, c + 1)
            if financial == "AUTHORIZED" and (plan >> 32) % 2:
                add_transaction(
                    rec, "VOID", "SUCCESS", gateway, price.zero(), c + 2 * DAY, auth["_s"]
                )
            elif financial != "AUTHORIZED":
                add_transaction(rec, "CAPTURE", "SUCCESS", gateway, price, c + DAY, auth["_s"])
        else:
            add_transaction(rec, "SALE", "SUCCESS", gateway, price, c + 1)
    if fulfilled and rec["_lines"]:
        n = len(rec["_lines"])
        partial = n > 1 and (plan >> 36) % 4 == 0
        picked = range(n // 2) if partial else range(n)
        lines = [(j, rec["_lines"][j]["quantity"]) for j in picked]
        add_fulfillment(rec, c + 2 * DAY, lines, location, plan >> 40)
    if financial in ("REFUNDED", "PARTIALLY_REFUNDED") and rec["_lines"]:
        _base_refund(rec, financial == "REFUNDED", plan, location)


def refund_items(
    rec: Record, wanted: list[tuple[int, int]], restock: bool, location: int
) -> list[tuple[int, int, str, bool, int | None]]:
    """Refund line items for ``wanted`` (line, quantity): unfulfilled units are cancelled
    (restocked), shipped ones returned and restocked at ``location`` or not restocked."""
    shipped = fulfilled_quantity(rec)
    items: list[tuple[int, int, str, bool, int | None]] = []
    for j, qty in wanted:
        if not shipped.get(j):
            items.append((j, qty, "CANCEL", True, location))
        elif restock:
            items.append((j, qty, "RETURN", True, location))
        else:
            items.append((j, qty, "NO_RESTOCK", False, None))
    return items


def _base_refund(rec: Record, full: bool, plan: int, location: int) -> None:
    keep = (plan >> 44) % 3 != 0
    lines = rec["_lines"] if full else rec["_lines"][:1]
    wanted = [(j, line["quantity"] if full else 1) for j, line in enumerate(lines)]
    items = refund_items(rec, wanted, keep, location)
    day = rec["_c"] + (3 + (plan >> 48) % 27) * DAY
    note = "Full refund" if full else ("Damaged in transit" if keep else None)
    add_refund(rec, day, items, shipping=full, note=note, fee_pct=0 if full or keep else 10)
    sync_fulfillment_orders(rec, day)
