"""Full snapshots through Bulk Operations against the simulator."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from shopsync.extract.result import IngestionFailedError
from shopsync.streams import DECLARATIONS
from shopsync_simulator import SimulatorOptions, truth
from shopsync_simulator.faults import profile

from .harness import TENANT, Harness, latest_by_id, make_harness, truth_versions
from .test_incremental_and_failures import CrashingStore

BULK_STREAMS = [d.name for d in DECLARATIONS if d.bulk]


def operations(harness: Harness) -> list[Any]:
    return list(harness.sim.by_tenant[TENANT].bulks.operations)


def test_full_sync_goes_through_bulk_and_lands_a_complete_snapshot(harness: Harness) -> None:
    result = harness.run("full")
    assert result.status == "succeeded", result.message
    assert len(operations(harness)) == len(BULK_STREAMS)
    manifest = harness.manifest(result)
    for stream in BULK_STREAMS:
        assert manifest.streams[stream].complete_snapshot, stream
        rows = harness.landed(result, stream)
        assert set(latest_by_id(rows, stream)) == set(truth_versions(harness, stream)), stream
    children = [r for r in harness.landed(result, "orders") if "__parentId" in r]
    store = harness.sim.store(TENANT)
    expected = {
        (str(line["id"]), str(order["id"]))
        for order in truth.records(store, "orders")
        for line in order["lineItems"]
    } | {(str(s["id"]), str(s["orderId"])) for s in truth.records(store, "shipping_lines")}
    # Discount applications have no id: they land as child lines keyed by their index.
    expected |= {
        (f"index {a['index']}", str(a["orderId"]))
        for a in truth.records(store, "discount_applications")
    }
    landed = {(str(r.get("id", f"index {r.get('index')}")), str(r["__parentId"])) for r in children}
    assert landed == expected
    assert harness.services.state.list_bulk_operations(TENANT) == []  # forgotten once committed


def test_a_restarted_run_adopts_the_recorded_operation(harness: Harness) -> None:
    real = harness.services.store
    harness.services.store = CrashingStore(harness.lake, writes=0)
    with pytest.raises((IngestionFailedError, KeyboardInterrupt)):
        harness.run("full", streams=("customers",))
    harness.services.store = real
    recorded = harness.services.state.list_bulk_operations(TENANT)
    assert [r.stream for r in recorded] == ["customers"]
    assert len(operations(harness)) == 1
    harness.clock.advance(harness.settings.lease_ttl_seconds + 1)
    again = harness.run("full", streams=("customers",))
    assert again.status == "succeeded"
    assert len(operations(harness)) == 1  # adopted, not started again
    assert set(latest_by_id(harness.landed(again, "customers"), "customers")) == set(
        truth_versions(harness, "customers")
    )
    assert harness.services.state.list_bulk_operations(TENANT) == []


def test_a_bounded_resync_pages_levels_by_their_own_updated_at(harness: Harness) -> None:
    """Bulk filters inventory items, not their levels: a resync since a date (long enough for
    bulk) pages the levels, so a quantity change whose item did not change still lands."""
    harness.run()
    harness.clock.advance(3600)
    level = harness.sim.store(TENANT).activity.adjust_inventory(3, 0, 5)
    harness.clock.advance(600)
    since = harness.services.clock() - timedelta(days=90)
    result = harness.run("resync", since=since, streams=("inventory",))
    assert result.status == "succeeded", result.message
    kinds = {op.query.split("{", 2)[1].split("(")[0].strip() for op in operations(harness)}
    assert kinds == {"inventoryItems"}, "levels are paged, items still go through bulk"
    rows = latest_by_id(harness.landed(result, "inventory_levels"), "inventory_levels")
    assert rows[str(level["id"])] == level["updatedAt"]
    manifest = harness.manifest(result)
    assert not manifest.streams["inventory_levels"].complete_snapshot


def test_failing_bulk_levels_page_the_remainder_by_inventory_item(tmp_path: Path) -> None:
    options = SimulatorOptions(speed=20, faults={"*": profile("bulk-failed")})
    with make_harness(tmp_path, options, shopify_read_timeout=0.5) as harness:
        result = harness.run("full", streams=("inventory",))
        assert result.status == "succeeded", result.message
        ops = [op for op in operations(harness) if "inventoryLevels" in op.query]
        assert ops
        assert {op.status for op in ops} == {"FAILED"}
        for stream in ("inventory_items", "inventory_levels"):
            landed = latest_by_id(harness.landed(result, stream), stream)
            assert landed == truth_versions(harness, stream), stream
            assert harness.manifest(result).streams[stream].complete_snapshot
        levels = harness.landed(result, "inventory_levels")
        assert any("__parentId" in r for r in levels), "the partial data landed"
        every = [str(r["id"]) for r in harness.landed(result, "inventory_levels")]
        # The paged remainder is inventory_item_id:>(last item of the partial data), not id:>.
        assert len(every) == len(set(every)), "the remainder starts after the partial data"
