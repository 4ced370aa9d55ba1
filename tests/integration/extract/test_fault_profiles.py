"""Under each of the simulator's fault profiles the landed data is still exact, or the run
fails cleanly (no manifest, cursor unmoved) when the fault is fatal."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from shopsync.extract.result import IngestionFailedError
from shopsync.state import RunStatus
from shopsync.streams import DECLARATIONS
from shopsync_simulator import SimulatorOptions
from shopsync_simulator.faults import profile

from .harness import TENANT, latest_by_id, make_harness, truth_versions

STREAMS = [d.name for d in DECLARATIONS]
FAST_RETRIES = {
    "shopify_read_timeout": 0.5,
    "shopify_max_attempts": 10,
    "ingest_concurrency": 4,
}


@pytest.mark.parametrize(
    ("name", "mode"),
    [
        ("throttle-bursts", "incremental"),
        ("http-429", "incremental"),
        ("server-errors", "incremental"),
        ("connection-resets", "incremental"),
        ("truncated", "incremental"),
        ("slow", "incremental"),
        ("chaos", "incremental"),
        ("chaos", "full"),
        ("bulk-failed", "full"),
    ],
)
def test_transient_faults_still_land_exactly_the_truth(
    tmp_path: Path, name: str, mode: str
) -> None:
    options = SimulatorOptions(speed=20, faults={"*": profile(name)})
    with make_harness(tmp_path, options, **FAST_RETRIES) as harness:
        result = harness.run(mode)
        assert result.status == "succeeded", result.message
        for stream in STREAMS:
            landed = latest_by_id(harness.landed(result, stream), stream)
            assert landed == truth_versions(harness, stream), stream
        injected = harness.sim.by_tenant[TENANT].faults.report()
        assert injected, f"{name}: no fault was injected, the test proves nothing"


@pytest.mark.parametrize(
    ("name", "error"), [("shop-locked", "LockedError"), ("token-revoked", "Unauthorized")]
)
def test_fatal_faults_fail_the_run_cleanly(tmp_path: Path, name: str, error: str) -> None:
    chosen = profile(name, revoke_after=5) if name == "token-revoked" else profile(name)
    options = SimulatorOptions(speed=20, faults={"*": chosen})
    with make_harness(tmp_path, options, **FAST_RETRIES) as harness:
        with pytest.raises(IngestionFailedError) as info:
            harness.run()
        assert error in info.value.result.message
        assert list(harness.lake.list("_manifests/")) == []
        tenant = harness.services.state.get_tenant(TENANT)
        assert tenant.last_status == RunStatus.FAILED
        assert tenant.lease is None
        assert all(s.cursor is None for s in harness.services.state.get_streams(TENANT).values())


def test_a_stuck_bulk_operation_is_cancelled_and_the_rest_paged(tmp_path: Path) -> None:
    options = SimulatorOptions(speed=20, faults={"*": profile("bulk-stuck")})
    config = FAST_RETRIES | {"bulk_poll_seconds": 0.05, "bulk_max_poll_seconds": 0.2}
    with make_harness(tmp_path, options, **config) as harness:
        result = harness.run("full", streams=("customers",))
        assert result.status == "succeeded", result.message
        landed = latest_by_id(harness.landed(result, "customers"), "customers")
        assert landed == truth_versions(harness, "customers")
        assert harness.manifest(result).streams["customers"].complete_snapshot
        statuses = {op.status for op in harness.sim.by_tenant[TENANT].bulks.operations}
        assert statuses <= {"CANCELED", "CANCELING"}


def test_every_record_of_a_run_carries_its_tenant_and_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Retries are logged on the fetch pool's threads; the run's keys reach them too."""
    caplog.set_level(logging.INFO, logger="shopsync")
    options = SimulatorOptions(speed=20, faults={"*": profile("server-errors")})
    with make_harness(tmp_path, options, **FAST_RETRIES) as harness:
        result = harness.run("incremental", run_id="20261124T201500Z-0c0ffee0")
    mine = [r for r in caplog.records if r.name.startswith("shopsync.")]
    retries = [r for r in mine if r.getMessage().startswith("Shopify call failed, retrying")]
    assert retries, "no retry was logged: the test proves nothing"
    assert {r.threadName.split("_")[0] for r in retries} == {"fetch"}
    assert {
        (getattr(r, "tenant_id", None), getattr(r, "run_id", None))
        for r in mine
        if not r.name.startswith("shopsync_simulator")
    } == {(TENANT, result.run_id)}
