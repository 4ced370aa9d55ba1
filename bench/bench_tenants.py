"""Many small tenant runs through the local load: the per-run cost of the load path.

``--tenants`` tenants (default 200) each land one run of ``--records`` raw records (default
1,000: products, variants, inventory levels, customers and orders with two line items each,
as ``bench_load.py`` writes them); one job run loads them all (Spark transforms to curated
Parquet, DuckDB MERGEs, ledger, checks, reporting views). Prints tenant runs per minute and
seconds per tenant run, with the time split between curation (Spark) and the warehouse.
Target: >= 600 tenant runs per minute on 2 cores.

    .venv/bin/python bench/bench_tenants.py [--tenants 200] [--records 1000]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

from bench_load import write_run

from shopsync.storage import LocalObjectStore
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse

TARGET = 600.0
RUN_ID = "20261124T100000Z-00000001"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=200)
    parser.add_argument("--records", type=int, default=1_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    from shopsync_glue.job import CuratedLake, run_job
    from shopsync_glue.session import local_session

    with tempfile.TemporaryDirectory(prefix="shopsync-bench-tenants-") as tmp:
        root = Path(tmp)
        raw = LocalObjectStore(root / "lake" / "shopsync-raw")
        warehouse = DuckDBWarehouse(root / "warehouse.duckdb")
        lake = CuratedLake(str(root / "lake" / "shopsync-curated"))
        t = time.perf_counter()
        tenants = [f"t{n:05d}" for n in range(args.tenants)]
        total = 0
        for tenant in tenants:
            manifest = write_run(raw, tenant, RUN_ID, args.records)
            total += sum(s.records for s in manifest.streams.values())
        print(
            f"raw: {args.tenants} tenant runs, {total:,} records, written in "
            f"{time.perf_counter() - t:.1f}s (not timed)"
        )
        spark = local_session("local[2]", 4)
        started = time.perf_counter()
        summary = run_job(spark, raw, lake, warehouse)
        elapsed = time.perf_counter() - started
        assert summary.ok, (summary.errors, summary.failed_checks[:3])
        assert len(summary.loaded) == args.tenants, len(summary.loaded)
        assert len(warehouse.loaded_runs()) == args.tenants
        timing = getattr(summary, "timing", {})
        per_minute = args.tenants / elapsed * 60
        print(
            f"{args.tenants} tenant runs loaded in {elapsed:.1f}s: {per_minute:,.0f} tenant runs "
            f"per minute, {elapsed / args.tenants:.3f}s per tenant run, "
            f"{total / elapsed:,.0f} records/s"
        )
        print(
            "  of which: "
            + ", ".join(f"{stage} {seconds:.1f}s" for stage, seconds in timing.items())
        )
        met = per_minute >= TARGET
        print(
            f"  target >= {TARGET:.0f} tenant runs per minute: {'met' if met else 'NOT met'} "
            f"(ratio {per_minute / TARGET:.2f})"
        )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
