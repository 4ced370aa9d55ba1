"""Benchmark: records/s the Shopify simulator serves for flat 250-node product pages.

Rate limits off, loopback, keep-alive sessions. Prints the figures and the ratio to what a
client needs at the plus plan's 1000 points/s (a 250-node flat page costs 252 points, so
~4 pages/s = ~1000 records/s). Run: ``.venv/bin/python bench/bench_simulator.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from shopsync_simulator import SimulatorOptions, StoreSize, running_simulator

QUERY = """query Page($after: String) {
  products(first: 250, after: $after, sortKey: UPDATED_AT) {
    edges { cursor node { id legacyResourceId title handle status vendor productType tags
                          createdAt updatedAt publishedAt } }
    pageInfo { hasNextPage endCursor }
  }
}"""
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "20000"))
PLUS_RECORDS_PER_S = 1000 / 252 * 250


def crawl(url: str, token: str, pages: int, latencies: list[float]) -> int:
    session = requests.Session()
    session.headers["X-Shopify-Access-Token"] = token
    after, records = None, 0
    for _ in range(pages):
        t0 = time.perf_counter()
        resp = session.post(url, json={"query": QUERY, "variables": {"after": after}}, timeout=60)
        latencies.append(time.perf_counter() - t0)
        conn = resp.json()["data"]["products"]
        records += len(conn["edges"])
        after = conn["pageInfo"]["endCursor"] if conn["pageInfo"]["hasNextPage"] else None
    return records


def run(clients: int, pages_each: int) -> tuple[float, float]:
    with running_simulator(
        [("bench", "bench.myshopify.com", "plus")],
        size=StoreSize(products=PRODUCTS),
        options=SimulatorOptions(rate_limits=False),
        secrets_path=Path(tempfile.mkdtemp()) / "secrets.json",
    ) as sim:
        url, token = sim.graphql_url("bench"), sim.token("bench")
        crawl(url, token, 2, [])  # warm the schema and query caches
        latencies: list[float] = []
        totals = [0] * clients

        def work(i: int) -> None:
            totals[i] = crawl(url, token, pages_each, latencies)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
    return sum(totals) / elapsed, statistics.median(latencies)


BULK = """mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) {
  bulkOperation { id } userErrors { message } } }"""
BULK_QUERY = "{ products { edges { node { id title status vendor updatedAt variants { edges { node { id sku price } } } } } } }"  # noqa: E501
STATUS = "query($id: ID!) { node(id: $id) { ... on BulkOperation { status objectCount url } } }"


def bulk() -> float:
    """Records/s from bulkOperationRunQuery to the downloaded JSONL (products + variants)."""
    with running_simulator(
        [("bench", "bench.myshopify.com", "plus")],
        size=StoreSize(products=PRODUCTS),
        options=SimulatorOptions(rate_limits=False),
        secrets_path=Path(tempfile.mkdtemp()) / "secrets.json",
    ) as sim:
        session = requests.Session()
        session.headers["X-Shopify-Access-Token"] = sim.token("bench")
        url = sim.graphql_url("bench")
        t0 = time.perf_counter()
        resp = session.post(url, json={"query": BULK, "variables": {"q": BULK_QUERY}}, timeout=60)
        op_id = resp.json()["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"]
        while True:
            op = session.post(url, json={"query": STATUS, "variables": {"id": op_id}}, timeout=60)
            node = op.json()["data"]["node"]
            if node["status"] == "COMPLETED":
                break
            time.sleep(0.05)
        lines = sum(1 for _ in requests.get(node["url"], timeout=300).iter_lines())
        elapsed = time.perf_counter() - t0
        assert lines == int(node["objectCount"])
        return lines / elapsed


def main() -> int:
    print(f"store: {PRODUCTS} products; page: 250 flat product nodes (12 fields); rate limits off")
    for clients, pages in ((1, 40), (4, 15)):
        rate, median = run(clients, pages)
        print(
            f"  {clients} client(s): {rate:8.0f} records/s, median page {median * 1000:6.1f} ms, "
            f"{rate / PLUS_RECORDS_PER_S:5.1f}x what a plus-plan client (1000 points/s) needs"
        )
        if rate < PLUS_RECORDS_PER_S:
            print("  the simulator would be the bottleneck", file=sys.stderr)
            return 1
    rate = bulk()
    print(f"  bulk JSONL (products + variants, created to downloaded): {rate:8.0f} records/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
