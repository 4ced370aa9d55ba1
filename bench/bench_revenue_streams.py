"""Benchmark: the money streams against the simulator.

1. Details requests: a full sync (bulk operations) of the ``orders`` group of a store of
   ``BENCH_ORDERS`` orders (50,000; the simulator refunds about 11 % of them and fulfills about
   two thirds) counts the requests that fetch the refunds' children (``refund_details`` and the
   documents completing its connections) per refunded order. Target: fewer than 1 request per
   20 refunded orders (ratio = requests x 20 / refunded orders, < 1). The fulfillments' children
   are printed the same way.
2. Pacing: a paged incremental sync of the ``orders`` group (every money stream) of a store of
   ``BENCH_PACED_ORDERS`` orders on the standard plan, the restore rate scaled by
   ``BENCH_SPEED`` (the bucket size stays): points used / points the limit made available in
   the same wall time. Target: >= 0.95.

Run: ``.venv/bin/python bench/bench_revenue_streams.py``.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from typing import Any

from bench_ingestion_common import TENANT, bench

from shopsync.shopify import ShopifyClient
from shopsync_simulator import SimulatorOptions, StoreSize, truth
from shopsync_simulator.bulk.timing import REALISTIC
from shopsync_simulator.graphql.bucket import PLAN_LIMITS

ORDERS = int(os.environ.get("BENCH_ORDERS", "50000"))
PACED_ORDERS = int(os.environ.get("BENCH_PACED_ORDERS", "3000"))
SPEED = float(os.environ.get("BENCH_SPEED", "10"))


def count_requests() -> Counter[str]:
    """Requests sent from now on, by document (the client's ``shape`` without its size)."""
    sent: Counter[str] = Counter()
    real = ShopifyClient.execute

    def execute(self: ShopifyClient, document: str, variables: Any = None, *, shape: str) -> Any:
        sent[shape.split(":", 1)[0]] += 1
        return real(self, document, variables, shape=shape)

    ShopifyClient.execute = execute  # type: ignore[method-assign]
    return sent


def details() -> bool:
    size = StoreSize(products=200, variants_per_product=2, customers=2000, orders=ORDERS)
    sent = count_requests()
    # Bulk operations at Shopify's published pace (shopsync_simulator.bulk.timing), x50.
    with bench("plus", size, SimulatorOptions(speed=50, bulk_timing=REALISTIC)) as b:
        store = b.sim.store(TENANT)
        refunded = len({r["orderId"] for r in truth.records(store, "refunds")})
        fulfilled = len({r["orderId"] for r in truth.records(store, "fulfillments")})
        t0 = time.monotonic()
        result = b.run("full", ("orders",))
        seconds = time.monotonic() - t0
    assert result.status == "succeeded", result.message
    refund_requests = sum(n for doc, n in sent.items() if doc.startswith("refund_"))
    fulfillment_requests = sum(n for doc, n in sent.items() if doc.startswith("fulfillment_"))
    ratio = refund_requests * 20 / max(refunded, 1)
    print(
        f"full sync of {ORDERS} orders: {result.records} records in {seconds:.1f}s; "
        f"{refunded} refunded orders, {refund_requests} refund-children requests "
        f"(1 per {refunded / max(refund_requests, 1):.1f} refunded orders; ratio {ratio:.2f}, "
        "target < 1); "
        f"{fulfilled} fulfilled orders, {fulfillment_requests} fulfillment-children requests "
        f"(1 per {fulfilled / max(fulfillment_requests, 1):.1f})"
    )
    return ratio < 1


def pacing() -> bool:
    maximum, rate = PLAN_LIMITS["standard"]
    size = StoreSize(products=100, variants_per_product=2, customers=500, orders=PACED_ORDERS)
    with bench("standard", size, SimulatorOptions(speed=SPEED), bulk_enabled=False) as b:
        t0 = time.monotonic()
        result = b.run("full", ("orders",))
        seconds = time.monotonic() - t0
    assert result.status == "succeeded", result.message
    stats = result.stats
    available = maximum + rate * SPEED * seconds
    efficiency = stats["points"] / available
    print(
        f"paged sync of the orders group, {PACED_ORDERS} orders: records={result.records} "
        f"requests={stats['requests']:.0f} points={stats['points']:.0f} "
        f"({stats['points'] / maximum:.1f} bucket-fulls) seconds={seconds:.1f} "
        f"throttled={stats['throttled']:.0f}"
    )
    print(f"orders group pacing efficiency = {efficiency:.3f} (target >= 0.95)")
    return efficiency >= 0.95


def main() -> int:
    ok = details()
    ok &= pacing()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
