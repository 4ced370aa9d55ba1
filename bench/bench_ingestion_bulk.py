"""Benchmark: bulk path throughput, from JSONL download to raw parts (target >= 30k records/s).

A bulk result file (products and their variants as child lines with ``__parentId``) is served
from loopback; the bulk fetch streams it into gzip JSONL parts exactly as in a real run.
Run: ``.venv/bin/python bench/bench_ingestion_bulk.py``.
"""

from __future__ import annotations

import http.server
import json
import os
import random
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import repo  # noqa: F401  (puts the repository root on sys.path for tests.support)

from shopsync.extract.bulk import BulkSource
from shopsync.extract.landing import LandingSink
from shopsync.extract.paged import PagedSource
from shopsync.extract.paging import PageSizes
from shopsync.extract.raw import RawStreamWriter
from shopsync.extract.streams import SPECS, Window
from shopsync.storage import LocalObjectStore
from tests.support.clients import make_client

RECORDS = int(os.environ.get("BENCH_RECORDS", "300000"))
TARGET = 30_000
RUN = "20261124T201500Z-1a2b3c4d"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def write_file(path: Path, records: int) -> None:
    rng = random.Random(7)
    with path.open("w") as out:
        for i in range(records // 4):
            pid = f"gid://shopify/Product/{i}"
            product = {
                "id": pid,
                "title": f"Product {i}",
                "handle": f"product-{i}",
                "status": "ACTIVE",
                "vendor": "Acme",
                "productType": "Gear",
                "tags": ["eco", "outdoor"],
                "createdAt": "2024-01-01T00:00:00Z",
                "updatedAt": f"2025-0{rng.randrange(1, 10)}-1{rng.randrange(10)}T00:00:00Z",
            }
            out.write(json.dumps(product) + "\n")
            for j in range(3):
                variant = {
                    "id": f"gid://shopify/ProductVariant/{i * 3 + j}",
                    "sku": f"SKU-{i}-{j}",
                    "price": f"{rng.randrange(100, 9999) / 100:.2f}",
                    "inventoryQuantity": rng.randrange(100),
                    "__parentId": pid,
                }
                out.write(json.dumps(variant) + "\n")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_file(root / "bulk.jsonl", RECORDS)
        handler = partial(_QuietHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        client = make_client(tenant_id="bench")
        now = datetime.now(UTC)
        writer = RawStreamWriter(
            LocalObjectStore(root / "lake"),
            tenant_id="bench",
            run_id=RUN,
            stream="products",
            day=now.date(),
        )
        spec = SPECS["products"]
        source = BulkSource(PagedSource(client, spec, PageSizes()))
        sink = LandingSink(writer, spec, Window(None, None, True, now), None)
        url = f"http://127.0.0.1:{server.server_address[1]}/bulk.jsonl"
        cpu0, t0 = time.process_time(), time.perf_counter()
        for page, _ in source._download(url):
            sink.land(page)
        parts = writer.close()
        seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        server.shutdown()
    rate = writer.records / seconds
    print(f"records={writer.records} parts={len(parts)} seconds={seconds:.2f} cpu={cpu:.2f}s")
    print(f"bulk throughput = {rate:,.0f} records/s")
    print(f"ratio to the {TARGET:,} records/s target = {rate / TARGET:.2f}")
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
