"""Which manifests the job loads: those not in the ledger, per tenant, in run_id order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shopsync.lake.manifest import Manifest, StreamManifest, write_manifest
from shopsync.storage import LocalObjectStore
from shopsync_glue.job import pending_manifests

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _manifest(tenant: str, run: str, finished: datetime = NOW) -> Manifest:
    return Manifest(
        tenant_id=tenant,
        run_id=run,
        mode="incremental",
        api_version="2026-10",
        started_at=finished,
        finished_at=finished,
        streams={"products": StreamManifest()},
    )


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    raw = LocalObjectStore(tmp_path)
    for tenant, run, age in [
        ("acme", "20261124T110000Z-00000002", 5),
        ("acme", "20261124T100000Z-00000001", 60),
        ("acme_corp", "20261124T100000Z-00000003", 30),
    ]:
        write_manifest(raw, _manifest(tenant, run, NOW - timedelta(minutes=age)))
    raw.put_bytes("_manifests/README.txt", b"not a manifest")
    return raw


def test_grouped_by_tenant_in_run_order_without_loaded_runs(store: LocalObjectStore) -> None:
    pending = pending_manifests(store, set())
    assert {t: [m.run_id for m in ms] for t, ms in pending.items()} == {
        "acme": ["20261124T100000Z-00000001", "20261124T110000Z-00000002"],
        "acme_corp": ["20261124T100000Z-00000003"],
    }
    loaded = {("acme", "20261124T100000Z-00000001")}
    again = pending_manifests(store, loaded)
    assert [m.run_id for m in again["acme"]] == ["20261124T110000Z-00000002"]


def test_one_tenant_never_picks_up_a_lookalike(store: LocalObjectStore) -> None:
    assert list(pending_manifests(store, set(), tenant_id="acme")) == ["acme"]
    assert list(pending_manifests(store, set(), tenant_id="acme_corp")) == ["acme_corp"]


def test_safety_net_takes_only_manifests_that_waited(store: LocalObjectStore) -> None:
    late = pending_manifests(store, set(), older_than=timedelta(minutes=20), now=NOW)
    assert {t: len(ms) for t, ms in late.items()} == {"acme": 1, "acme_corp": 1}


def test_a_manifest_under_another_tenants_key_is_refused(store: LocalObjectStore) -> None:
    forged = _manifest("acme_corp", "20261124T120000Z-00000009")
    store.put_bytes("_manifests/tenant=acme/run=20261124T120000Z-00000009.json", forged.to_json())
    with pytest.raises(ValueError, match="manifest is for acme_corp"):
        pending_manifests(store, set(), tenant_id="acme")


def test_a_bad_manifest_holds_back_its_tenant_only(store: LocalObjectStore) -> None:
    store.put_bytes("_manifests/tenant=acme/run=20261124T103000Z-00000000.json", b"{oops")
    errors: list[str] = []
    pending = pending_manifests(store, set(), errors=errors)
    assert {t: [m.run_id for m in ms] for t, ms in pending.items()} == {
        "acme": ["20261124T100000Z-00000001"],  # before the bad one; the later one waits
        "acme_corp": ["20261124T100000Z-00000003"],
    }
    assert len(errors) == 1
    assert errors[0].startswith("acme/20261124T103000Z-00000000: bad manifest")
