"""Benchmark: peak memory of one sync of a 200k-record store (target <= 250 MB).

The simulator runs in this process; the sync runs in a fresh child process (spawn) whose peak
RSS (``ru_maxrss``) is what is measured, imports included. Rate limits are off so the run is
bound by the client, not by the simulated plan.
Run: ``.venv/bin/python bench/bench_ingestion_memory.py``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RECORDS_TARGET = int(os.environ.get("BENCH_RECORDS", "200000"))
LIMIT_MB = 250


def child(url: str, home: str, plan: str, out: Any) -> None:
    from datetime import UTC, datetime

    from bench_ingestion_common import TENANT, tenant

    from shopsync.extract.service import run_payload
    from shopsync.settings import Settings
    from tests.support.simulator import ingestion_payload, ingestion_services

    settings = Settings(home=Path(home))
    services = ingestion_services(settings, [tenant(plan)], url, bulk_enabled=False)
    payload = ingestion_payload(TENANT, datetime.now(UTC), "full")
    t0 = time.monotonic()
    result = run_payload(payload, settings=settings, services=services)
    seconds = time.monotonic() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put((result.records, seconds, peak_mb, {k: v.records for k, v in result.streams.items()}))


def main() -> int:
    from bench_ingestion_common import tenant

    from shopsync.settings import Settings
    from shopsync_simulator import SimulatorOptions, StoreSize
    from tests.support.simulator import simulator_for

    # products + variants + items + levels(2 locations) + customers + orders ~= 200k records
    n = RECORDS_TARGET // 10
    size = StoreSize(products=n, variants_per_product=1, locations=2, customers=3 * n, orders=2 * n)
    with (
        tempfile.TemporaryDirectory() as home,
        simulator_for(
            Settings(home=Path(home)),
            [tenant("plus")],
            size=size,
            options=SimulatorOptions(rate_limits=False),
        ) as sim,
    ):
        ctx = mp.get_context("spawn")
        queue = ctx.Queue()
        proc = ctx.Process(target=child, args=(sim.url, home, "plus", queue))
        proc.start()
        records, seconds, peak_mb, streams = queue.get()
        proc.join()
    print(f"records={records} seconds={seconds:.1f} records/s={records / seconds:.0f}")
    print(f"streams={streams}")
    print(f"peak memory = {peak_mb:.0f} MB")
    print(f"ratio to the {LIMIT_MB} MB target = {peak_mb / LIMIT_MB:.2f}")
    return 0 if peak_mb <= LIMIT_MB and records >= RECORDS_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
