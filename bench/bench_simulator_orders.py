"""Benchmark: CPU time per order the Shopify simulator spends generating an order and reading
what the project's order streams select, through the store's record views (as the resolvers do:
a dict by key, a ``MoneyBag`` by attribute), without HTTP or GraphQL execution.

Figures are CPU µs per order (``time.process_time``, best of ``BENCH_REPEAT`` passes over
``BENCH_ORDERS`` orders): generating only, reading the orders stream's fields without money,
and with money (``subtotalPriceSet``/``totalPriceSet``/``totalTaxSet``, line prices,
``transactions(first: 10)`` with fees, ``refunds(first: 20)``). The target is 1.2x the cost of
generating and reading an order before orders carried a money ledger (96 µs on the 2-core
machine at commit 1212814). Run: ``.venv/bin/python bench/bench_simulator_orders.py``.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from shopsync_simulator.store import ShopSpec, Store, StoreSize
from shopsync_simulator.store.ids import gid
from shopsync_simulator.store.order_views import details

ORDERS = int(os.environ.get("BENCH_ORDERS", "20000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
BEFORE_MONEY_US = 96.0
TARGET_US = 1.2 * BEFORE_MONEY_US

Selection = dict[str, Any]
AMOUNT: Selection = {"amount": None, "currencyCode": None}
MONEY: Selection = {"shopMoney": AMOUNT, "presentmentMoney": AMOUNT}
ORDER = "id legacyResourceId name email test createdAt updatedAt processedAt cancelledAt closedAt "
ORDER += "currencyCode displayFinancialStatus displayFulfillmentStatus"
LINE = "id name sku quantity currentQuantity"
TXN: Selection = dict.fromkeys(
    ["id", "kind", "status", "gateway", "test", "errorCode", "processedAt", "createdAt"]
)
TXN |= {"amountSet": MONEY, "parentTransaction": {"id": None}}
FEE: Selection = dict.fromkeys(["id", "type", "rate", "rateName"]) | {"amount": AMOUNT}
REFUND: Selection = dict.fromkeys(["id", "note", "createdAt", "updatedAt"])
REFUND["totalRefundedSet"] = MONEY


def walk(source: Any, selection: Selection) -> dict[str, Any]:
    """The selected fields of ``source``, read as the default field resolver reads them."""
    out = {}
    for name, sub in selection.items():
        value = source[name] if isinstance(source, dict) else getattr(source, name)
        out[name] = value if sub is None or value is None else walk(value, sub)
    return out


def read(order: dict[str, Any], money: bool) -> dict[str, Any]:
    """What the orders stream (and, with money, the transactions and refunds streams) reads."""
    out = {name: order[name] for name in ORDER.split()}
    cust = order["_cust"]
    out["customer"] = None if cust is None else {"id": gid("Customer", cust)}
    lines = []
    for line in order["_lines"]:
        item = {name: line[name] for name in LINE.split()}
        item["variant"] = {"id": gid("ProductVariant", line["_v"])}
        item["product"] = {"id": gid("Product", line["_p"])}
        if money:
            item["originalUnitPriceSet"] = walk(line["originalUnitPriceSet"], MONEY)
            item["discountedTotalSet"] = walk(line["discountedTotalSet"], MONEY)
        lines.append(item)
    out["lineItems"] = lines
    if money:
        for name in ("subtotalPriceSet", "totalPriceSet", "totalTaxSet"):
            out[name] = walk(order[name], MONEY)
        views = details(order)
        out["transactions"] = [
            walk(t, TXN) | {"fees": [walk(f, FEE) for f in t["fees"]]}
            for t in views["transactions"][:10]
        ]
        out["refunds"] = [walk(r, REFUND) for r in views["refunds"][:20]]
    return out


def per_order(mode: str) -> float:
    """Best CPU µs per order over ``REPEAT`` passes on a fresh store each."""
    best = float("inf")
    for _ in range(REPEAT):
        store = Store(ShopSpec("bench", "bench.myshopify.com", size=StoreSize(orders=ORDERS)))
        get = store.orders.get
        t0 = time.process_time()
        for i in range(ORDERS):
            order = get(i)
            if mode != "generate" and order is not None:
                read(order, mode == "money")
        best = min(best, (time.process_time() - t0) / ORDERS * 1e6)
    return best


def main() -> int:
    print(f"store: {ORDERS} orders; CPU µs per order, best of {REPEAT}")
    generate, plain, money = (per_order(m) for m in ("generate", "plain", "money"))
    print(f"  generate only:                    {generate:6.1f} µs")
    print(f"  generate + read, no money fields: {plain:6.1f} µs")
    print(
        f"  generate + read money:            {money:6.1f} µs, "
        f"{money / BEFORE_MONEY_US:4.2f}x the cost before the money ledger "
        f"({BEFORE_MONEY_US:.0f} µs), ratio {money / TARGET_US:4.2f} to the target "
        f"(<= {TARGET_US:.0f} µs)"
    )
    if money > TARGET_US:
        print("  reading an order's money costs more than the target", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
