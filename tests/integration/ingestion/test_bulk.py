"""Full snapshots through Bulk Operations against the simulator."""

from __future__ import annotations

from typing import Any

import pytest

from shopsync.ingestion.result import IngestionFailedError
from shopsync.simulator import truth

from .conftest import TENANT, Harness, latest_by_id, truth_versions
from .test_incremental_and_failures import CrashingStore

BULK_STREAMS = [
    "products",
    "product_variants",
    "inventory_items",
    "inventory_levels",
    "orders",
    "customers",
]


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
    lines = [r for r in harness.landed(result, "orders") if "__parentId" in r]
    expected = {
        (str(line["id"]), str(order["id"]))
        for order in truth.records(harness.sim.store(TENANT), "orders")
        for line in order["lineItems"]
    }
    assert {(str(r["id"]), str(r["__parentId"])) for r in lines} == expected
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
