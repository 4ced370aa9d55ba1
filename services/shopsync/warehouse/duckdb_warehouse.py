"""The local warehouse: one DuckDB file, the same schemas, tables and SQL as Redshift."""

# ruff: noqa: S608 - SQL is generated from specs; identifiers are validated, literals quoted

from __future__ import annotations

import dataclasses
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from shopsync.reporting import tables as reporting_tables

from . import sql
from .base import (
    CheckResult,
    LoadResult,
    RunLoad,
    TableLoad,
    WarehouseError,
    backfill_error,
    backfills,
    batch_stages,
    cleanup_statements,
    columns_by_table,
    deletion_phases,
    epilogue_statements,
    last_loaded_by_tenant,
    prologue_statements,
    table_statements,
)
from .checks import (
    check_statements,
    checks_insert,
    evaluate_checks,
    load_outcome,
    load_queries,
    observations,
)
from .duckdb_import import duckdb

logger = logging.getLogger(__name__)


#: DuckDB's threads per statement while a batch's runs load :attr:`DuckDBWarehouse.concurrency`
#: at a time: a run's statements are small, and splitting each over every core as well only
#: makes the connections contend (``bench/bench_tenants.py``, 200 runs: 16 s of warehouse time
#: with DuckDB's default of a thread per core, 11.5-13 s with one).
CONCURRENT_THREADS = 1

#: The write-ahead log a load job's database instance lets grow before it checkpoints (DuckDB's
#: default: 16 MB). A checkpoint rewrites every row group a run touched since the last one, the
#: shared reporting tables' included: at the default, 200 small runs checkpointed ~10 times
#: (200-400 ms each, inside a run's COMMIT). The job's instance checkpoints once more when it
#: closes; a killed job's log is replayed by the next open, as any other. (``bench_tenants``:
#: 0.5-0.8 s less warehouse time per 200 runs.)
BATCH_CHECKPOINT = "1GB"


class DuckDBWarehouse:
    """Connections are opened per operation, so other processes can read between loads;
    inside :meth:`batch`, operations share one database instance (a connection each, from
    its ``cursor()``), so runs of different tenants load at once (:attr:`concurrency`)."""

    dialect = sql.DUCKDB
    #: Runs of different tenants a batch may load at once: each is a transaction of its own
    #: connection on its own schema (appends to the shared ops tables never conflict).
    concurrency = 2
    #: How long a writer waits for the processes reading the file to let it go.
    lock_wait_seconds = 5.0

    def __init__(self, path: Path | str, *, freshness_hours: float = 48.0) -> None:
        self.path = Path(path)
        self.freshness_hours = freshness_hours
        self._shared: duckdb.DuckDBPyConnection | None = None
        #: The batch tables staged (stage name -> its location) and each run's rows in them.
        self._staged: dict[str, str] = {}
        self._counts: dict[str, dict[tuple[str, str], int]] = {}
        self._stage_lock = threading.Lock()
        #: DuckDB's threads per statement in the batch's instance (``None``: its default).
        self._threads: int | None = None

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The operations inside share one database instance (the file is opened once, each
        operation takes a connection of it) and the batch's staged tables; each run is still
        its own transaction. The staged tables are dropped at the end."""
        if self._shared is not None:
            yield
            return
        with self._open() as con:
            con.execute(f"SET checkpoint_threshold = '{BATCH_CHECKPOINT}'")
            self._ensure_ops(con)
            self._shared, self._staged, self._counts = con, {}, {}
            try:
                yield
            finally:
                for statement in sql.drop_batch_stages(self._staged):
                    con.execute(statement)
                if self._threads is not None:
                    con.execute("RESET threads")
                self._shared, self._staged, self._counts = None, {}, {}
                self._threads = None

    @contextmanager
    def connect(
        self, *, read_only: bool = False, wait: float | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection; ``wait``: seconds to wait for another process's lock on the file
        (default: :attr:`lock_wait_seconds` for a writer, none for a reader)."""
        if self._shared is not None and not read_only:
            con = self._shared.cursor()
            try:
                con.execute("SET TimeZone = 'UTC'")
                yield con
            finally:
                con.close()
            return
        with self._open(read_only=read_only, wait=wait) as con:
            yield con

    @contextmanager
    def _open(
        self, *, read_only: bool = False, wait: float | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        if read_only and not self.path.exists():
            raise WarehouseError(f"no warehouse at {self.path} yet: run `shopsync load` first")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if wait is None:
            wait = 0.0 if read_only else self.lock_wait_seconds
        con = self._connect(read_only=read_only, wait=wait)
        try:
            con.execute("SET TimeZone = 'UTC'")
            yield con
        finally:
            con.close()

    def _connect(self, *, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
        """The file opened, waiting up to ``wait`` seconds while another process holds its
        lock (a writer waits out readers: ``shopsync status``, a dashboard request take
        milliseconds), then DuckDB's lock error (a load holds it for its whole job)."""
        deadline = time.monotonic() + wait
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                    raise
                time.sleep(0.1)

    def _ensure_ops(self, con: duckdb.DuckDBPyConnection) -> None:
        """The ops tables and the reporting tables (created, or brought from the union-view
        layout, in one transaction)."""
        if self._shared is not None and con is not self._shared:
            return  # done when the batch opened
        for statement in sql.ops_ddl(self.dialect):
            con.execute(statement)
        layout = columns_by_table(con.execute(reporting_tables.layout_query()).fetchall())
        if statements := reporting_tables.layout_statements(self.dialect, layout):
            self._transaction(con, statements)

    @staticmethod
    def _transaction(con: duckdb.DuckDBPyConnection, statements: Iterable[str]) -> None:
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in statements:
                con.execute(statement)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def prepare(self) -> list[str]:
        with self.connect() as con:
            self._ensure_ops(con)
            copies = backfills(
                con.execute(self.dialect.tenant_tables_query()).fetchall(),
                con.execute(reporting_tables.held_query()).fetchall(),
            )
            errors = []
            for tenant, statements in copies.items():
                try:
                    self._transaction(con, statements)
                except duckdb.Error as exc:
                    errors.append(backfill_error(tenant, exc))
        return errors

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

    def last_loaded_runs(self, tenant_id: str | None = None) -> dict[str, set[str]]:
        if not self.path.exists():
            return {}
        with self.connect() as con:
            self._ensure_ops(con)
            return last_loaded_by_tenant(con.execute(sql.last_loaded_query(tenant_id)).fetchall())

    def _existing_columns(
        self, con: duckdb.DuckDBPyConnection, tenant_id: str
    ) -> dict[str, list[str]]:
        return columns_by_table(con.execute(sql.columns_query(tenant_id)).fetchall())

    def load_run(
        self,
        run: RunLoad,
        *,
        loaded_at: datetime,
        arriving: Iterable[TableLoad] = (),
        checked_at: datetime | None = None,
    ) -> LoadResult:
        with self.connect() as con:
            self._ensure_ops(con)

            def execute(statements: Iterable[str]) -> None:
                for statement in statements:
                    try:
                        con.execute(statement)
                    except duckdb.Error as exc:
                        raise WarehouseError(f"load failed: {exc}", statement) from exc

            # A run of a batch of several: the batch's tables are staged once (committed
            # first, so every connection of the batch sees them) and each run reads its rows
            # there. A batch of one reads its files, as its tables arrive.
            staged = self._shared is not None and bool(run.tables)
            self._set_threads(con, CONCURRENT_THREADS if staged else None)
            if staged:
                self._stage_batch(con, run, list(run.tables), execute)
            con.execute("BEGIN TRANSACTION")
            try:
                state = con.execute(sql.run_state_query(run.tenant_id, run.run_id)).fetchone()
                done, recorded = state if state is not None else (0, None)
                if done > 0:
                    con.execute("ROLLBACK")
                    logger.info("run already loaded; skipped")
                    return LoadResult(run.tenant_id, run.run_id, skipped=True, rows={})
                existing = None
                if recorded != sql.layout_fingerprint():  # the DDL may have work to do
                    existing = self._existing_columns(con, run.tenant_id)
                execute(
                    prologue_statements(
                        self.dialect, run.tenant_id, existing_columns=existing, recorded=recorded
                    )
                )
                tables: list[TableLoad] = []
                empty: set[str] = set()
                # Each table merges as soon as it is written, while the job writes the next.
                for load in itertools.chain(run.tables, arriving):
                    on_stage = staged and load in run.tables
                    if on_stage and not load.complete_snapshot and not self._rows(load, run):
                        empty.add(load.table)  # nothing to stage or merge: 0 rows in the ledger
                    else:
                        phase = table_statements(self.dialect, run, load, staged=on_stage)
                        execute(phase.statements)
                    tables.append(load)
                for phase in deletion_phases(self.dialect, run, staged=staged):
                    execute(phase.statements)
                end = epilogue_statements(run, tables, loaded_at=loaded_at, empty=empty)
                execute(end.statements + cleanup_statements(run, tables))
                # Its rows and, when asked, its checks: read and recorded before it commits.
                loaded = dataclasses.replace(run, tables=tuple(tables))
                queries = load_queries(self.dialect, loaded, checked=checked_at is not None)
                found = {key: con.execute(query).fetchall() for key, query in queries.items()}
                result = load_outcome(
                    loaded, found, now=checked_at, freshness_hours=self.freshness_hours
                )
                if result.checks and checked_at is not None:
                    execute([checks_insert(result.checks, checked_at)])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        logger.info("run loaded: %s", result.rows)
        _log_failed(result.checks)
        return result

    def _set_threads(self, con: duckdb.DuckDBPyConnection, threads: int | None) -> None:
        """The instance's threads per statement: :data:`CONCURRENT_THREADS` while the runs of a
        batch of several load (they load :attr:`concurrency` at a time), DuckDB's default (every
        core) for a run loading alone (one large run's MERGE uses them all). A batch's runs
        all load before the next batch starts, so the setting never changes under a load."""
        with self._stage_lock:
            if self._shared is None or self._threads == threads:
                return
            con.execute("RESET threads" if threads is None else f"SET threads = {threads}")
            self._threads = threads

    def _stage_batch(
        self,
        con: duckdb.DuckDBPyConnection,
        run: RunLoad,
        tables: list[TableLoad],
        execute: Callable[[Iterable[str]], None],
    ) -> None:
        """Stage the batch tables ``tables`` (and the run's deletions) read, unless the batch
        has them staged already, and count each run's rows in them (outside any transaction:
        committed, the batch's other connections see them)."""
        with self._stage_lock:
            pending = batch_stages(self.dialect, run, tables, staged=self._staged)
            for stage, (location, statements) in pending.items():
                execute(statements)
                self._staged[stage] = location
                counted = con.execute(
                    f"SELECT _tenant_id, _run_id, COUNT(*) FROM {stage} GROUP BY ALL"
                ).fetchall()
                self._counts[stage] = {(str(t), str(r)): int(n) for t, r, n in counted}

    def _rows(self, load: TableLoad, run: RunLoad) -> int:
        """The run's rows in the staged batch table of ``load``."""
        with self._stage_lock:
            counts = self._counts.get(sql.batch_stage_name(self.dialect, load.table), {})
            return counts.get((run.tenant_id, run.run_id), 0)

    def refresh_reporting(self, rls: Sequence[tuple[str, str]]) -> None:
        with self.connect() as con:
            self._ensure_ops(con)
            stage, apply = reporting_tables.refresh_statements(self.dialect, rls)
            for statement in stage:
                con.execute(statement)
            self._transaction(con, apply)

    def run_checks(self, run: RunLoad, result: LoadResult, *, now: datetime) -> list[CheckResult]:
        with self.connect() as con:
            queries = check_statements(self.dialect, run)
            observed = observations({n: con.execute(q).fetchall() for n, q in queries.items()})
            checks = evaluate_checks(
                run, result, observed, now=now, freshness_hours=self.freshness_hours
            )
            if checks:
                con.execute(checks_insert(checks, now))
        _log_failed(checks)
        return checks


def _log_failed(checks: Iterable[CheckResult]) -> None:
    for check in checks:
        if not check.passed:
            logger.warning("check %s failed on %s: %s", check.name, check.table, check.detail)
