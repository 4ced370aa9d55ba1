"""The local warehouse: one DuckDB file, the same schemas, tables and SQL as Redshift."""

# ruff: noqa: S608 - SQL is generated from specs; identifiers are validated, literals quoted

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from shopsync.reporting import views

from . import sql
from .base import (
    CheckResult,
    LoadResult,
    RunLoad,
    TableLoad,
    WarehouseError,
    batch_stages,
    cleanup_statements,
    columns_by_table,
    epilogue_statements,
    prologue_statements,
    table_statements,
    tenants_by_table,
)
from .checks import check_statements, evaluate_checks, observations
from .duckdb_import import duckdb

logger = logging.getLogger(__name__)


class DuckDBWarehouse:
    """Connections are opened per operation, so other processes can read between loads."""

    dialect = sql.DUCKDB

    def __init__(self, path: Path | str, *, freshness_hours: float = 48.0) -> None:
        self.path = Path(path)
        self.freshness_hours = freshness_hours
        self._shared: duckdb.DuckDBPyConnection | None = None
        #: The batch tables staged in the shared connection: stage name -> its location.
        self._staged: dict[str, str] = {}

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The operations inside share one connection (each opens its own otherwise): a job
        loading many tenant runs pays for opening the file once. Each run is still its own
        transaction."""
        if self._shared is not None:
            yield
            return
        with self._open() as con:
            self._ensure_ops(con)
            self._shared, self._staged = con, {}
            try:
                yield
            finally:
                self._shared, self._staged = None, {}

    @contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._shared is not None and not read_only:
            yield self._shared
            return
        with self._open(read_only=read_only) as con:
            yield con

    @contextmanager
    def _open(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if read_only and not self.path.exists():
            raise WarehouseError(f"no warehouse at {self.path} yet: run `shopsync load` first")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.path), read_only=read_only)
        try:
            con.execute("SET TimeZone = 'UTC'")
            yield con
        finally:
            con.close()

    def _ensure_ops(self, con: duckdb.DuckDBPyConnection) -> None:
        if con is self._shared:
            return  # done when the batch opened it
        for statement in sql.ops_ddl(self.dialect):
            con.execute(statement)

    def loaded_runs(self, tenant_id: str | None = None) -> set[tuple[str, str]]:
        if not self.path.exists():
            return set()
        with self.connect() as con:
            self._ensure_ops(con)
            query = f"SELECT DISTINCT tenant_id, run_id FROM {sql.LEDGER}"
            params: list[Any] = []
            if tenant_id is not None:
                query += " WHERE tenant_id = ?"
                params.append(tenant_id)
            return {(str(t), str(r)) for t, r in con.execute(query, params).fetchall()}

    def _existing_columns(
        self, con: duckdb.DuckDBPyConnection, tenant_id: str
    ) -> dict[str, list[str]]:
        return columns_by_table(con.execute(sql.columns_query(tenant_id)).fetchall())

    def load_run(
        self, run: RunLoad, *, loaded_at: datetime, arriving: Iterable[TableLoad] = ()
    ) -> LoadResult:
        with self.connect() as con:
            self._ensure_ops(con)
            existing = self._existing_columns(con, run.tenant_id)

            def execute(statements: Iterable[str]) -> None:
                for statement in statements:
                    try:
                        con.execute(statement)
                    except duckdb.Error as exc:
                        raise WarehouseError(f"load failed: {exc}", statement) from exc

            con.execute("BEGIN TRANSACTION")
            try:
                done = con.execute(
                    f"SELECT COUNT(*) FROM {sql.LEDGER} WHERE tenant_id = ? AND run_id = ?",
                    [run.tenant_id, run.run_id],
                ).fetchone()
                if done is not None and done[0] > 0:
                    con.execute("ROLLBACK")
                    logger.info("run already loaded; skipped")
                    return LoadResult(run.tenant_id, run.run_id, skipped=True, rows={})
                execute(prologue_statements(self.dialect, run.tenant_id, existing_columns=existing))
                tables: list[TableLoad] = []
                # Each table merges as soon as it is written, while the job writes the next.
                for load in itertools.chain(run.tables, arriving):
                    execute(self._stage_batch(con, run, [load]))
                    execute(table_statements(self.dialect, run, load).statements)
                    tables.append(load)
                end = epilogue_statements(self.dialect, run, tables, loaded_at=loaded_at)
                execute(self._stage_batch(con, run, []))
                execute(end.statements + cleanup_statements(run, tables))
                loaded = sql.loaded_rows_query(run.tenant_id, run.run_id)
                rows = dict(con.execute(loaded).fetchall())
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                self._staged = {}  # staged in the transaction: rolled back with it
                raise
        logger.info("run loaded: %s", rows)
        return LoadResult(run.tenant_id, run.run_id, skipped=False, rows=rows)

    def _stage_batch(
        self, con: duckdb.DuckDBPyConnection, run: RunLoad, tables: list[TableLoad]
    ) -> list[str]:
        """The statements that stage the batch tables ``tables`` (and the run's deletions)
        read, unless the shared connection has them staged already."""
        out: list[str] = []
        staged = self._staged if con is self._shared else {}
        for stage, (location, statements) in batch_stages(self.dialect, run, tables).items():
            if staged.get(stage) != location:
                out += statements
                staged[stage] = location
        return out

    def tenant_tables(self, con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
        """table -> tenant ids whose schema has it (exact schema names, never a prefix)."""
        return tenants_by_table(con.execute(self.dialect.tenant_tables_query()).fetchall())

    def refresh_reporting(self, rls: Sequence[tuple[str, str]]) -> None:
        with self.connect() as con:
            self._ensure_ops(con)
            tenants = self.tenant_tables(con)
            con.execute("BEGIN TRANSACTION")
            for statement in views.reporting_views(self.dialect, tenants) + views.rls_rules(rls):
                con.execute(statement)
            con.execute("COMMIT")

    def run_checks(self, run: RunLoad, result: LoadResult, *, now: datetime) -> list[CheckResult]:
        with self.connect() as con:
            queries = check_statements(self.dialect, run)
            observed = observations({n: con.execute(q).fetchall() for n, q in queries.items()})
            checks = evaluate_checks(
                run, result, observed, now=now, freshness_hours=self.freshness_hours
            )
            con.executemany(
                f"INSERT INTO {sql.CHECKS} (tenant_id, run_id, table_name, check_name, status, "
                "observed, expected, detail, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    [
                        c.tenant_id,
                        c.run_id,
                        c.table,
                        c.name,
                        "passed" if c.passed else "failed",
                        c.observed,
                        c.expected,
                        c.detail,
                        now,
                    ]
                    for c in checks
                ],
            )
        for check in checks:
            if not check.passed:
                logger.warning(
                    "check %s failed on %s: %s",
                    check.name,
                    check.table,
                    check.detail,
                )
        return checks
