"""Store activity over time: the changes an incremental sync must find.

Every change stamps ``updatedAt`` with the store clock (never earlier than the previous change),
so a client that asks for ``updated_at:>=<watermark>`` finds it. Records are referenced by index
or by gid.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from shopsync_simulator.store.contents import StoreContents
from shopsync_simulator.store.generate import iso
from shopsync_simulator.store.ids import gid, parse_gid
from shopsync_simulator.store.money import money
from shopsync_simulator.store.order_activity import OrderActivity
from shopsync_simulator.store.order_history import LedgerError
from shopsync_simulator.store.order_record import materialize
from shopsync_simulator.store.table import Record, Table, UnknownRecordError

__all__ = ["Activity", "LedgerError", "UnknownRecordError"]

Ref = int | str
OPS = ("price", "title", "inventory", "order", "customer", "delete")
ORDER_OPS = ("refund", "capture", "void", "fulfill", "hold", "discount")


class Activity(OrderActivity):
    def __init__(self, store: StoreContents) -> None:
        self.store = store

    # -- helpers ---------------------------------------------------------------------------
    def _index(self, table: Table, ref: Ref) -> int:
        if isinstance(ref, int):
            return ref
        parsed = parse_gid(ref)
        if parsed is None or parsed[0] != table.kind:
            raise UnknownRecordError(f"not a {table.kind} gid: {ref!r}")
        return parsed[1]

    def _touch(self, table: Table, ref: Ref, now: int) -> Record:
        index = self._index(table, ref)
        current = table.get(index)
        if current is None:
            raise UnknownRecordError(f"no live {table.kind} {ref!r}")
        rec = copy.deepcopy(current)
        rec.pop("_d", None)
        rec["_u"] = now
        rec["updatedAt"] = iso(now)
        table.put(rec)
        return rec

    # -- clock -----------------------------------------------------------------------------
    def advance_clock(self, seconds: float) -> str:
        return iso(self.store.clock.advance(seconds))

    # -- products ----------------------------------------------------------------------------
    def update_product_title(self, product: Ref, title: str) -> Record:
        with self.store.lock:
            rec = self._touch(self.store.products, product, self.store.clock.stamp())
            rec["title"] = title
            return rec

    def update_variant_price(
        self, variant: Ref, price: str, compare_at_price: str | None = None
    ) -> Record:
        """New price on a variant; the variant and its product both get a new ``updatedAt``."""
        store = self.store
        with store.lock:
            now = store.clock.stamp()
            rec = self._touch(store.variants, variant, now)
            rec["price"] = price
            rec["compareAtPrice"] = compare_at_price
            self._touch(store.products, rec["_p"], now)
            return rec

    def delete_product(self, product: Ref) -> Record:
        """Delete a product with its variants, inventory items and levels; log a destroy event."""
        store = self.store
        with store.lock:
            index = self._index(store.products, product)
            rec = store.products.get(index)
            if rec is None:
                raise UnknownRecordError(f"no live Product {product!r}")
            for variant in store.variants_of(index):
                j = variant["_i"]
                store.variants.delete(j)
                store.inventory_items.delete(j)
                for level in store.levels_of(j):
                    store.inventory_levels.delete(level["_i"])
            store.products.delete(index)
            return self._event(
                "destroy", "PRODUCT", rec["id"], f"Product {rec['title']} was deleted."
            )

    def _event(self, action: str, subject_type: str, subject_id: str, message: str) -> Record:
        events = self.store.events
        now = self.store.clock.stamp()
        i = events.new_index()
        event: Record = {
            "__typename": "BasicEvent",
            "_i": i,
            "_n": int(gid("Event", i).rsplit("/", 1)[1]),
            "_c": now,
            "_u": now,
            "id": gid("Event", i),
            "action": action,
            "subjectType": subject_type,
            "subjectId": subject_id,
            "message": message,
            "createdAt": iso(now),
            "appTitle": None,
            "attributeToApp": False,
            "attributeToUser": True,
            "criticalAlert": False,
            "arguments": [],
            "additionalContent": None,
            "additionalData": None,
            "hasAdditionalContent": False,
            "secretMessage": None,
        }
        events.put(event)
        return event

    # -- inventory ---------------------------------------------------------------------------
    def adjust_inventory(
        self, item: Ref, location: Ref, delta: int, name: str = "available"
    ) -> Record:
        """Change one quantity of a level (``on_hand`` follows ``available``/``committed``).

        The level gets a new ``updatedAt``; its inventory item does not (as in Shopify, a
        quantity change does not modify the item).
        """
        store = self.store
        with store.lock:
            item_index = self._index(store.inventory_items, item)
            loc_index = self._index(store.locations, location)
            if store.locations.get(loc_index) is None:
                raise UnknownRecordError(f"no live Location {location!r}")
            now = store.clock.stamp()
            level = self._touch(
                store.inventory_levels, store.level_index(item_index, loc_index), now
            )
            q = level["_q"]
            q[name] = q.get(name, 0) + delta
            q["on_hand"] = q["available"] + q["committed"]
            return level

    # -- customers and orders ------------------------------------------------------------------
    def create_customer(self, first_name: str, last_name: str, email: str | None = None) -> Record:
        store = self.store
        with store.lock:
            now = store.clock.stamp()
            index = store.customers.new_index()
            rec = copy.deepcopy(store.factory.customer(index % max(store.factory.n_customers, 1)))
            address = email or f"{first_name}.{last_name}.{index + 1}@example.com".lower()
            _restamp(rec, "Customer", index, now)
            rec.update(
                firstName=first_name,
                lastName=last_name,
                displayName=f"{first_name} {last_name}",
                email=address,
                numberOfOrders="0",
                amountSpent={"amount": "0.00", "currencyCode": store.spec.currency},
            )
            rec["defaultEmailAddress"]["emailAddress"] = address
            store.customers.put(rec)
            return rec

    def create_order(
        self, customer: Ref | None = None, lines: list[tuple[Ref, int]] | None = None
    ) -> Record:
        """A new order; ``lines`` are ``(variant, quantity)``, default 1-3 live variants."""
        store = self.store
        f = store.factory
        with store.lock:
            now = store.clock.stamp()
            index = store.orders.new_index()
            h = f.h(5, index)
            if lines is None:
                rng = random.Random(h)
                live = [rng.randrange(f.n_variants) for _ in range(8)] if f.n_variants else []
                picked = [v for v in live if store.variants.get(v) is not None][: 1 + h % 3]
                if not picked:  # the draws all hit deleted variants: the first live one
                    first = next(
                        (v for v in range(f.n_variants) if store.variants.get(v) is not None),
                        None,
                    )
                    if first is None:  # an order needs a line item
                        raise UnknownRecordError("no live ProductVariant to order")
                    picked = [first]
                resolved = [(v, 1 + rng.randrange(3)) for v in picked]
            else:
                if not 1 <= len(lines) <= f.max_lines:
                    raise ValueError(
                        f"an order has 1 to {f.max_lines} line items (the store's "
                        f"max_line_items), not {len(lines)}"
                    )
                resolved = [(self._index(store.variants, v), q) for v, q in lines]
                for v, _ in resolved:
                    if store.variants.get(v) is None:
                        raise UnknownRecordError(f"no live ProductVariant {v!r}")
            cust_index: int | None = None
            if customer is not None:
                cust_index = self._index(store.customers, customer)
                cust = self._touch(store.customers, cust_index, now)
                cust["numberOfOrders"] = str(int(cust["numberOfOrders"]) + 1)
            # The live prices, which activity may have changed.
            prices = [_cents(store.variants.get(v)) for v, _ in resolved]
            rec = f.build_order(index, now, now, cust_index, resolved, h, prices)
            materialize(rec)  # a new order is read (and changed) soon; no point in waiting
            store.orders.put(rec)
            return rec

    def delete_order(self, order: Ref) -> Record:
        """Delete an order; log a destroy event (subject type ORDER)."""
        return self._delete(self.store.orders, order, "ORDER", "Order {name} was deleted.")

    def delete_customer(self, customer: Ref) -> Record:
        """Delete a customer; log a destroy event (subject type CUSTOMER). Their orders stay,
        with no customer (as after Shopify's customer data erasure)."""
        return self._delete(
            self.store.customers, customer, "CUSTOMER", "Customer {displayName} was deleted."
        )

    def _delete(self, table: Table, ref: Ref, subject: str, message: str) -> Record:
        with self.store.lock:
            index = self._index(table, ref)
            rec = table.get(index)
            if rec is None:
                raise UnknownRecordError(f"no live {table.kind} {ref!r}")
            table.delete(index)
            return self._event("destroy", subject, rec["id"], message.format(**rec))

    # -- a bit of everything ---------------------------------------------------------------------
    def _order_op(self, op: str, order: int, rng: random.Random) -> None:
        if op == "refund":
            rec = self.store.orders.get(order)
            lines = None if rec is None or rng.random() < 0.4 else [(0, 1)]
            self.refund_order(order, lines, restock=rng.random() < 0.7)
        elif op == "capture":
            self.capture_transaction(order)
        elif op == "void":
            self.void_transaction(order)
        elif op == "fulfill":
            self.fulfill_order(order)
        elif op == "hold":
            self.hold_fulfillment_order(order)
        elif op == "discount":
            self.apply_discount(order)
        elif rng.random() < 0.3:
            self.delete_order(order)
        else:
            raise UnknownRecordError("skipped")

    def random_activity(
        self, steps: int, seed: int = 0, *, deletions: bool = False
    ) -> dict[str, int]:
        """``steps`` random changes (deterministic for a seed); returns how many of each.

        Each step picks one of the catalogue/customer/order changes it always did (the same
        picks for a seed as before orders had money), and half of the steps also change an
        order's money (refund, capture, void, fulfill, hold, discount) from a second stream of
        draws. ``deletions`` adds deleting orders and customers to those money changes (off by
        default: a seed keeps drawing the changes it always drew).
        """
        store = self.store
        f = store.factory
        rng = random.Random(seed ^ f.seed)
        money_rng = random.Random(seed ^ f.seed ^ 0x5EED)
        money_ops = ORDER_OPS + (("delete_order", "delete_customer") if deletions else ())
        done: dict[str, int] = {}
        for _ in range(steps):
            for op in (
                rng.choice(OPS),
                money_rng.choice(money_ops) if money_rng.random() < 0.5 else None,
            ):
                if op is not None and self._random_op(op, rng if op in OPS else money_rng):
                    done[op] = done.get(op, 0) + 1
        return done

    def _random_op(self, op: str, rng: random.Random) -> bool:
        store = self.store
        f = store.factory
        try:
            if op == "price" and f.n_variants:
                cents = rng.randrange(500, 20_000)
                self.update_variant_price(rng.randrange(f.n_variants), money(cents))
            elif op == "title" and f.n_products:
                p = rng.randrange(f.n_products)
                self.update_product_title(p, f"{f.product_title(p)} (v{rng.randrange(99)})")
            elif op == "inventory" and f.n_variants:
                j, loc = rng.randrange(f.n_variants), rng.randrange(f.n_locations)
                self.adjust_inventory(j, loc, rng.randrange(-5, 20))
            elif op == "order":
                n = store.customers.next_index
                self.create_order(rng.randrange(n) if n else None)
            elif op == "customer":
                self.create_customer(rng.choice(("Zoe", "Yan")), rng.choice(("Park", "Ito")))
            elif op == "delete" and f.n_products and rng.random() < 0.3:
                self.delete_product(rng.randrange(f.n_products))
            elif op in (*ORDER_OPS, "delete_order") and store.orders.next_index:
                self._order_op(op, rng.randrange(store.orders.next_index), rng)
            elif op == "delete_customer" and store.customers.next_index and rng.random() < 0.3:
                self.delete_customer(rng.randrange(store.customers.next_index))
            else:
                return False
        except (UnknownRecordError, LedgerError):
            return False
        return True


def _cents(variant: Record | None) -> int:
    if variant is None:
        raise UnknownRecordError("no live ProductVariant")
    whole, _, frac = str(variant["price"]).partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def _restamp(rec: dict[str, Any], kind: str, index: int, now: int) -> None:
    number = int(gid(kind, index).rsplit("/", 1)[1])
    rec.update(
        _i=index,
        _n=number,
        _c=now,
        _u=now,
        id=gid(kind, index),
        legacyResourceId=str(number),
        createdAt=iso(now),
        updatedAt=iso(now),
    )
