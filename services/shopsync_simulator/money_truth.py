"""Ground truth of the money streams: every live order's money records, flat, one stream per
record kind, each row keyed by its own id and carrying its parents' ids (as a warehouse table
would), amounts as ``MoneyBag`` dicts in shop and presentment currency."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from shopsync_simulator.store.ids import GID_PREFIX, ID_BASE, gid
from shopsync_simulator.store.money import plain
from shopsync_simulator.store.order_views import allocations, details, tax_lines
from shopsync_simulator.store.store import Store
from shopsync_simulator.store.table import Record

#: Keys left out of a row: nested records that are rows of their own stream, references.
_NESTED = {
    "refundLineItems",
    "orderAdjustments",
    "refundShippingLines",
    "transactions",
    "fulfillmentLineItems",
    "lineItems",
    "taxLines",
    "discountAllocations",
    "lineItem",
    "shippingLine",
    "parentTransaction",
    "discountApplication",
    "assignedLocation",
}


def _row(rec: Record, **parents: Any) -> dict[str, Any]:
    out = {
        k: plain(v)
        for k, v in rec.items()
        if (k == "__typename" or not k.startswith("_")) and k not in _NESTED
    }
    out.update(parents)
    return out


def _loc(rec: Record) -> str | None:
    loc = rec.get("_loc")
    return None if loc is None else gid("Location", loc)


Rows = Iterator[dict[str, Any]]


def _refunds(order: Record, d: Record) -> Rows:
    return (_row(r, orderId=order["id"]) for r in d["refunds"])


def _refund_line_items(order: Record, d: Record) -> Rows:
    for r in d["refunds"]:
        for x in r["refundLineItems"]:
            yield _row(x, refundId=r["id"], lineItemId=x["lineItem"]["id"], locationId=_loc(x))


def _order_adjustments(order: Record, d: Record) -> Rows:
    for r in d["refunds"]:
        yield from (_row(x, refundId=r["id"]) for x in r["orderAdjustments"])


def _refund_shipping_lines(order: Record, d: Record) -> Rows:
    for r in d["refunds"]:
        for x in r["refundShippingLines"]:
            yield _row(x, refundId=r["id"], shippingLineId=x["shippingLine"]["id"])


def _transactions(order: Record, d: Record) -> Rows:
    for t in d["transactions"]:
        parent = t["parentTransaction"]
        yield _row(t, orderId=order["id"], parentTransactionId=parent["id"] if parent else None)


def _tender_transactions(order: Record, d: Record) -> Rows:
    """Shopify's tender transactions, worked out from the order's transactions rather than from
    the simulator's tender view: every successful sale and capture takes its amount in shop
    currency, every successful refund gives it back (negative); nothing else moves money. The
    id is the transaction's number in the tender transactions' id range."""
    signs = {"SALE": 1, "CAPTURE": 1, "REFUND": -1}
    for t in d["transactions"]:
        amount = Decimal(t["amountSet"]["shopMoney"]["amount"])
        if t["status"] != "SUCCESS" or t["kind"] not in signs or not amount:
            continue
        number = int(t["legacyResourceId"]) - ID_BASE["OrderTransaction"]
        yield {
            "id": f"{GID_PREFIX}TenderTransaction/{ID_BASE['TenderTransaction'] + number}",
            "orderId": order["id"],
            "processedAt": t["processedAt"],
            "paymentMethod": "credit_card" if t["gateway"] == "shopify_payments" else t["gateway"],
            "test": t["test"],
            "amount": {
                "amount": str(signs[t["kind"]] * amount),
                "currencyCode": t["amountSet"]["shopMoney"]["currencyCode"],
            },
        }


def _shipping_lines(order: Record, d: Record) -> Rows:
    return (_row(s, orderId=order["id"]) for s in d["shippingLines"])


def _discount_applications(order: Record, d: Record) -> Rows:
    return (_row(a, orderId=order["id"]) for a in d["discountApplications"])


def _owners(order: Record, d: Record) -> list[tuple[str, str, Record]]:
    """(id, kind, ledger entry) of every line item and shipping line."""
    owners = [(line["id"], "line_item", line) for line in order["_lines"]]
    ships = zip(d["shippingLines"], order["_ship"], strict=True)
    return owners + [(s["id"], "shipping_line", raw) for s, raw in ships]


def _placed(order: Record, owner: str, kind: str, tag: str, rows: list[Record]) -> Rows:
    """The rows of a list of ``owner`` (a line item's tax lines), each keyed by the owner and
    its place in the list, as the warehouse keys rows Shopify gives no id."""
    for index, x in enumerate(rows):
        where = {"parentId": owner, "parentType": kind, "index": index}
        yield _row(x, id=f"{owner}#{tag}{index}", orderId=order["id"], **where)


def _tax_lines(order: Record, d: Record) -> Rows:
    """Every line item's and shipping line's tax lines, then the order's own (their sums)."""
    for pid, kind, raw in _owners(order, d):
        yield from _placed(order, pid, kind, "tax", tax_lines(raw["_tax"]))
    yield from _placed(order, order["id"], "order", "tax", d["taxLines"])


def _discount_allocations(order: Record, d: Record) -> Rows:
    """Every line item's and shipping line's allocations, with their application's index."""
    for pid, kind, raw in _owners(order, d):
        allocs = allocations(raw["_alloc"])
        for x, a in zip(_placed(order, pid, kind, "allocation", allocs), allocs, strict=True):
            yield {**x, "discountApplicationIndex": a["discountApplication"]["index"]}


def _order_discount_codes(order: Record, d: Record) -> Rows:
    for index, code in enumerate(order["discountCodes"]):
        yield {
            "id": f"{order['id']}#code{index}",
            "orderId": order["id"],
            "index": index,
            "code": code,
        }


def _fulfillments(order: Record, d: Record) -> Rows:
    return (_row(f, orderId=order["id"], locationId=_loc(f)) for f in d["fulfillments"])


def _fulfillment_line_items(order: Record, d: Record) -> Rows:
    for f in d["fulfillments"]:
        for x in f["fulfillmentLineItems"]:
            yield _row(x, fulfillmentId=f["id"], lineItemId=x["lineItem"]["id"])


def _fulfillment_orders(order: Record, d: Record) -> Rows:
    for fo in d["fulfillmentOrders"]:
        yield _row(fo, orderId=order["id"], locationId=_loc(fo["assignedLocation"]))


def _fulfillment_order_line_items(order: Record, d: Record) -> Rows:
    for fo in d["fulfillmentOrders"]:
        for x in fo["lineItems"]:
            yield _row(x, fulfillmentOrderId=fo["id"], lineItemId=x["lineItem"]["id"])


_STREAMS: dict[str, Callable[[Record, Record], Rows]] = {
    "refunds": _refunds,
    "refund_line_items": _refund_line_items,
    "order_adjustments": _order_adjustments,
    "refund_shipping_lines": _refund_shipping_lines,
    "transactions": _transactions,
    "tender_transactions": _tender_transactions,
    "shipping_lines": _shipping_lines,
    "tax_lines": _tax_lines,
    "discount_applications": _discount_applications,
    "discount_allocations": _discount_allocations,
    "order_discount_codes": _order_discount_codes,
    "fulfillments": _fulfillments,
    "fulfillment_line_items": _fulfillment_line_items,
    "fulfillment_orders": _fulfillment_orders,
    "fulfillment_order_line_items": _fulfillment_order_line_items,
}


def _order_rows(order: Record, stream: str) -> Rows:
    return _STREAMS[stream](order, details(order))


MONEY_STREAMS = tuple(_STREAMS)


def money_records(store: Store, stream: str) -> Iterator[dict[str, Any]]:
    """The rows of one money stream over every live order, in order id order."""
    if stream not in MONEY_STREAMS:
        raise KeyError(f"unknown money stream {stream!r}")
    for order in store.orders.iter_live():
        yield from _order_rows(order, stream)


def money_counts(store: Store) -> dict[str, int]:
    counts = dict.fromkeys(MONEY_STREAMS, 0)
    for order in store.orders.iter_live():
        for stream in MONEY_STREAMS:
            counts[stream] += sum(1 for _ in _order_rows(order, stream))
    return counts
