"""Orders whose money side is worked out on first read.

Generating an order's ledger and totals costs about as much again as the rest of the order, and
most reads of a big store (paging by ``updated_at``, filters, counts) never look at money. So a
generated order holds only what it needs to build its ledger later (:attr:`OrderRecord.lazy`);
reading any key it does not hold yet (on the order or on one of its line items) builds the
ledger and the totals, once. Activity works on materialised copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shopsync_simulator.store.order_history import (
    add_transaction,
    base_history,
    open_fulfillment_order,
)
from shopsync_simulator.store.orders import GATEWAYS, new_order_ledger, order_total, reprice


@dataclass(frozen=True)
class Pending:
    """How to build an order's ledger: ``financial`` None means a new order, paid by a sale."""

    plan: int
    rate: int
    financial: str | None
    fulfilled: bool
    n_locations: int


class OrderRecord(dict[str, Any]):
    __slots__ = ("lazy",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: Pending | None = None

    def __missing__(self, key: str) -> Any:
        if getattr(self, "lazy", None) is None:
            raise KeyError(key)
        materialize(self)
        return dict.__getitem__(self, key)


class LineRecord(dict[str, Any]):
    """A line item; a key it lacks is looked up after its order's ledger is built."""

    __slots__ = ("order",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order: OrderRecord | None = None

    def __missing__(self, key: str) -> Any:
        order = getattr(self, "order", None)
        if order is None or getattr(order, "lazy", None) is None:
            raise KeyError(key)
        materialize(order)
        return dict.__getitem__(self, key)


def materialize(rec: dict[str, Any]) -> None:
    """Build the ledger and totals of a lazy order (no-op for any other record)."""
    pending: Pending | None = getattr(rec, "lazy", None)
    if pending is None:
        return
    assert isinstance(rec, OrderRecord)
    rec.lazy = None
    rec.update(_pay=[], _refunds=[], _fuls=[])
    cur, pcur = rec["currencyCode"], rec["presentmentCurrencyCode"]
    new_order_ledger(rec, pending.plan, cur, pcur, pending.rate)
    location = (pending.plan >> 52) % max(pending.n_locations, 1)
    open_fulfillment_order(rec, rec["_c"], location)
    if pending.financial is not None:
        base_history(rec, pending.financial, pending.fulfilled, pending.plan, pending.n_locations)
    else:
        gateway = GATEWAYS[(pending.plan >> 20) % len(GATEWAYS)]
        add_transaction(rec, "SALE", "SUCCESS", gateway, order_total(rec), rec["_c"])
    reprice(rec)
