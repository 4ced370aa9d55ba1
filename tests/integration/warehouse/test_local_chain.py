"""``local_event_chain``: ingestion writes through the eventing store; the load follows."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopsync.events import Batching
from shopsync.settings import Settings
from shopsync.tenants import Registry
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse
from shopsync_glue.local_chain import local_event_chain

from .lake import product, write_run

pytestmark = [pytest.mark.spark, pytest.mark.slow]


@pytest.mark.parametrize("shape", ["cloudtrail", "s3"])
def test_a_manifest_write_is_loaded_by_the_background_chain(tmp_path: Path, shape: str) -> None:
    settings = Settings(home=tmp_path / shape)
    run = "20261124T100000Z-0000000a"
    with local_event_chain(
        settings,
        Registry([]),
        batching=Batching(size=1, window_seconds=1),
        shape=shape,  # type: ignore[arg-type]
    ) as (store, bus):
        write_run(store, "acme", run, {"products": [product(1, "a", "2026-11-24T09:00:00Z")]})
    assert bus.matched == 1  # the part was announced too, but only the manifest matches
    assert bus.ignored == 1
    assert DuckDBWarehouse(settings.warehouse_path).loaded_runs() == {("acme", run)}
