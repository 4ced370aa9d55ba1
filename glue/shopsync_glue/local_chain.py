"""The job wired for the local target: the raw lake directory, the curated lake directory,
DuckDB, Spark in local mode. Also the local workflow the event bus triggers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from shopsync.events import (
    CLOUDTRAIL_PATTERN,
    S3_NATIVE_PATTERN,
    Batching,
    EventingObjectStore,
    LocalBus,
    WorkflowRun,
    load_pattern,
)
from shopsync.events.eventing_store import EventShape
from shopsync.reporting.tables import ADMIN_GROUP
from shopsync.settings import Settings
from shopsync.storage import LocalObjectStore
from shopsync.tenants import Registry, load_registry
from shopsync.warehouse.base import JobSummary
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse

from .job import CuratedLake, run_job
from .session import local_session

logger = logging.getLogger(__name__)


def rls_rules(registry: Registry) -> list[tuple[str, str]]:
    """``(groupname, tenant_id)`` for every QuickSight group of every tenant file, and the
    administrators' group for every tenant (as Terraform's ``rls_rules`` local writes them)."""
    return [
        *((group, t.id) for t in registry for group in t.quicksight.groups),
        *((ADMIN_GROUP, t.id) for t in registry),
    ]


def curated_root(settings: Settings) -> Path:
    return settings.lake_path / settings.curated_bucket


def local_warehouse(settings: Settings) -> DuckDBWarehouse:
    return DuckDBWarehouse(settings.warehouse_path)


def run_local_load(
    settings: Settings,
    *,
    tenant_id: str | None = None,
    registry: Registry | None = None,
    older_than: timedelta | None = None,
) -> JobSummary:
    """``shopsync load``: every pending manifest (of one tenant), into DuckDB."""
    registry = registry if registry is not None else load_registry(settings.tenants_dir)
    return run_job(
        local_session(),
        LocalObjectStore(settings.lake_path / settings.raw_bucket),
        CuratedLake(str(curated_root(settings))),
        local_warehouse(settings),
        tenant_id=tenant_id,
        rls=rls_rules(registry),
        older_than=older_than,
    )


def local_workflow(
    settings: Settings, registry: Registry | None = None
) -> Callable[[WorkflowRun], JobSummary]:
    """The local Glue workflow an EVENT trigger starts: the job over everything pending."""

    def start(run: WorkflowRun) -> JobSummary:
        logger.info(
            "workflow run %s: aws:eventIds=%s",
            run.run_id,
            run.run_properties.get("aws:eventIds"),
        )
        return run_local_load(settings, registry=registry)

    return start


@contextmanager
def local_event_chain(
    settings: Settings,
    registry: Registry | None = None,
    *,
    batching: Batching | None = None,
    shape: EventShape = "cloudtrail",
) -> Iterator[tuple[EventingObjectStore, LocalBus]]:
    """The local CloudTrail/EventBridge + Glue workflow chain, running in the background.

    Hand the yielded store to ingestion as its raw store: each completed write publishes an
    S3 event; the bus matches it against the deployed pattern file, batches like Glue's EVENT
    trigger and runs the load job. Leaving the block loads whatever is still batched.
    """
    pattern_file = CLOUDTRAIL_PATTERN if shape == "cloudtrail" else S3_NATIVE_PATTERN
    bus = LocalBus(
        load_pattern(pattern_file, raw_bucket=settings.raw_bucket),
        local_workflow(settings, registry),
        batching=batching or Batching(size=10, window_seconds=2),
    )
    raw = LocalObjectStore(settings.lake_path / settings.raw_bucket)
    store = EventingObjectStore(
        raw, bus.publish, bucket=settings.raw_bucket, shape=shape, region=settings.region
    )
    bus.start()
    try:
        yield store, bus
    finally:
        bus.close()
