"""Benchmark: pacing efficiency of a paged sync against the simulator's rate limit.

efficiency = points the sync used / points the limit made available in the same wall time
(starting bucket + restore rate x seconds). Since records fetched = points used / actual cost
per record, this is "records fetched / the most records the limit allowed". The sync is at
least ten bucket-fulls long. Targets: >= 0.90, throttled responses <= 2 % of requests.

``BENCH_SPEED`` scales the simulated restore rate (the bucket size stays), so the run is
shorter while staying bound by the limit. Run: ``.venv/bin/python bench/bench_ingestion_pacing.py``.
"""

from __future__ import annotations

import os
import sys
import time

from bench_ingestion_common import bench

from shopsync_simulator import SimulatorOptions, StoreSize
from shopsync_simulator.graphql.bucket import PLAN_LIMITS

#: plan -> restore-rate multiplier, products, customers (>= 10 bucket-fulls of points each)
RUNS = {
    "standard": (float(os.environ.get("BENCH_SPEED_STANDARD", "10")), 5000, 5000),
    "plus": (float(os.environ.get("BENCH_SPEED_PLUS", "2")), 25000, 25000),
}
GROUPS = ("products", "customers")


def measure(plan: str) -> tuple[float, float]:
    speed, products, customers = RUNS[plan]
    maximum, rate = PLAN_LIMITS[plan]
    restore = rate * speed
    size = StoreSize(products=products, variants_per_product=1, customers=customers, orders=0)
    with bench(plan, size, SimulatorOptions(speed=speed), bulk_enabled=False) as b:
        t0 = time.monotonic()
        result = b.run("full", GROUPS)
        seconds = time.monotonic() - t0
    stats = result.stats
    available = maximum + restore * seconds
    efficiency = stats["points"] / available
    throttled = stats["throttled"] / max(stats["requests"], 1)
    print(
        f"{plan:9s} records={result.records} requests={stats['requests']:.0f} "
        f"points={stats['points']:.0f} ({stats['points'] / maximum:.1f} bucket-fulls) "
        f"seconds={seconds:.1f} available={available:.0f} throttled={stats['throttled']:.0f} "
        f"({throttled:.1%}) waited={stats['waited_seconds']:.1f}s"
    )
    print(f"{plan:9s} pacing efficiency = {efficiency:.3f} (target >= 0.90)")
    return efficiency, throttled


def main() -> int:
    plans = sys.argv[1:] or ["standard", "plus"]
    ok = True
    for plan in plans:
        efficiency, throttled = measure(plan)
        ok &= efficiency >= 0.90 and throttled <= 0.02
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
