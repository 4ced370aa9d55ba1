"""The load path on 2 cores: raw JSONL.gz -> Spark transforms -> curated Parquet -> DuckDB.

1. Throughput: ``--records`` raw records (default 1,000,000; a mix of products, variants,
   inventory levels, customers and orders with two line items each) in one tenant run,
   through the whole job (transform, Parquet, one row per key as it is staged, MERGE, ledger,
   checks, views).
   Reported with and without Spark start-up. Target: >= 30,000 records/s end to end.
2. Latency: a small run (``--small`` records) from the manifest write to its rows being
   queryable, through the local bus (the deployed pattern, batch size 1) and the job, on a
   warm Spark session. Target: <= 15 s.

    .venv/bin/python bench/bench_load.py [--records 1000000] [--small 50]
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]

from shopsync.events import (
    CLOUDTRAIL_PATTERN,
    Batching,
    EventingObjectStore,
    LocalBus,
    WorkflowRun,
    load_pattern,
)
from shopsync.extract.raw import RawStreamWriter
from shopsync.lake.manifest import Manifest, StreamManifest, write_manifest
from shopsync.storage import LocalObjectStore, ObjectStore
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse

THROUGHPUT_TARGET = 30_000
LATENCY_TARGET = 15.0
SHARE = {
    "products": 0.20,
    "product_variants": 0.30,
    "inventory_levels": 0.15,
    "customers": 0.15,
    "orders": 0.20,
}
UPDATED = "2026-11-24T09:00:00Z"


def _line(stream: str, i: int) -> bytes:
    if stream == "products":
        return (
            f'{{"id":"gid://shopify/Product/{i}","legacyResourceId":"{i}","title":"Product {i}",'
            f'"handle":"product-{i}","status":"ACTIVE","vendor":"Acme","productType":"Gear",'
            f'"tags":["a","b"],"descriptionHtml":"<p>Product {i}, made to last.</p>",'
            f'"totalInventory":{i % 50},"tracksInventory":true,"createdAt":"2024-01-01T00:00:00Z",'
            f'"updatedAt":"{UPDATED}","publishedAt":null}}'
        ).encode()
    if stream == "product_variants":
        return (
            f'{{"id":"gid://shopify/ProductVariant/{i}","title":"M","displayName":"P - M",'
            f'"sku":"SKU-{i}","barcode":null,"price":"{10 + i % 90}.99","compareAtPrice":null,'
            f'"position":1,"taxable":true,"inventoryPolicy":"DENY","inventoryQuantity":{i % 30},'
            f'"selectedOptions":[{{"name":"Size","value":"M"}}],'
            f'"product":{{"id":"gid://shopify/Product/{i // 2}"}},'
            f'"inventoryItem":{{"id":"gid://shopify/InventoryItem/{i}"}},'
            f'"createdAt":"2024-01-01T00:00:00Z","updatedAt":"{UPDATED}"}}'
        ).encode()
    if stream == "inventory_levels":
        return (
            f'{{"id":"gid://shopify/InventoryLevel/{i}?inventory_item_id={i}",'
            f'"item":{{"id":"gid://shopify/InventoryItem/{i}"}},'
            f'"location":{{"id":"gid://shopify/Location/{i % 3}"}},'
            f'"quantities":[{{"name":"available","quantity":{i % 20}}},'
            f'{{"name":"on_hand","quantity":{i % 25}}},{{"name":"committed","quantity":0}},'
            f'{{"name":"incoming","quantity":0}}],'
            f'"createdAt":"2024-01-01T00:00:00Z","updatedAt":"{UPDATED}"}}'
        ).encode()
    if stream == "customers":
        return (
            f'{{"id":"gid://shopify/Customer/{i}","firstName":"Dev","lastName":"Okafor",'
            f'"displayName":"Dev Okafor","defaultEmailAddress":{{"emailAddress":"c{i}@example.com",'
            f'"marketingState":"NOT_SUBSCRIBED"}},"defaultPhoneNumber":null,"state":"ENABLED",'
            f'"tags":[],"note":null,"verifiedEmail":true,"taxExempt":false,'
            f'"numberOfOrders":"{i % 9}","amountSpent":{{"amount":"{i % 900}.50",'
            f'"currencyCode":"EUR"}},"createdAt":"2024-01-01T00:00:00Z","updatedAt":"{UPDATED}"}}'
        ).encode()
    money = '{"shopMoney":{"amount":"%d.25","currencyCode":"USD"}}' % (i % 500)  # noqa: UP031
    items = ",".join(
        f'{{"id":"gid://shopify/LineItem/{i * 10 + k}","name":"Item","sku":"SKU-{k}",'
        f'"quantity":{k + 1},"currentQuantity":{k + 1},'
        f'"variant":{{"id":"gid://shopify/ProductVariant/{k}"}},'
        f'"product":{{"id":"gid://shopify/Product/{k}"}},'
        f'"originalUnitPriceSet":{money},"discountedTotalSet":{money}}}'
        for k in range(2)
    )
    return (
        f'{{"id":"gid://shopify/Order/{i}","legacyResourceId":"{i}","name":"#{i}",'
        f'"email":null,"test":false,"createdAt":"2024-01-01T00:00:00Z","updatedAt":"{UPDATED}",'
        f'"processedAt":"2024-01-01T00:00:00Z","cancelledAt":null,"closedAt":null,'
        f'"currencyCode":"USD","displayFinancialStatus":"PAID",'
        f'"displayFulfillmentStatus":"FULFILLED","subtotalPriceSet":{money},'
        f'"totalPriceSet":{money},"totalTaxSet":{money},'
        f'"customer":{{"id":"gid://shopify/Customer/{i}"}},'
        f'"lineItems":{{"pageInfo":{{"hasNextPage":false,"endCursor":null}},"nodes":[{items}]}}}}'
    ).encode()


def write_run(store: ObjectStore, tenant: str, run_id: str, records: int) -> Manifest:
    at = datetime.now(UTC)
    streams = {}
    for stream, share in SHARE.items():
        count = max(1, int(records * share))
        with RawStreamWriter(
            store, tenant_id=tenant, run_id=run_id, stream=stream, day=date.today()
        ) as writer:
            batch = 10_000
            for start in range(0, count, batch):
                writer.write_json_lines(
                    (_line(stream, i) for i in range(start, min(count, start + batch))), at
                )
        streams[stream] = StreamManifest(parts=tuple(writer.parts), records=writer.records)
    manifest = Manifest(
        tenant_id=tenant,
        run_id=run_id,
        mode="full",
        api_version="2026-10",
        started_at=at,
        finished_at=at,
        streams=streams,
    )
    write_manifest(store, manifest)
    return manifest


def _cpu(jvm: psutil.Process) -> float:
    """CPU seconds of the Spark JVM and of this process (DuckDB runs in it)."""
    own = psutil.Process().cpu_times()
    java = jvm.cpu_times()
    return float(own.user + own.system + java.user + java.system)


def measure_latency(
    spark: Any, raw: LocalObjectStore, lake: Any, warehouse: DuckDBWarehouse, small: int
) -> None:
    """Manifest write -> rows queryable, through the local bus, on a warm session."""
    from shopsync_glue.job import run_job

    loaded = threading.Event()

    def workflow(_run: WorkflowRun) -> None:
        run_job(spark, raw, lake, warehouse)
        loaded.set()

    bus = LocalBus(
        load_pattern(CLOUDTRAIL_PATTERN, raw_bucket="shopsync-raw"),
        workflow,
        batching=Batching(size=1, window_seconds=1),
    )
    bus.start()
    eventing = EventingObjectStore(raw, bus.publish, bucket="shopsync-raw")
    t = time.perf_counter()
    write_run(eventing, "small", "20261124T110000Z-00000002", small)
    written = time.perf_counter()
    loaded.wait(timeout=300)
    queryable = time.perf_counter()
    bus.close()
    assert ("small", "20261124T110000Z-00000002") in warehouse.loaded_runs("small")
    latency = queryable - written
    print(
        f"latency, manifest write -> rows queryable ({small} records): {latency:.1f}s "
        f"(target <= {LATENCY_TARGET:.0f}s: "
        f"{'met' if latency <= LATENCY_TARGET else 'NOT met'});"
        f" raw write took {written - t:.2f}s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=50)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="shopsync-bench-load-") as tmp:
        root = Path(tmp)
        raw = LocalObjectStore(root / "lake" / "shopsync-raw")
        warehouse = DuckDBWarehouse(root / "warehouse.duckdb")
        t = time.perf_counter()
        manifest = write_run(raw, "bench", "20261124T100000Z-00000001", args.records)
        total = sum(s.records for s in manifest.streams.values())
        print(f"raw: {total:,} records written in {time.perf_counter() - t:.1f}s (not timed)")

        started = time.perf_counter()
        from shopsync_glue.job import CuratedLake, run_job
        from shopsync_glue.session import java_options, local_session

        options = java_options()
        cds = (
            "mapped from the archive"
            if "SharedArchiveFile" in options
            else "archive written at exit (first run)"
            if "ArchiveClassesAtExit" in options
            else "off (set SHOPSYNC_SPARK_CDS_DIR, as make bench does)"
        )
        print(f"Spark JVM class-data sharing: {cds}")
        spark = local_session("local[2]", 4)
        ready = time.perf_counter()
        gateway = spark.sparkContext._gateway
        assert gateway is not None
        jvm = psutil.Process(gateway.proc.pid)
        cpu_before = _cpu(jvm)
        lake = CuratedLake(str(root / "lake" / "shopsync-curated"))
        summary = run_job(spark, raw, lake, warehouse)
        done = time.perf_counter()
        cpu_job = _cpu(jvm) - cpu_before
        assert summary.ok, summary
        rows = sum(summary.loaded[0].rows.values())
        startup, job = ready - started, done - ready
        with_startup = total / (startup + job)
        without = total / job
        print(f"spark start-up: {startup:.1f}s; job: {job:.1f}s; {rows:,} warehouse rows")
        print(f"throughput with start-up:    {with_startup:,.0f} records/s")
        print(f"throughput without start-up: {without:,.0f} records/s")
        print(
            f"  target >= {THROUGHPUT_TARGET:,} records/s end to end: "
            f"{'met' if with_startup >= THROUGHPUT_TARGET else 'NOT met'}"
        )
        load1 = os.getloadavg()[0]
        print(
            f"job CPU (JVM + driver): {cpu_job:.1f}s = {total / cpu_job:,.0f} records per "
            f"CPU-second; 1-min load average at the end {load1:.1f} on {os.cpu_count()} CPUs"
        )

        measure_latency(spark, raw, lake, warehouse, args.small)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"driver process peak RSS: {peak:,.0f} MiB (the JVM is a child process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
