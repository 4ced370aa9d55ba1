"""The load job end to end on hand-made raw runs: Spark local mode, curated Parquet, DuckDB."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest.mock import patch

import duckdb
import pytest

from shopsync.events import Batching, LocalBus, WorkflowRun, cloudtrail_object_event, load_pattern
from shopsync.events.pattern import CLOUDTRAIL_PATTERN
from shopsync.warehouse.base import LoadResult, RunLoad, WarehouseError
from shopsync.warehouse.status import tenant_status
from shopsync_glue import transform as tf

from .env import Env
from .lake import deletion, gid, location, order, product, variant, write_run

pytestmark = [pytest.mark.spark, pytest.mark.slow]

R1, R2, R3 = "20261124T100000Z-00000001", "20261124T110000Z-00000002", "20261124T120000Z-00000003"
T9, T10 = "2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z"


def _first_run(env: Env, tenant: str = "acme") -> None:
    write_run(
        env.raw,
        tenant,
        R1,
        {
            "products": [product(1, "Tent", T9), product(2, "Stove", T9)],
            "product_variants": [variant(1, 1, "99.00", T9), variant(2, 2, "25.00", T9)],
            "locations": [location(1, "Depot"), location(2, "Shop")],
            "orders": [order(1, 2, T9), order(2, 1, T9, amount="5.50")],
        },
        snapshot=["locations"],
        mode="full",
    )


def test_first_load_then_incremental_with_deletes(env: Env) -> None:
    _first_run(env)
    summary = env.load()
    assert summary.ok, summary
    assert summary.loaded[0].rows == {
        "products": 2,
        "product_variants": 2,
        "locations": 2,
        "orders": 2,
        "order_line_items": 3,
        "shipping_lines": 0,  # the orders stream's tables: these orders have none
        "discount_applications": 0,
        "tax_lines": 0,
        "discount_allocations": 0,
        "order_discount_codes": 0,
    }
    write_run(
        env.raw,
        "acme",
        R2,
        {
            "products": [product(1, "Tent XL", T10)],
            "deleted_products": [deletion(2, "2026-11-24T10:30:00Z")],
            "locations": [location(1, "Depot")],  # Shop is gone from the snapshot
        },
        snapshot=["locations"],
    )
    assert env.load().ok
    assert env.query(
        "SELECT id, title, _deleted_at IS NULL FROM shop_acme.products ORDER BY id"
    ) == [
        (gid("Product", 1), "Tent XL", True),
        (gid("Product", 2), "Stove", False),
    ]
    assert env.query("SELECT id FROM shop_acme.product_variants WHERE _deleted_at IS NOT NULL") == [
        (gid("ProductVariant", 2),)
    ]
    assert env.query("SELECT id FROM shop_acme.locations WHERE _deleted_at IS NOT NULL") == [
        (gid("Location", 2),)
    ]
    assert env.query("SELECT SUM(total_price), COUNT(*) FROM shop_acme.orders") == [
        (pytest.approx(15.5), 2)
    ]
    assert env.query(
        "SELECT COUNT(*) FROM reporting.order_line_items WHERE tenant_id = 'acme'"
    ) == [(3,)]


def test_skipped_streams_reach_status_and_a_version_1_manifest_still_loads(env: Env) -> None:
    _first_run(env)
    key = f"_manifests/tenant=acme/run={R1}.json"
    old = json.loads(env.raw.get(key))
    del old["skipped"]
    env.raw.put_bytes(key, json.dumps(old | {"schema_version": 1}).encode())
    write_run(env.raw, "acme", R2, {"products": [product(1, "Tent XL", T10)]},
              skipped={"orders": ("read_orders",)})  # fmt: skip
    summary = env.load()
    assert summary.ok, summary
    assert [r.run_id for r in summary.loaded] == [R1, R2]
    con = duckdb.connect(str(env.warehouse.path), read_only=True)
    try:
        (acme,) = tenant_status(con, ["acme"])
    finally:
        con.close()
    assert acme.skipped == {"orders": ["read_orders"]}
    assert {t.table: t.rows for t in acme.tables}["orders"] == 2  # R1's, untouched


def test_an_empty_complete_snapshot_soft_deletes_every_row(env: Env) -> None:
    write_run(env.raw, "acme", R1, {"locations": [location(1, "a"), location(2, "b")]})
    write_run(env.raw, "acme", R2, {"locations": []}, snapshot=["locations"])
    summary = env.load()
    assert summary.ok, summary
    assert env.query("SELECT COUNT(*) FROM shop_acme.locations WHERE _deleted_at IS NULL") == [(0,)]
    assert env.query("SELECT COUNT(*) FROM shop_acme.locations") == [(2,)]


def test_older_version_never_overwrites_newer_and_ties_go_to_the_later_run(env: Env) -> None:
    write_run(env.raw, "acme", R1, {"products": [product(1, "new", T10), product(2, "a", T9)]})
    write_run(env.raw, "acme", R2, {"products": [product(1, "stale", T9), product(2, "b", T9)]})
    assert env.load().ok
    assert env.query("SELECT title, _run_id FROM shop_acme.products ORDER BY id") == [
        ("new", R1),
        ("b", R2),
    ]


def test_a_record_fetched_twice_in_a_run_loads_once_as_its_latest(env: Env) -> None:
    """A page boundary that moved under a run fetches a record twice: the curated table keeps
    both fetches, the load one row per key, the newer ``updatedAt`` whichever came first; in
    a batch of one (read from its files) and in a batch of several (from the staged batch)."""
    twice = {
        "products": [
            product(1, "old", T9),
            product(2, "new", T10),
            product(1, "new", T10),
            product(2, "old", T9),
        ],
        "orders": [order(1, 2, T9, amount="1.00"), order(1, 2, T10, amount="2.00")],
    }
    write_run(env.raw, "acme", R1, twice)
    first = env.load()
    assert first.ok, first  # pk_unique among the checks
    write_run(env.raw, "acme_corp", R1, twice)
    write_run(env.raw, "zeta", R1, twice)
    batch = env.load()
    assert batch.ok, batch
    for tenant in ("acme", "acme_corp", "zeta"):
        assert _of(env, tenant, "SELECT id, title FROM {}.products ORDER BY id") == [
            (gid("Product", 1), "new"),
            (gid("Product", 2), "new"),
        ]
        assert _of(env, tenant, "SELECT total_price FROM {}.orders") == [(Decimal("2.0000"),)]
        line_items = "SELECT COUNT(*), COUNT(DISTINCT id) FROM {}.order_line_items"
        assert _of(env, tenant, line_items) == [(2, 2)]
        assert env.query(
            "SELECT stream, rows FROM shopsync_ops.load_ledger WHERE tenant_id = "  # noqa: S608
            f"'{tenant}' AND stream IN ('products', 'orders', 'order_line_items') ORDER BY 1"
        ) == [("order_line_items", 2), ("orders", 1), ("products", 2)]
    products = f"{env.lake.root}/batch=*/table=products/*.parquet"
    assert env.query(f"SELECT COUNT(*) FROM read_parquet('{products}')") == [(12,)]  # noqa: S608


def _of(env: Env, tenant: str, query: str) -> list[tuple[Any, ...]]:
    """``query`` on the tenant's schema (``{}`` in it)."""
    return env.query(query.format(f"shop_{tenant}"))


def test_replayed_events_and_reruns_change_nothing(env: Env) -> None:
    _first_run(env)
    write_run(env.raw, "acme", R2, {"products": [product(1, "Tent XL", T10)]})
    manifests = [f"_manifests/tenant=acme/run={r}.json" for r in (R1, R2)]
    starts: list[WorkflowRun] = []

    def workflow(run: WorkflowRun) -> None:
        starts.append(run)
        assert env.load().ok

    bus = LocalBus(
        load_pattern(CLOUDTRAIL_PATTERN, raw_bucket="shopsync-raw"),
        workflow,
        batching=Batching(size=2, window_seconds=60),
    )
    for key in manifests:
        bus.publish(cloudtrail_object_event("shopsync-raw", key))
    before = env.dump()
    assert before["ledger"]
    for _ in range(3):  # the same events, replayed three times
        for key in manifests:
            bus.publish(cloudtrail_object_event("shopsync-raw", key))
    bus.drain()
    env.load()
    env.load()
    assert len(starts) == 4
    assert env.dump() == before


def test_lookalike_tenants_stay_separate(env: Env) -> None:
    write_run(env.raw, "acme", R1, {"products": [product(1, "acme tent", T9)]})
    write_run(
        env.raw, "acme_corp", R1, {"products": [product(1, "corp tent", T9), product(2, "x", T9)]}
    )
    env.load(tenant_id="acme")
    assert env.warehouse.loaded_runs() == {("acme", R1)}
    env.load()
    assert env.query("SELECT title FROM shop_acme.products") == [("acme tent",)]
    assert env.query("SELECT COUNT(*) FROM shop_acme_corp.products") == [(2,)]
    assert env.query(
        "SELECT tenant_id, COUNT(*) FROM reporting.products GROUP BY 1 ORDER BY 1"
    ) == [("acme", 1), ("acme_corp", 2)]
    assert env.query("SELECT DISTINCT _tenant_id FROM shop_acme_corp.products") == [("acme_corp",)]
    assert env.query("SELECT groupname, tenant_id FROM reporting.rls_rules ORDER BY 1") == [
        ("acme-analysts", "acme"),
        ("corp-analysts", "acme_corp"),
    ]


def test_a_failed_run_holds_back_its_tenant_only(env: Env) -> None:
    bad = write_run(env.raw, "acme", R1, {"products": [product(1, "a", T9)]})
    write_run(env.raw, "acme", R2, {"products": [product(1, "b", T10)]})
    write_run(env.raw, "acme_corp", R1, {"products": [product(1, "c", T9)]})
    env.raw.put_bytes(bad.streams["products"].parts[0], b"not gzip at all")
    summary = env.load()
    assert not summary.ok
    assert len(summary.errors) == 1
    assert summary.errors[0].startswith(f"acme/{R1}")
    assert env.warehouse.loaded_runs() == {("acme_corp", R1)}


def test_a_manifest_whose_part_was_deleted_holds_back_its_tenant_and_names_the_part(
    env: Env,
) -> None:
    """A part removed from the lake after its manifest was written (a lifecycle rule, a hand):
    the run fails naming the part, the tenant's later run waits, the others load; once the
    store is synced again (here: the part restored) the next load completes it once."""
    gone = write_run(env.raw, "acme", R1, {"products": [product(1, "a", T9)]})
    write_run(env.raw, "acme", R2, {"products": [product(1, "b", T10)]})
    write_run(env.raw, "acme_corp", R1, {"products": [product(1, "c", T9)]})
    part = gone.streams["products"].parts[0]
    kept = env.raw.get(part)
    (env.raw.root / part).unlink()  # the lake holds it no more
    summary = env.load()
    assert [e.split(":")[0] for e in summary.errors] == [f"acme/{R1}"]
    assert "part-" in summary.errors[0]
    assert env.warehouse.loaded_runs() == {("acme_corp", R1)}
    env.raw.put_bytes(part, kept)
    assert env.load().ok
    assert env.warehouse.loaded_runs() == {("acme", R1), ("acme", R2), ("acme_corp", R1)}
    assert env.query("SELECT title FROM shop_acme.products") == [("b",)]


def test_a_manifest_listing_another_tenant_s_part_loads_nothing_of_it(env: Env) -> None:
    """A manifest edited to list a part of another tenant (or of another run): nothing of it
    is loaded, the error names the part and the run, the other tenant loads its own."""
    mine = write_run(env.raw, "acme", R1, {"products": [product(1, "mine", T9)]})
    theirs = write_run(env.raw, "acme_corp", R1, {"products": [product(1, "theirs", T9)]})
    stolen = theirs.streams["products"].parts[0]
    forged = mine.model_copy(
        update={
            "streams": {
                "products": mine.streams["products"].model_copy(update={"parts": (stolen,)})
            }
        }
    )
    env.raw.put_bytes(mine.key, forged.to_json())
    summary = env.load()
    assert len(summary.errors) == 1
    assert summary.errors[0].startswith(f"acme/{R1}")
    assert "bad manifest: products: part 'tenant=acme_corp/" in summary.errors[0]
    assert summary.errors[0].endswith("is outside the tenant's prefix")
    assert env.warehouse.loaded_runs() == {("acme_corp", R1)}
    assert env.query("SELECT title FROM shop_acme_corp.products") == [("theirs",)]
    schemas = env.query("SELECT schema_name FROM information_schema.schemata")
    assert ("shop_acme",) not in schemas or not env.query("SELECT * FROM shop_acme.products")


def test_a_failed_check_is_recorded_not_passed(env: Env) -> None:
    manifest = write_run(env.raw, "acme", R1, {"products": [product(1, "a", T9)]})
    # A manifest that claims no records for a part that holds one.
    fixed = manifest.model_copy(
        update={
            "streams": {"products": manifest.streams["products"].model_copy(update={"records": 0})}
        }
    )
    env.raw.put_bytes(manifest.key, fixed.to_json())
    summary = env.load()
    assert [(c.table, c.name) for c in summary.failed_checks] == [("products", "rows_vs_records")]
    assert env.query("SELECT check_name FROM shopsync_ops.checks WHERE status = 'failed'") == [
        ("rows_vs_records",)
    ]


def test_a_table_failing_after_others_merged_leaves_nothing_and_the_rerun_loads_once(
    env: Env,
) -> None:
    """Tables merge while Spark writes the next: one failing late rolls back every table."""
    run = write_run(
        env.raw,
        "acme",
        R1,
        {
            "products": [product(1, "a", T9), product(2, "b", T9)],
            "product_variants": [variant(5, 1, "9.99", T9)],
            "locations": [location(7, "Depot")],
        },
    )
    part = run.streams["product_variants"].parts[0]
    good = env.raw.get(part)
    env.raw.put_bytes(part, b"not gzip at all")
    summary = env.load()
    assert len(summary.errors) == 1
    assert summary.errors[0].startswith(f"acme/{R1}")
    assert env.warehouse.loaded_runs() == set()
    assert env.query(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'shop_acme'"
    ) == [(0,)]  # the schema was created in the same transaction: rolled back too

    env.raw.put_bytes(part, good)
    assert env.load().ok
    assert env.query("SELECT id FROM shop_acme.products ORDER BY id") == [
        (gid("Product", 1),),
        (gid("Product", 2),),
    ]
    assert env.query("SELECT COUNT(*) FROM shop_acme.product_variants") == [(1,)]
    assert env.query("SELECT COUNT(*) FROM shop_acme.locations") == [(1,)]


def test_a_batch_of_tenants_is_curated_once_per_table_and_loads_each_run_apart(
    env: Env,
) -> None:
    """Three tenants' runs (two of one tenant) in one batch: one curated directory per table
    for all of them, each run loaded into its own schema in run order; a line that claims
    another tenant than its file's lands in its file's tenant."""
    first = write_run(env.raw, "acme", R1, {"products": [product(1, "a1", T9)]})
    write_run(env.raw, "acme", R2, {"products": [product(1, "a2", T10), product(2, "x", T10)]})
    write_run(env.raw, "acme_corp", R1, {"products": [product(1, "corp", T9)]})
    part = first.streams["products"].parts[0]
    forged = [json.loads(line) for line in gzip.decompress(env.raw.get(part)).decode().splitlines()]
    forged[0]["_shopsync"]["tenant_id"] = "acme_corp"
    forged[0]["_shopsync"]["run_id"] = R1
    env.raw.put_bytes(part, gzip.compress("\n".join(map(json.dumps, forged)).encode() + b"\n"))

    summary = env.load()
    assert summary.ok, summary
    assert [(r.tenant_id, r.run_id) for r in summary.loaded] == [
        ("acme", R1),
        ("acme", R2),
        ("acme_corp", R1),
    ]
    batches = list(Path(env.lake.root).glob("batch=*"))
    assert len(batches) == 1
    assert sorted(p.name for p in batches[0].glob("table=*")) == ["table=products"]
    assert env.query(
        "SELECT id, title, _tenant_id, _run_id FROM shop_acme.products ORDER BY 1"
    ) == [
        (gid("Product", 1), "a2", "acme", R2),
        (gid("Product", 2), "x", "acme", R2),
    ]
    assert env.query("SELECT title, _tenant_id FROM shop_acme_corp.products") == [
        ("corp", "acme_corp")
    ]


def test_a_batch_parses_a_stream_once_for_its_tables_and_keeps_nothing_after(
    env: Env,
) -> None:
    """Two tenants' orders in one batch: the orders' tables come from shared parses of the
    lines (:func:`shopsync_glue.transform.shared_parses`), each tenant gets its own rows, and
    the parsed lines are not kept once the tables are written."""
    write_run(env.raw, "acme", R1, {"orders": [order(1, 2, T9), order(2, 1, T9)]})
    write_run(env.raw, "bravo", R1, {"orders": [order(1, 3, T9)]})
    with patch("shopsync_glue.transform.parsed_lines", wraps=tf.parsed_lines) as parses:
        assert env.load().ok
    # the two groups of orders' seven tables, and the deletions' own parse (none here)
    assert parses.call_count == 2
    assert env.spark.sparkContext._jsc.getPersistentRDDs().isEmpty()
    for tenant, items in (("acme", 3), ("bravo", 3)):
        assert env.query(f"SELECT COUNT(*) FROM shop_{tenant}.order_line_items") == [(items,)]  # noqa: S608
    assert env.query("SELECT COUNT(*) FROM shop_acme.orders") == [(2,)]


TENANTS = ("alpha", "bravo", "charlie")


def test_a_run_failing_in_the_warehouse_holds_back_its_tenant_and_the_rerun_loads_it_once(
    env: Env,
) -> None:
    """In a batch, a run whose load fails leaves its tenant's later runs pending and every
    other tenant loaded; the next job loads the rest, and nothing twice."""
    for tenant in TENANTS:
        write_run(env.raw, tenant, R1, {"products": [product(1, f"{tenant}1", T9)]})
        write_run(env.raw, tenant, R2, {"products": [product(1, f"{tenant}2", T10)]})
    load_run = env.warehouse.load_run
    failures = []

    def flaky(run: RunLoad, **kwargs: Any) -> LoadResult:
        if run.tenant_id == "bravo" and not failures:
            failures.append(run.run_id)
            raise WarehouseError("the warehouse went away")
        return load_run(run, **kwargs)

    with patch.object(env.warehouse, "load_run", flaky):
        summary = env.load()
    assert summary.errors == [f"bravo/{R1}: the warehouse went away"]
    assert env.warehouse.loaded_runs() == {(t, r) for t in ("alpha", "charlie") for r in (R1, R2)}
    assert env.load().ok
    assert env.warehouse.loaded_runs() == {(t, r) for t in TENANTS for r in (R1, R2)}
    for tenant in TENANTS:
        assert env.query(f"SELECT title FROM shop_{tenant}.products") == [(f"{tenant}2",)]  # noqa: S608
    ledger = env.query(
        "SELECT tenant_id, run_id, stream, COUNT(*) FROM shopsync_ops.load_ledger GROUP BY ALL "
        "HAVING COUNT(*) > 1"
    )
    assert ledger == []
