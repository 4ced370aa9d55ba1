"""Which manifests the job loads: those not in the ledger, per tenant, in run_id order."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from shopsync.lake.manifest import Manifest, StreamManifest, write_manifest
from shopsync.storage import LocalObjectStore
from shopsync.warehouse.base import RunLoad
from shopsync_glue.job import CuratedLake, Curation, batches, pending_manifests, read_lines
from tests.support.manifests import empty_manifest

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    raw = LocalObjectStore(tmp_path)
    for tenant, run, age in [
        ("acme", "20261124T110000Z-00000002", 5),
        ("acme", "20261124T100000Z-00000001", 60),
        ("acme_corp", "20261124T100000Z-00000003", 30),
    ]:
        write_manifest(raw, empty_manifest(tenant, run, NOW - timedelta(minutes=age)))
    raw.put_bytes("_manifests/README.txt", b"not a manifest")
    return raw


def test_grouped_by_tenant_in_run_order_without_loaded_runs(store: LocalObjectStore) -> None:
    pending = pending_manifests(store, {})
    assert {t: [m.run_id for m in ms] for t, ms in pending.items()} == {
        "acme": ["20261124T100000Z-00000001", "20261124T110000Z-00000002"],
        "acme_corp": ["20261124T100000Z-00000003"],
    }
    loaded = {"acme": {"20261124T100000Z-00000001"}}
    again = pending_manifests(store, loaded)
    assert [m.run_id for m in again["acme"]] == ["20261124T110000Z-00000002"]


def test_one_tenant_never_picks_up_a_lookalike(store: LocalObjectStore) -> None:
    assert list(pending_manifests(store, {}, tenant_id="acme")) == ["acme"]
    assert list(pending_manifests(store, {}, tenant_id="acme_corp")) == ["acme_corp"]


def test_safety_net_takes_only_manifests_that_waited(store: LocalObjectStore) -> None:
    late = pending_manifests(store, {}, older_than=timedelta(minutes=20), now=NOW)
    assert {t: len(ms) for t, ms in late.items()} == {"acme": 1, "acme_corp": 1}


def test_a_manifest_under_another_tenants_key_is_refused(store: LocalObjectStore) -> None:
    forged = empty_manifest("acme_corp", "20261124T120000Z-00000009")
    store.put_bytes("_manifests/tenant=acme/run=20261124T120000Z-00000009.json", forged.to_json())
    with pytest.raises(ValueError, match="manifest is for acme_corp"):
        pending_manifests(store, {}, tenant_id="acme")


def test_a_bad_manifest_holds_back_its_tenant_only(store: LocalObjectStore) -> None:
    store.put_bytes("_manifests/tenant=acme/run=20261124T103000Z-00000000.json", b"{oops")
    errors: list[str] = []
    pending = pending_manifests(store, {}, errors=errors)
    assert {t: [m.run_id for m in ms] for t, ms in pending.items()} == {
        "acme": ["20261124T100000Z-00000001"],  # before the bad one; the later one waits
        "acme_corp": ["20261124T100000Z-00000003"],
    }
    assert len(errors) == 1
    assert errors[0].startswith("acme/20261124T103000Z-00000000: bad manifest")


#: A manifest as a version 1 writer left it: no ``skipped``.
_VERSION_1 = {
    "schema_version": 1,
    "tenant_id": "acme",
    "run_id": "20261124T120000Z-00000010",
    "mode": "incremental",
    "api_version": "2026-10",
    "started_at": "2026-11-24T12:00:00Z",
    "finished_at": "2026-11-24T12:00:00Z",
    "streams": {"products": {"parts": [], "records": 0, "cursor_from": None, "cursor_to": None,
                             "complete_snapshot": False}},
}  # fmt: skip


def _plan(raw: LocalObjectStore, tmp_path: Path, manifest: Manifest) -> RunLoad:
    """The run's load plan before any table (no deletions to write: Spark is never asked)."""
    spark: Any = None
    lake = CuratedLake(str(tmp_path / "curated"))
    with Curation(spark, raw, lake, [manifest]) as curation:
        return curation.headers[(manifest.tenant_id, manifest.run_id)]


def test_a_version_1_manifest_still_loads_and_skipped_nothing(tmp_path: Path) -> None:
    raw = LocalObjectStore(tmp_path)
    raw.put_bytes(
        "_manifests/tenant=acme/run=20261124T120000Z-00000010.json",
        json.dumps(_VERSION_1).encode(),
    )
    (manifest,) = pending_manifests(raw, {})["acme"]
    assert manifest.schema_version == 1
    assert _plan(raw, tmp_path, manifest).skipped == {}


def test_the_load_plan_carries_the_skipped_streams(tmp_path: Path) -> None:
    raw = LocalObjectStore(tmp_path)
    manifest = empty_manifest("acme", "20261124T120000Z-00000011").model_copy(
        update={"skipped": {"orders": ("read_orders",)}}
    )
    write_manifest(raw, manifest)
    (pending,) = pending_manifests(raw, {})["acme"]
    assert pending.skipped == {"orders": ("read_orders",)}
    assert _plan(raw, tmp_path, pending).skipped == {"orders": ("read_orders",)}


def test_pending_runs_go_in_batches_bounded_by_records_and_runs() -> None:
    def sized(tenant: str, run: str, records: int) -> Manifest:
        manifest = empty_manifest(tenant, run)
        return manifest.model_copy(
            update={"streams": {"products": StreamManifest(records=records)}}
        )

    pending = {
        "acme": [sized("acme", f"20261124T1{n}0000Z-0000000{n}", 400) for n in range(3)],
        "acme_corp": [sized("acme_corp", "20261124T100000Z-00000009", 900)],
    }
    found = [[(m.tenant_id, m.run_id[-1]) for m in b] for b in batches(pending, max_records=1000)]
    assert found == [[("acme", "0"), ("acme", "1")], [("acme", "2")], [("acme_corp", "9")]]
    by_runs = [len(b) for b in batches(pending, max_runs=3)]
    assert by_runs == [3, 1]
    assert list(batches({})) == []


def test_a_run_of_the_same_second_as_the_last_loaded_one_is_still_found(tmp_path: Path) -> None:
    """Run ids of one second sort by their random part: a run made after the last loaded one
    in the same second may sort before it, and is pending all the same."""
    raw = LocalObjectStore(tmp_path)
    for run in (
        "20261124T100000Z-00000001",
        "20261124T100000Z-0000000a",
        "20261124T100000Z-f0000000",
    ):
        write_manifest(raw, empty_manifest("acme", run))
    loaded = {"acme": {"20261124T100000Z-0000000a"}}
    pending = pending_manifests(raw, loaded)
    assert [m.run_id for m in pending["acme"]] == [
        "20261124T100000Z-00000001",
        "20261124T100000Z-f0000000",
    ]


def test_a_part_whose_key_names_another_run_is_refused_before_anything_is_read() -> None:
    """Rows are told their tenant and run by their part's key: a part listed for one run whose
    key names another (or is no part key) fails the batch, rather than load under the key's."""
    spark: Any = None  # never reached
    store = LocalObjectStore(Path("/nonexistent"))
    r1, r2 = "20261124T100000Z-00000001", "20261124T110000Z-00000002"
    part = f"tenant=acme/stream=products/date=2026-11-24/run={r1}/part-00000.jsonl.gz"
    with pytest.raises(ValueError, match=f"is not a part of acme/{r2}"):
        read_lines(spark, store, {("acme", r2): [part]})
    with pytest.raises(ValueError, match="is not a part of acme_corp/"):
        read_lines(spark, store, {("acme_corp", r1): [part]})
    with pytest.raises(ValueError, match="is not a part of acme/"):
        read_lines(spark, store, {("acme", r1): ["tenant=acme/loose.jsonl.gz"]})
