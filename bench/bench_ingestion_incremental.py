"""Benchmark: an incremental run with no changes — requests per stream (target 1), wall time.

A first sync lands the store; the second run finds nothing new. Rate limits on (plus plan).
Every run also reads the app's access scopes first: one request that is not a stream's.
Run: ``.venv/bin/python bench/bench_ingestion_incremental.py``.
"""

from __future__ import annotations

import sys
import time

from bench_ingestion_common import bench

from shopsync_simulator import StoreSize


def main() -> int:
    size = StoreSize(products=1000, customers=1000, orders=1000)
    with bench("plus", size) as b:
        first = b.run()
        time.sleep(1.1)  # a new second, so the window has moved
        t0 = time.perf_counter()
        quiet = b.run()
        seconds = time.perf_counter() - t0
    streams = len(quiet.streams)
    requests = quiet.stats["requests"] - 1  # less the run's access scopes query
    pages = {name: s.pages for name, s in quiet.streams.items()}
    stats = first.stats
    print(
        f"first sync: {first.records} records, {stats['requests']:.0f} requests, "
        f"{stats['throttled']:.0f} throttled"
    )
    print(
        f"no-change run: {quiet.records} records, {requests:.0f} requests for {streams} "
        "streams (and one for the access scopes)"
    )
    print(f"pages per stream: {pages}")
    print(f"requests per stream = {requests / streams:.2f} (target 1); wall time = {seconds:.3f}s")
    return 0 if requests == streams else 1


if __name__ == "__main__":
    sys.exit(main())
