"""Activity on an order's money side: refund, capture, void, fulfill, hold, discount.

What each verb stamps follows Shopify: a refund, a capture (or void) and a fulfillment change the
order, so its ``updatedAt`` moves; a fulfillment also moves its fulfillment order's. Putting a
fulfillment order on hold changes only the fulfillment order's ``updatedAt`` (the order keeps
its own), the behaviour reported in the Shopify community thread "Inconsistent updated_at
behavior between Order and FulfillmentOrder"; the mutations' docs (shopify.dev,
``fulfillmentOrderHold``) describe the hold as an operation on the fulfillment order alone. So
the hold changes nothing the order record itself shows (not even ``displayFulfillmentStatus``):
an incremental sync of orders by ``updated_at`` cannot see it, only the fulfillment order can.
"""

from __future__ import annotations

import copy

from shopsync_simulator.store.contents import StoreContents
from shopsync_simulator.store.generate import iso
from shopsync_simulator.store.ids import parse_gid
from shopsync_simulator.store.order_history import (
    LedgerError,
    add_fulfillment,
    add_refund,
    add_transaction,
    refund_items,
    sync_fulfillment_orders,
    unfulfilled,
)
from shopsync_simulator.store.orders import (
    allocate,
    code_app,
    order_total,
    refunded_quantity,
    reprice,
)
from shopsync_simulator.store.table import Record, UnknownRecordError

Ref = int | str


class OrderActivity:
    """Mixed into :class:`~shopsync_simulator.store.activity.Activity`."""

    store: StoreContents

    def _order(self, order: Ref) -> Record:
        """A private copy of a live order, ready to change."""
        index = order
        if isinstance(order, str):
            parsed = parse_gid(order)
            if parsed is None or parsed[0] != "Order":
                raise UnknownRecordError(f"not an Order gid: {order!r}")
            index = parsed[1]
        assert isinstance(index, int)
        current = self.store.orders.get(index)
        if current is None:
            raise UnknownRecordError(f"no live Order {order!r}")
        rec = copy.deepcopy(current)
        rec.pop("_d", None)
        return rec

    def _save(self, rec: Record, now: int | None) -> Record:
        """Reprice and store the order; ``now`` None keeps its ``updatedAt``."""
        if now is not None:
            rec["_u"], rec["updatedAt"] = now, iso(now)
        reprice(rec)
        self.store.orders.put(rec)
        return rec

    def refund_order(
        self,
        order: Ref,
        lines: list[tuple[int, int]] | None = None,
        *,
        restock: bool = True,
        shipping: bool | None = None,
        note: str | None = None,
    ) -> Record:
        """Refund ``lines`` (line position, quantity; default every unrefunded unit) with or
        without restocking; shipping is refunded with a full refund unless told otherwise.
        Unfulfilled units are cancelled (restock type CANCEL); the refund's transaction goes
        back through the gateway that took the money, and never exceeds what was captured."""
        with self.store.lock:
            rec = self._order(order)
            now = self.store.clock.stamp()
            done = refunded_quantity(rec)
            full = lines is None
            wanted = lines or [
                (j, line["quantity"] - done.get(j, 0))
                for j, line in enumerate(rec["_lines"])
                if line["quantity"] > done.get(j, 0)
            ]
            location = rec["_fos"][0]["_loc"] if rec["_fos"] else 0
            items = refund_items(rec, wanted, restock, location)
            add_refund(rec, now, items, shipping=full if shipping is None else shipping, note=note)
            sync_fulfillment_orders(rec, now)
            self._save(rec, now)
            return rec

    def capture_transaction(self, order: Ref) -> Record:
        """Capture the order's open authorization (its full amount, at most what is owed)."""
        with self.store.lock:
            rec = self._order(order)
            auth = self._open_authorization(rec)
            now = self.store.clock.stamp()
            owed = rec["totalOutstandingSet"]
            amount = auth["_amt"] if owed.shop >= auth["_amt"].shop else owed
            add_transaction(rec, "CAPTURE", "SUCCESS", auth["gateway"], amount, now, auth["_s"])
            return self._save(rec, now)

    def void_transaction(self, order: Ref) -> Record:
        """Void the order's open authorization."""
        with self.store.lock:
            rec = self._order(order)
            auth = self._open_authorization(rec)
            now = self.store.clock.stamp()
            zero = auth["_amt"].zero()
            add_transaction(rec, "VOID", "SUCCESS", auth["gateway"], zero, now, auth["_s"])
            return self._save(rec, now)

    @staticmethod
    def _open_authorization(rec: Record) -> Record:
        if rec["totalCapturableSet"].shop <= 0:
            raise LedgerError(f"order {rec['name']} has no open authorization")
        closing = {t["_parent"] for t in rec["_pay"] if t["status"] == "SUCCESS"}
        return next(
            t
            for t in rec["_pay"]
            if t["kind"] == "AUTHORIZATION" and t["status"] == "SUCCESS" and t["_s"] not in closing
        )

    def fulfill_order(
        self, order: Ref, lines: list[tuple[int, int]] | None = None, location: int | None = None
    ) -> Record:
        """Fulfill ``lines`` (line position, quantity; default everything left to fulfill);
        the order and its fulfillment order get a new ``updatedAt``."""
        with self.store.lock:
            rec = self._order(order)
            now = self.store.clock.stamp()
            left = unfulfilled(rec)
            wanted = lines or [(j, q) for j, q in sorted(left.items()) if q > 0]
            if not wanted:
                raise LedgerError(f"order {rec['name']} has nothing left to fulfill")
            loc = rec["_fos"][0]["_loc"] if location is None else location
            for fo in rec["_fos"]:
                if fo["status"] == "ON_HOLD":
                    fo["status"] = "OPEN"  # fulfilling releases the hold
            add_fulfillment(rec, now, wanted, loc, rec["_n"] ^ now)
            return self._save(rec, now)

    def hold_fulfillment_order(self, order: Ref) -> Record:
        """Put the order's open fulfillment order on hold: only its ``updatedAt`` moves."""
        with self.store.lock:
            rec = self._order(order)
            now = self.store.clock.stamp()
            fo = next((f for f in rec["_fos"] if f["status"] in ("OPEN", "IN_PROGRESS")), None)
            if fo is None:
                raise LedgerError(f"order {rec['name']} has no open fulfillment order")
            fo["status"], fo["_tu"] = "ON_HOLD", now
            return self._save(rec, None)

    def apply_discount(self, order: Ref, code: str = "LATE10", percent: int = 10) -> Record:
        """A discount code on every line of an order that nothing was fulfilled or refunded of
        yet (Shopify edits only such orders). Money already taken stays taken: a paid order
        then owes the customer the difference (a negative ``totalOutstandingSet``)."""
        with self.store.lock:
            rec = self._order(order)
            if rec["_fuls"] or rec["_refunds"]:
                raise LedgerError(f"order {rec['name']} is fulfilled or refunded already")
            now = self.store.clock.stamp()
            rec["_apps"].append(code_app(len(rec["_apps"]), code, percent))
            allocate(rec, rec["_lines"])
            for t in rec["_pay"]:  # an unpaid manual payment asks for the new total
                if t["status"] == "PENDING":
                    t["_amt"] = order_total(rec)
            return self._save(rec, now)
