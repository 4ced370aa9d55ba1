"""One machine: SQLite state, a directory lake, ``secrets.json``, a thread pool, Spark in local
mode and DuckDB.

Spark and DuckDB come with the ``local`` extra, which the Lambda package leaves out; they are
imported when a local load or status read runs, never when this module is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import ClassVar

from shopsync.extract.config import IngestionConfig
from shopsync.schedule.invoker import EntryPoint, LocalInvoker
from shopsync.settings import Target
from shopsync.shopify import LocalSecrets
from shopsync.state.sqlite import SqliteStateStore
from shopsync.storage import LocalObjectStore
from shopsync.tenants import Registry
from shopsync.warehouse.base import JobSummary
from shopsync.warehouse.status import TenantStatus, never_loaded, tenant_status

from .base import Runtime, RuntimeUnavailableError


class LocalRuntime(Runtime):
    target: ClassVar[Target] = "local"
    embeds_simulator: ClassVar[bool] = True

    def _state_store(self) -> SqliteStateStore:
        return SqliteStateStore(self.settings.state_path)

    def _raw_store(self) -> LocalObjectStore:
        return LocalObjectStore(self.settings.lake_path / self.settings.raw_bucket)

    def _secrets(self, config: IngestionConfig) -> LocalSecrets:
        return LocalSecrets(self.settings.secrets_path)

    def invoker(self, entry_point: EntryPoint | None = None) -> LocalInvoker:
        """A bounded thread pool running the entry point in this process."""
        return LocalInvoker(entry_point or self.entry_point(), self.settings.local_workers)

    def load(
        self,
        registry: Registry,
        *,
        tenant_id: str | None = None,
        older_than: timedelta | None = None,
    ) -> JobSummary:
        """The load job, here and now: Spark in local mode into DuckDB. One load at a time:
        DuckDB lets one process write the file, so a second load finds it locked and stops
        (each run loads in one transaction, so what it did not load stays pending); readers
        (``shopsync status``, the dashboard) hold it for moments, which the load waits out."""
        from shopsync.warehouse.duckdb_import import duckdb
        from shopsync_glue.local_chain import run_local_load

        try:
            return run_local_load(
                self.settings, tenant_id=tenant_id, registry=registry, older_than=older_than
            )
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            raise RuntimeUnavailableError(
                f"the warehouse {self.settings.warehouse_path} is in use by another process "
                "(another `shopsync load`, or something reading it): this load stopped; runs "
                "it loaded stay loaded, the others stay pending: run the load again when that "
                "process has finished"
            ) from exc

    def warehouse_status(self, tenant_ids: Sequence[str]) -> list[TenantStatus]:
        """DuckDB at ``$SHOPSYNC_HOME/warehouse.duckdb``, opened read-only."""
        from shopsync.warehouse.duckdb_import import duckdb
        from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse

        warehouse = DuckDBWarehouse(self.settings.warehouse_path)
        if not warehouse.path.exists():
            return [never_loaded(t) for t in tenant_ids]
        try:
            with warehouse.connect(read_only=True) as con:
                return tenant_status(con, tenant_ids)
        except (duckdb.IOException, duckdb.ConnectionException) as exc:  # held by a load
            raise RuntimeUnavailableError(
                f"the warehouse is busy ({warehouse.path}); try again: {exc}"
            ) from exc
