from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from shopsync.extract.result import IngestionFailedError, RunResult
from shopsync.shopify import LocalSecrets
from shopsync.state import RunStatus
from shopsync.storage import LocalObjectStore
from shopsync.streams import DECLARATIONS
from shopsync.streams.declarations import DELETIONS

from .harness import TENANT, Harness, latest_by_id, truth_versions

STREAMS = [d.name for d in DECLARATIONS]


def landed_union(harness: Harness, results: list[RunResult], stream: str) -> dict[str, str]:
    rows: list[dict[str, Any]] = []
    for result in results:
        if result.manifest_key is not None:
            rows.extend(harness.landed(result, stream))
    return latest_by_id(rows, stream)


def assert_nothing_lost(harness: Harness, results: list[RunResult]) -> None:
    for stream in STREAMS:
        landed = landed_union(harness, results, stream)
        truth = truth_versions(harness, stream)
        missing = {i: v for i, v in truth.items() if landed.get(i) != v}
        assert not missing, f"{stream}: {len(missing)} records missing or stale"


def make_activity(harness: Harness) -> None:
    harness.clock.advance(3600)
    activity = harness.sim.store(TENANT).activity
    activity.update_product_title(0, "Renamed")
    activity.update_variant_price(4, "12.34")
    activity.adjust_inventory(5, 1, 7)
    activity.create_customer("Zoe", "Park")
    activity.create_order(None)
    activity.delete_product(2)
    activity.delete_order(3)
    activity.delete_customer(4)
    harness.clock.advance(600)  # past the lag


def test_incremental_lands_exactly_the_changes(harness: Harness) -> None:
    first = harness.run()
    before = {s: dict(truth_versions(harness, s)) for s in STREAMS}
    make_activity(harness)
    second = harness.run()
    assert second.status == "succeeded"
    manifest = harness.manifest(second)
    for stream in STREAMS:
        rows = harness.landed(second, stream)
        now = truth_versions(harness, stream)
        changed = {i for i, v in now.items() if before[stream].get(i) != v}
        got = {str(r["id"]) for r in rows}
        assert changed <= got, f"{stream}: changes not landed"
        if stream == "locations":
            assert manifest.streams[stream].complete_snapshot
            continue
        assert not manifest.streams[stream].complete_snapshot
        start = manifest.streams[stream].cursor_from
        extra = got - changed
        if extra:  # only re-reads inside the overlap before the previous cursor
            assert start is not None, stream
            floor = (start.updated_at - timedelta(seconds=300)).strftime("%Y-%m-%dT%H:%M:%SZ")
            versions = latest_by_id(rows, stream)
            assert all(versions[i] >= floor for i in extra), stream
    assert "Renamed" in {r["title"] for r in harness.landed(second, "products")}
    for stream in DELETIONS:
        assert len(harness.landed(second, stream)) == 1, stream
    assert_nothing_lost(harness, [first, second])


def test_incremental_without_changes_is_one_request_per_stream(harness: Harness) -> None:
    harness.run()
    harness.clock.advance(900)
    quiet = harness.run()
    assert quiet.status == "succeeded"
    # The access scopes, then a page each; a details stream asks nothing when no id was listed.
    listing = [d.name for d in DECLARATIONS if d.details_of is None]
    assert quiet.stats["requests"] == 1 + len(listing)
    assert {n: s.pages for n, s in quiet.streams.items()} == {
        d.name: int(d.details_of is None) for d in DECLARATIONS
    }


def test_a_quantity_change_lands_although_its_item_did_not_change(harness: Harness) -> None:
    first = harness.run()
    store = harness.sim.store(TENANT)
    items_before = truth_versions(harness, "inventory_items")
    harness.clock.advance(3600)
    activity = store.activity
    # More changes at location 1 than its first page holds (paged by location), then a later
    # one at location 0, then the latest back on a late page of location 1: the cursor is the
    # greatest (updatedAt, id) over every location, taken once all of them are done.
    changed = [activity.adjust_inventory(j, 1, 3) for j in range(20)]
    harness.clock.advance(60)
    changed.append(activity.adjust_inventory(5, 0, -2, "committed"))
    harness.clock.advance(60)
    changed.append(activity.adjust_inventory(40, 1, 9))
    harness.clock.advance(600)  # past the lag
    assert truth_versions(harness, "inventory_items") == items_before, "items untouched"
    second = harness.run()
    assert second.status == "succeeded"
    stamp = changed[0]["updatedAt"]
    # Only re-reads inside the overlap before the previous cursor, of items and of levels.
    assert all(r["updatedAt"] < stamp for r in harness.landed(second, "inventory_items"))
    rows = harness.landed(second, "inventory_levels")
    fresh = [r for r in rows if r["updatedAt"] >= stamp]
    assert sorted(str(r["id"]) for r in fresh) == sorted(str(c["id"]) for c in changed)
    truth = truth_versions(harness, "inventory_levels")
    assert all(truth[str(r["id"])] == r["updatedAt"] for r in rows)
    by_id = {str(r["id"]): r for r in rows}
    level = by_id[str(changed[-2]["id"])]
    assert {q["name"]: q["quantity"] for q in level["quantities"]}["committed"] == (
        changed[-2]["_q"]["committed"]
    )
    assert set(level) >= {"id", "updatedAt", "createdAt", "item", "location", "quantities"}
    entry = harness.manifest(second).streams["inventory_levels"]
    assert entry.cursor_to is not None
    assert entry.cursor_to.last_id == str(changed[-1]["id"])
    assert entry.cursor_to.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ") == changed[-1]["updatedAt"]
    assert_nothing_lost(harness, [first, second])


def test_resync_lands_a_complete_snapshot(harness: Harness) -> None:
    harness.run()
    make_activity(harness)
    resync = harness.run("resync")
    manifest = harness.manifest(resync)
    for stream in STREAMS:
        entry = manifest.streams[stream]
        assert entry.complete_snapshot is (stream not in DELETIONS), stream
        if stream not in DELETIONS:
            assert set(latest_by_id(harness.landed(resync, stream), stream)) == set(
                truth_versions(harness, stream)
            ), stream
    assert_nothing_lost(harness, [resync])


def test_a_held_lease_skips_the_run(harness: Harness) -> None:
    state = harness.services.state
    now = harness.services.clock()
    assert state.acquire_lease(TENANT, "20261124T195900Z-00000000", now, timedelta(minutes=5))
    result = harness.run()
    assert result.status == "skipped"
    assert "20261124T195900Z-00000000 in progress" in result.message
    assert list(harness.lake.list("_manifests/")) == []


def test_a_stale_invocation_of_an_older_run_is_skipped(harness: Harness) -> None:
    """A retry that arrives after a newer run was dispatched does not run: its manifest would
    be older than runs the load may have loaded, and the load looks only after the last."""
    newer = harness.run()
    assert newer.status == "succeeded"
    stale = harness.run(run_id="20200101T000000Z-00000000")
    assert stale.status == "skipped"
    assert f"run {newer.run_id} is newer" in stale.message
    assert [k for k in harness.lake.list("_manifests/") if "20200101" in k] == []
    assert harness.services.state.get_tenant(TENANT).lease is None
    assert harness.services.state.get_tenant(TENANT).last_run_id == newer.run_id


def test_fatal_error_records_failure_without_manifest_or_cursor(harness: Harness) -> None:
    ok = harness.run()
    cursors = harness.services.state.get_streams(TENANT)
    secrets = harness.services.secrets
    assert isinstance(secrets, LocalSecrets)
    secrets.path.write_text(json.dumps({TENANT: {"access_token": "shpat_wrong"}}))
    harness.clock.advance(900)
    with pytest.raises(IngestionFailedError) as info:
        harness.run()
    failed = info.value.result
    assert failed.status == "failed"
    assert "UnauthorizedError" in failed.message
    assert "shpat_wrong" not in failed.message
    assert list(harness.lake.list("_manifests/")) == [ok.manifest_key]
    tenant = harness.services.state.get_tenant(TENANT)
    assert tenant.last_status == RunStatus.FAILED
    assert tenant.lease is None
    assert harness.services.state.get_streams(TENANT) == cursors


class CrashingStore(LocalObjectStore):
    """Dies (like a killed process) after a number of object writes."""

    def __init__(self, inner: LocalObjectStore, writes: int) -> None:
        super().__init__(inner.root)
        self.left = writes

    def open_write(self, key: str) -> Any:
        self.left -= 1
        if self.left < 0:
            raise KeyboardInterrupt("killed")
        return super().open_write(key)


def test_crash_mid_run_then_rerun_loses_and_duplicates_nothing(harness: Harness) -> None:
    harness.services.config = harness.services.config.model_copy(
        update={"ingest_part_max_lines": 7}
    )
    first = harness.run()
    make_activity(harness)
    real = harness.services.store
    harness.services.store = CrashingStore(harness.lake, writes=5)
    with pytest.raises((IngestionFailedError, KeyboardInterrupt)):
        harness.run()
    harness.services.store = real
    assert len(list(harness.lake.list("_manifests/"))) == 1
    # A killed process never released its lease: the next run waits until it expires.
    state = harness.services.state
    lease = state.get_tenant(TENANT).lease
    if lease is not None:
        harness.clock.advance(harness.settings.lease_ttl_seconds + 1)
    again = harness.run()
    assert again.status == "succeeded"
    assert_nothing_lost(harness, [first, again])
    for stream in STREAMS:  # within one committed run, no record twice
        ids = [str(r["id"]) for r in harness.landed(again, stream)]
        assert len(ids) == len(set(ids)), stream


def test_time_budget_commits_a_partial_run_that_the_next_run_completes(harness: Harness) -> None:
    harness.services.config = harness.services.config.model_copy(update={"ingest_page_size": 10})
    partial = harness.run(deadline=0.0)
    assert partial.status == "partial"
    assert partial.needs_continuation
    manifest = harness.manifest(partial)
    assert not all(s.finished for s in partial.streams.values())
    for name, entry in manifest.streams.items():  # only a finished stream is a snapshot
        assert not entry.complete_snapshot or partial.streams[name].finished
    tenant = harness.services.state.get_tenant(TENANT)
    assert tenant.last_status == RunStatus.PARTIAL
    results = [partial]
    for _ in range(40):
        result = harness.run()
        results.append(result)
        if result.status == "succeeded":
            break
    assert results[-1].status == "succeeded"
    assert_nothing_lost(harness, results)


def test_a_long_run_renews_its_lease(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    state = harness.services.state
    renewals: list[str] = []
    real_renew = state.renew_lease

    def renew(tenant_id: str, run_id: str, now: Any, ttl: timedelta) -> None:
        renewals.append(run_id)
        real_renew(tenant_id, run_id, now, ttl)

    ticks = iter(range(0, 10**9, 1000))  # every look at the clock is 1000 s later
    monkeypatch.setattr(state, "renew_lease", renew)
    monkeypatch.setattr("shopsync.extract.service.time.monotonic", lambda: float(next(ticks)))
    result = harness.run(streams=("customers",))
    assert result.status == "succeeded"
    assert renewals
    assert set(renewals) == {result.run_id}


def test_a_resync_since_a_date_never_moves_a_cursor_past_a_gap(harness: Harness) -> None:
    since = harness.services.clock() - timedelta(days=30)
    result = harness.run("resync", since=since)
    assert result.status == "succeeded"
    manifest = harness.manifest(result)
    assert all(entry.cursor_to is None for entry in manifest.streams.values())
    assert all(s.cursor is None for s in harness.services.state.get_streams(TENANT).values())
    first = harness.run()  # so the next incremental run still starts at start_date
    assert_nothing_lost(harness, [first])
