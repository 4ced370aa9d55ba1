"""SQLite specifics: the file itself, several stores and processes sharing it, lock errors."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shopsync.state import Cursor, RunStatus, StateError, TenantState
from shopsync.state.sqlite import SqliteStateStore

from .times import T0, TTL


def test_creates_parent_directories_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "state.sqlite"
    with SqliteStateStore(path) as store:
        store.record_dispatch("acme", "run-1", "incremental", T0)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"tenants", "streams", "bulk_operations"} <= tables


def test_timestamps_are_stored_as_fixed_width_utc_text(sqlite_store: SqliteStateStore) -> None:
    sqlite_store.record_dispatch("acme", "run-1", "incremental", T0)
    assert sqlite_store.acquire_lease("acme", "run-1", T0, TTL)
    with sqlite3.connect(sqlite_store.path) as conn:
        row = conn.execute(
            "SELECT last_dispatched_at, lease_expires_at FROM tenants WHERE tenant_id = 'acme'"
        ).fetchone()
    assert row == ("2026-03-01T12:00:00.000000Z", "2026-03-01T12:10:00.000000Z")


def test_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    with SqliteStateStore(path) as store:
        assert store.acquire_lease("acme", "run-1", T0, TTL)
        store.commit_run(
            "acme", "run-1", RunStatus.SUCCEEDED, T0, {"orders": Cursor(updated_at=T0)}
        )
    with SqliteStateStore(path) as store:
        assert store.get_tenant("acme").last_status is RunStatus.SUCCEEDED
        assert store.get_streams("acme")["orders"].cursor == Cursor(updated_at=T0)


def test_two_stores_on_one_file_race_for_the_lease(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    with SqliteStateStore(path) as first, SqliteStateStore(path) as second:
        stores = [first, second] * 4
        barrier = threading.Barrier(len(stores))

        def race(i: int) -> bool:
            barrier.wait()
            return stores[i].acquire_lease("acme", f"run-{i}", T0, TTL)

        with ThreadPoolExecutor(len(stores)) as pool:
            results = list(pool.map(race, range(len(stores))))

        assert results.count(True) == 1
        lease = second.get_tenant("acme").lease
        assert lease is not None
        assert lease.run_id == f"run-{results.index(True)}"
        assert first.get_tenant("acme") == second.get_tenant("acme")


def _acquire_in_process(path: str, run_id: str, start: threading.Barrier) -> bool:
    store = SqliteStateStore(Path(path))
    try:
        start.wait()
        return store.acquire_lease("acme", run_id, T0, TTL)
    finally:
        store.close()


def test_processes_race_for_the_lease(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    SqliteStateStore(path).close()  # schema first, so the race is about the lease alone
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        start = manager.Barrier(4)
        with ctx.Pool(4) as pool:
            results = pool.starmap(
                _acquire_in_process, [(str(path), f"run-{i}", start) for i in range(4)]
            )
    assert results.count(True) == 1
    with SqliteStateStore(path) as store:
        lease = store.get_tenant("acme").lease
    assert lease is not None
    assert lease.run_id == f"run-{results.index(True)}"


def test_a_write_blocked_past_the_timeout_is_a_state_error(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    with SqliteStateStore(path, timeout=0.1) as store:
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StateError, match="acme"):
                store.acquire_lease("acme", "run-1", T0, TTL)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        # The failed transaction left nothing behind and the store still works.
        assert store.get_tenant("acme") == TenantState(tenant_id="acme")
        assert store.acquire_lease("acme", "run-1", T0, TTL)


def test_a_closed_store_refuses_work(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "state.sqlite")
    store.get_tenant("acme")
    store.close()
    with pytest.raises(StateError, match="closed"):
        store.get_tenant("acme")


def test_unwritable_location_is_a_state_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StateError, match="cannot open"):
        SqliteStateStore(blocker / "state.sqlite")


def test_get_tenants_over_a_thousand_tenants(sqlite_store: SqliteStateStore) -> None:
    ids = [f"shop-{i:04d}" for i in range(1_000)]
    for tenant_id in ids[::3]:
        sqlite_store.record_dispatch(tenant_id, "run-1", "incremental", T0)
    states = sqlite_store.get_tenants(ids)
    assert len(states) == 1_000
    assert sum(s.last_run_id is not None for s in states.values()) == len(ids[::3])


def test_a_state_file_of_an_earlier_version_gains_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE tenants (tenant_id TEXT PRIMARY KEY NOT NULL, last_run_id TEXT, "
        "last_mode TEXT, last_dispatched_at TEXT, last_started_at TEXT, last_finished_at TEXT, "
        "last_status TEXT, last_error TEXT, lease_run_id TEXT, lease_acquired_at TEXT, "
        "lease_expires_at TEXT) WITHOUT ROWID"
    )
    conn.execute("INSERT INTO tenants (tenant_id, last_run_id) VALUES ('acme', 'run-0')")
    conn.commit()
    conn.close()
    with SqliteStateStore(path) as store:
        assert store.get_tenant("acme").last_run_id == "run-0"
        store.record_run_failed("acme", "run-1", datetime.now(UTC), "boom", points=7)
        assert store.get_tenant("acme").last_points == 7
