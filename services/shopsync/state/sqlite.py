"""Local sync state in one SQLite file (``$SHOPSYNC_HOME/state.sqlite``).

Safe from many threads and from several ``shopsync`` processes sharing the file: the database
runs in WAL mode (readers never block), every operation uses its own pooled connection, and
every write is one ``BEGIN IMMEDIATE`` transaction, so a lease condition checked inside it still
holds when the transaction commits, whichever process wins the race.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType

from ._records import (
    BULK_FIELDS,
    STREAM_FIELDS,
    TENANT_FIELDS,
    bulk_from_fields,
    bulk_to_fields,
    lease_expiry,
    points_field,
    stream_commit_fields,
    stream_from_fields,
    tenant_from_fields,
    to_iso,
    truncate_error,
)
from .base import (
    BulkOperationRecord,
    Cursor,
    LeaseLostError,
    RunStatus,
    StateError,
    StreamState,
    TenantState,
)

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS tenants (
        tenant_id TEXT PRIMARY KEY NOT NULL,
        last_run_id TEXT, last_mode TEXT, last_dispatched_at TEXT, last_started_at TEXT,
        last_finished_at TEXT, last_status TEXT, last_error TEXT, last_points TEXT,
        lease_run_id TEXT, lease_acquired_at TEXT, lease_expires_at TEXT
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS streams (
        tenant_id TEXT NOT NULL, stream TEXT NOT NULL,
        cursor_updated_at TEXT, cursor_last_id TEXT, last_run_id TEXT, last_status TEXT,
        PRIMARY KEY (tenant_id, stream)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS bulk_operations (
        tenant_id TEXT NOT NULL, stream TEXT NOT NULL, operation_id TEXT NOT NULL,
        run_id TEXT NOT NULL, window_from TEXT, window_to TEXT, started_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, stream, operation_id)
    ) WITHOUT ROWID""",
)
_TENANT_COLUMNS = ", ".join(TENANT_FIELDS)
#: Columns later versions added to ``tenants``: a state file of an earlier one gains them.
_ADDED_TENANT_COLUMNS = {"last_points": "TEXT"}
_STREAM_COLUMNS = ", ".join(STREAM_FIELDS)
_BULK_COLUMNS = ", ".join(BULK_FIELDS)
_IN_CHUNK = 500  # ids per ``IN (...)``; far below SQLite's bound-parameter limit

# Upserts of the run fields: an unknown tenant gets a row, a known one keeps its lease.
_RECORD_DISPATCH = """
    INSERT INTO tenants (tenant_id, last_run_id, last_mode, last_dispatched_at, last_status)
    VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (tenant_id) DO UPDATE SET last_run_id = excluded.last_run_id,
        last_mode = excluded.last_mode, last_dispatched_at = excluded.last_dispatched_at,
        last_status = excluded.last_status, last_error = NULL, last_points = NULL"""
_RECORD_STARTED = """
    INSERT INTO tenants (tenant_id, last_run_id, last_mode, last_started_at, last_status)
    VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (tenant_id) DO UPDATE SET last_run_id = excluded.last_run_id,
        last_mode = excluded.last_mode, last_started_at = excluded.last_started_at,
        last_status = excluded.last_status, last_error = NULL, last_points = NULL"""
_RECORD_FAILED = """
    INSERT INTO tenants (tenant_id, last_run_id, last_finished_at, last_status, last_error,
        last_points)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (tenant_id) DO UPDATE SET last_run_id = excluded.last_run_id,
        last_finished_at = excluded.last_finished_at, last_status = excluded.last_status,
        last_error = excluded.last_error, last_points = excluded.last_points"""
_ACQUIRE = """
    INSERT INTO tenants (tenant_id, lease_run_id, lease_acquired_at, lease_expires_at)
    VALUES (?, ?, ?, ?)
    ON CONFLICT (tenant_id) DO UPDATE SET lease_run_id = excluded.lease_run_id,
        lease_acquired_at = excluded.lease_acquired_at,
        lease_expires_at = excluded.lease_expires_at
    WHERE lease_run_id IS NULL OR lease_expires_at <= excluded.lease_acquired_at
        OR lease_run_id = excluded.lease_run_id"""
_RENEW = "UPDATE tenants SET lease_expires_at = ? WHERE tenant_id = ? AND lease_run_id = ?"
_RELEASE = """
    UPDATE tenants SET lease_run_id = NULL, lease_acquired_at = NULL, lease_expires_at = NULL
    WHERE tenant_id = ? AND lease_run_id = ?"""
_COMMIT_TENANT = """
    UPDATE tenants SET last_run_id = ?, last_status = ?, last_finished_at = ?, last_error = NULL,
        last_points = ?
    WHERE tenant_id = ? AND lease_run_id = ?"""
_COMMIT_STREAM = """
    INSERT INTO streams (tenant_id, stream, cursor_updated_at, cursor_last_id, last_run_id,
        last_status)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (tenant_id, stream) DO UPDATE SET cursor_updated_at = excluded.cursor_updated_at,
        cursor_last_id = excluded.cursor_last_id, last_run_id = excluded.last_run_id,
        last_status = excluded.last_status"""
_PUT_BULK = f"""
    INSERT OR REPLACE INTO bulk_operations (tenant_id, stream, operation_id, {_BULK_COLUMNS})
    VALUES (?, ?, ?, ?, ?, ?, ?)"""  # noqa: S608 - column names are constants


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    have = {row[1] for row in conn.execute("PRAGMA table_info(tenants)")}
    for column, kind in _ADDED_TENANT_COLUMNS.items():
        if column not in have:
            conn.execute(f"ALTER TABLE tenants ADD COLUMN {column} {kind}")


class SqliteStateStore:
    """:class:`~shopsync.state.base.StateStore` over a local SQLite file."""

    def __init__(self, path: Path, *, timeout: float = 30.0) -> None:
        """``timeout``: seconds a write waits for another connection's write lock."""
        self._path = Path(path)
        self._timeout = timeout
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._closed = False
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with self._write("(schema)") as conn:
                for statement in _SCHEMA:
                    conn.execute(statement)
                _add_missing_columns(conn)
        except OSError as exc:
            raise StateError(f"cannot open state database {self._path}: {exc}") from exc

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        """Close the pooled connections; connections in use close when they come back."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def __enter__(self) -> SqliteStateStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- connections -----------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self._path, timeout=self._timeout, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    @contextmanager
    def _connection(self, tenant_id: str) -> Iterator[sqlite3.Connection]:
        """A connection used by one thread at a time, taken from the pool and given back."""
        with self._lock:
            if self._closed:
                raise StateError(f"state store {self._path} is closed (tenant {tenant_id!r})")
            conn = self._idle.pop() if self._idle else None
        try:
            if conn is None:
                conn = self._open()
            yield conn
        except sqlite3.Error as exc:
            raise StateError(f"state database error for tenant {tenant_id!r}: {exc}") from exc
        finally:
            if conn is not None:
                with self._lock:
                    keep = not self._closed and not conn.in_transaction
                    if keep:
                        self._idle.append(conn)
                if not keep:
                    conn.close()

    @contextmanager
    def _write(self, tenant_id: str) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction: committed on success, rolled back on error."""
        with self._connection(tenant_id) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # -- tenants ---------------------------------------------------------------------------

    def get_tenant(self, tenant_id: str) -> TenantState:
        return self.get_tenants([tenant_id])[tenant_id]

    def get_tenants(self, tenant_ids: Sequence[str]) -> dict[str, TenantState]:
        ids = list(dict.fromkeys(tenant_ids))
        if not ids:
            return {}
        found: dict[str, TenantState] = {}
        with self._connection(ids[0] if len(ids) == 1 else f"({len(ids)} tenants)") as conn:
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                marks = ", ".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT tenant_id, {_TENANT_COLUMNS} FROM tenants "  # noqa: S608 - constants
                    f"WHERE tenant_id IN ({marks})",
                    chunk,
                )
                for tenant_id, *values in rows:
                    found[tenant_id] = tenant_from_fields(
                        tenant_id, dict(zip(TENANT_FIELDS, values, strict=True))
                    )
        return {t: found.get(t) or TenantState(tenant_id=t) for t in ids}

    def record_dispatch(self, tenant_id: str, run_id: str, mode: str, at: datetime) -> None:
        params = (tenant_id, run_id, mode, to_iso(at), RunStatus.DISPATCHED.value)
        with self._write(tenant_id) as conn:
            conn.execute(_RECORD_DISPATCH, params)

    def record_run_started(self, tenant_id: str, run_id: str, mode: str, at: datetime) -> None:
        params = (tenant_id, run_id, mode, to_iso(at), RunStatus.RUNNING.value)
        with self._write(tenant_id) as conn:
            conn.execute(_RECORD_STARTED, params)

    def record_run_failed(
        self,
        tenant_id: str,
        run_id: str,
        finished_at: datetime,
        error: str,
        *,
        points: float | None = None,
    ) -> None:
        params = (
            tenant_id,
            run_id,
            to_iso(finished_at),
            RunStatus.FAILED.value,
            truncate_error(error),
            points_field(points),
        )
        with self._write(tenant_id) as conn:
            conn.execute(_RECORD_FAILED, params)
            conn.execute(_RELEASE, (tenant_id, run_id))

    # -- lease -----------------------------------------------------------------------------

    def acquire_lease(self, tenant_id: str, run_id: str, now: datetime, ttl: timedelta) -> bool:
        params = (tenant_id, run_id, to_iso(now), lease_expiry(now, ttl))
        with self._write(tenant_id) as conn:
            return conn.execute(_ACQUIRE, params).rowcount == 1

    def renew_lease(self, tenant_id: str, run_id: str, now: datetime, ttl: timedelta) -> None:
        params = (lease_expiry(now, ttl), tenant_id, run_id)
        with self._write(tenant_id) as conn:
            if conn.execute(_RENEW, params).rowcount != 1:
                raise LeaseLostError(f"run {run_id!r} does not hold the lease of {tenant_id!r}")

    def release_lease(self, tenant_id: str, run_id: str) -> None:
        with self._write(tenant_id) as conn:
            conn.execute(_RELEASE, (tenant_id, run_id))

    # -- streams ---------------------------------------------------------------------------

    def get_streams(self, tenant_id: str) -> dict[str, StreamState]:
        with self._connection(tenant_id) as conn:
            rows = conn.execute(
                f"SELECT stream, {_STREAM_COLUMNS} FROM streams "  # noqa: S608 - constants
                "WHERE tenant_id = ? ORDER BY stream",
                (tenant_id,),
            ).fetchall()
        return {
            stream: stream_from_fields(
                tenant_id, stream, dict(zip(STREAM_FIELDS, values, strict=True))
            )
            for stream, *values in rows
        }

    def commit_run(
        self,
        tenant_id: str,
        run_id: str,
        status: RunStatus,
        finished_at: datetime,
        cursors: Mapping[str, Cursor],
        *,
        release: bool = True,
        points: float | None = None,
    ) -> None:
        tenant_params = (
            run_id,
            status.value,
            to_iso(finished_at),
            points_field(points),
            tenant_id,
            run_id,
        )
        stream_params = [
            (tenant_id, stream, *stream_commit_fields(cursor, run_id, status).values())
            for stream, cursor in cursors.items()
        ]
        with self._write(tenant_id) as conn:
            if conn.execute(_COMMIT_TENANT, tenant_params).rowcount != 1:
                raise LeaseLostError(
                    f"run {run_id!r} does not hold the lease of {tenant_id!r}; nothing committed"
                )
            conn.executemany(_COMMIT_STREAM, stream_params)
            if release:
                conn.execute(_RELEASE, (tenant_id, run_id))

    # -- bulk operations -------------------------------------------------------------------

    def put_bulk_operation(self, record: BulkOperationRecord) -> None:
        key = (record.tenant_id, record.stream, record.operation_id)
        with self._write(record.tenant_id) as conn:
            conn.execute(_PUT_BULK, (*key, *bulk_to_fields(record).values()))

    def list_bulk_operations(self, tenant_id: str) -> list[BulkOperationRecord]:
        with self._connection(tenant_id) as conn:
            rows = conn.execute(
                f"SELECT stream, operation_id, {_BULK_COLUMNS} FROM bulk_operations "  # noqa: S608
                "WHERE tenant_id = ? ORDER BY started_at, stream, operation_id",
                (tenant_id,),
            ).fetchall()
        return [
            bulk_from_fields(tenant_id, stream, op_id, dict(zip(BULK_FIELDS, values, strict=True)))
            for stream, op_id, *values in rows
        ]

    def delete_bulk_operation(self, tenant_id: str, stream: str, operation_id: str) -> None:
        with self._write(tenant_id) as conn:
            conn.execute(
                "DELETE FROM bulk_operations"
                " WHERE tenant_id = ? AND stream = ? AND operation_id = ?",
                (tenant_id, stream, operation_id),
            )
