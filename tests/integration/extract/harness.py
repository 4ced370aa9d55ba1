"""The ingestion integration tests' harness: one tenant on a simulator with a frozen clock.

Built on :mod:`tests.support.simulator`; the ``harness`` fixture (conftest) wraps
:func:`make_harness`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from shopsync.extract.raw import read_part
from shopsync.extract.result import RunResult
from shopsync.lake.manifest import Manifest, read_manifest
from shopsync.streams.declarations import BY_NAME, DELETIONS
from shopsync_simulator import Clock, SimulatorOptions, StoreSize, truth
from tests.support.simulator import SimulatedIngestion, simulated_ingestion
from tests.support.tenants import make_tenant, write_tenant_file

START = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
TENANT = "acme_outdoor"
SHOP = "acme-outdoor.myshopify.com"
SMALL = StoreSize(products=30, variants_per_product=3, locations=2, customers=40, orders=60)


class Harness(SimulatedIngestion):
    """The run's manifest, what it landed and the simulator's ground truth, for :data:`TENANT`."""

    def manifest(self, result: RunResult) -> Manifest:
        return read_manifest(self.lake, TENANT, result.run_id)

    def landed(self, result: RunResult, stream: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for key in self.manifest(result).streams[stream].parts:
            rows.extend(read_part(self.lake, key))
        return rows

    def truth_ids(self, stream: str) -> set[str]:
        return {str(r["id"]) for r in truth_records(self, stream)}


def truth_records(harness: SimulatedIngestion, stream: str) -> list[dict[str, Any]]:
    """The live records of ``stream``; a deletions stream's: the destroy events of its subject."""
    store = harness.sim.store(TENANT)
    if stream not in DELETIONS:
        return list(truth.records(store, stream))
    subject = DELETIONS[stream].subject
    return [
        e
        for e in truth.records(store, "events")
        if e.get("action") == "destroy" and e.get("subjectType") == subject
    ]


@contextmanager
def make_harness(
    tmp_path: Path,
    options: SimulatorOptions | None = None,
    plan: str = "plus",
    size: StoreSize = SMALL,
    **config: Any,
) -> Iterator[Harness]:
    tenant = make_tenant(TENANT, shop=SHOP, plan=plan, start_date=date(2022, 1, 1))
    with simulated_ingestion(
        tmp_path,
        [tenant],
        size=size,
        clock=Clock(start=START.timestamp()),
        options=options or SimulatorOptions(),
        **config,
    ) as rig:
        yield Harness(rig.sim, rig.clock, rig.services, rig.settings, rig.lake)


def write_tenant(directory: Path, tenant_id: str = TENANT) -> Path:
    """The tenant file of a plus-plan store syncing since 2022, as :func:`make_harness`'s."""
    return write_tenant_file(directory, tenant_id, plan="plus", start_date="2022-01-01")


def cursor_field(stream: str) -> str:
    """The declared cursor: ``updatedAt``, a deletions stream's ``createdAt``, tender
    transactions' ``processedAt``."""
    return BY_NAME[stream].cursor_field


def latest_by_id(rows: list[dict[str, Any]], stream: str) -> dict[str, str]:
    """id -> latest cursor value, as the loader's dedupe keeps it."""
    out: dict[str, str] = {}
    for row in rows:
        if "__parentId" in row and cursor_field(stream) not in row:
            continue  # a bulk child line (an order's line item), joined by the loader
        rid, at = str(row["id"]), str(row[cursor_field(stream)])
        if rid not in out or at > out[rid]:
            out[rid] = at
    return out


def truth_versions(harness: Harness, stream: str) -> dict[str, str]:
    return {str(r["id"]): str(r[cursor_field(stream)]) for r in truth_records(harness, stream)}
