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

    from bench_ingestion_common import GROUPS, TENANT, tenant

    from shopsync.fanout.payload import IngestionPayload
    from shopsync.ingestion.config import IngestionConfig
    from shopsync.ingestion.service import Services, run_payload
    from shopsync.runid import new_run_id
    from shopsync.settings import Settings
    from shopsync.shopify import LocalSecrets
    from shopsync.state.sqlite import SqliteStateStore
    from shopsync.storage import LocalObjectStore
    from shopsync.tenants import Registry

    root = Path(home)
    services = Services(
        state=SqliteStateStore(root / "state.sqlite"),
        store=LocalObjectStore(root / "lake" / "raw"),
        registry=Registry([tenant(plan)]),
        secrets=LocalSecrets(root / "secrets.json"),
        config=IngestionConfig(shopify_base_url=f"{url}/shops/{{shop}}", bulk_enabled=False),
    )
    payload = IngestionPayload.model_validate(
        {
            "tenant_id": TENANT,
            "run_id": new_run_id(datetime.now(UTC)),
            "mode": "full",
            "streams": GROUPS,
        }
    )
    t0 = time.monotonic()
    result = run_payload(payload, settings=Settings(home=root), services=services)
    seconds = time.monotonic() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put((result.records, seconds, peak_mb, {k: v.records for k, v in result.streams.items()}))


def main() -> int:
    from bench_ingestion_common import SHOP, TENANT

    from shopsync.simulator import SimulatorOptions, StoreSize, running_simulator

    # products + variants + items + levels(2 locations) + customers + orders ~= 200k records
    n = RECORDS_TARGET // 10
    size = StoreSize(products=n, variants_per_product=1, locations=2, customers=3 * n, orders=2 * n)
    with (
        tempfile.TemporaryDirectory() as home,
        running_simulator(
            [(TENANT, SHOP, "plus")],
            size=size,
            secrets_path=Path(home) / "secrets.json",
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
