"""The StateStore contract: every test runs against SQLite and DynamoDB (moto) alike."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest

from shopsync.state import (
    BulkOperationRecord,
    Cursor,
    Lease,
    LeaseLostError,
    RunStatus,
    StateStore,
    StreamState,
    TenantState,
)

from .times import T0, TTL

C1 = Cursor(updated_at=T0 - timedelta(hours=2), last_id="gid://shopify/Order/1")
C2 = Cursor(updated_at=T0 - timedelta(hours=1), last_id="gid://shopify/Order/2")


def snapshot(store: StateStore, tenant_id: str) -> tuple[TenantState, dict[str, StreamState]]:
    return store.get_tenant(tenant_id), store.get_streams(tenant_id)


def started(store: StateStore, tenant_id: str, run_id: str, at: datetime = T0) -> None:
    store.record_run_started(tenant_id, run_id, "incremental", at)
    assert store.acquire_lease(tenant_id, run_id, at, TTL)


# -- reads of unknown tenants -------------------------------------------------------------


def test_unknown_tenant_is_empty(store: StateStore) -> None:
    assert store.get_tenant("nobody") == TenantState(tenant_id="nobody")
    assert store.get_streams("nobody") == {}
    assert store.list_bulk_operations("nobody") == []


def test_get_tenants_returns_one_entry_per_id_across_batches(store: StateStore) -> None:
    ids = [f"shop-{i:03d}" for i in range(250)]
    known = ids[::7]
    for tenant_id in known:
        store.record_dispatch(tenant_id, f"run-{tenant_id}", "incremental", T0)

    states = store.get_tenants([*ids, ids[0], ids[-1]])  # duplicates are collapsed

    assert list(states) == ids
    assert all(states[t].tenant_id == t for t in ids)
    assert {t for t, s in states.items() if s.last_run_id is not None} == set(known)
    assert all(states[t].last_run_id == f"run-{t}" for t in known)
    assert states[ids[1]] == TenantState(tenant_id=ids[1])


def test_get_tenants_of_nothing_is_empty(store: StateStore) -> None:
    assert store.get_tenants([]) == {}


# -- run records --------------------------------------------------------------------------


def test_record_dispatch_sets_run_fields_and_clears_the_error(store: StateStore) -> None:
    store.record_run_failed("acme", "run-0", T0 - timedelta(hours=1), "boom")
    store.record_dispatch("acme", "run-1", "backfill", T0)

    state = store.get_tenant("acme")
    assert state.last_run_id == "run-1"
    assert state.last_mode == "backfill"
    assert state.last_dispatched_at == T0
    assert state.last_status is RunStatus.DISPATCHED
    assert state.last_error is None
    assert state.last_activity_at == T0
    assert state.lease is None


def test_record_run_started_sets_running_and_keeps_the_dispatch_time(store: StateStore) -> None:
    store.record_dispatch("acme", "run-1", "incremental", T0)
    store.record_run_started("acme", "run-1", "incremental", T0 + timedelta(seconds=5))

    state = store.get_tenant("acme")
    assert state.last_status is RunStatus.RUNNING
    assert state.last_started_at == T0 + timedelta(seconds=5)
    assert state.last_dispatched_at == T0
    assert state.last_run_id == "run-1"
    assert state.last_activity_at == T0 + timedelta(seconds=5)


def test_datetimes_come_back_as_aware_utc(store: StateStore) -> None:
    paris = timezone(timedelta(hours=2))
    at = datetime(2026, 3, 1, 14, 30, 15, 123456, tzinfo=paris)
    store.record_dispatch("acme", "run-1", "incremental", at)

    dispatched = store.get_tenant("acme").last_dispatched_at
    assert dispatched == at
    assert dispatched is not None
    assert dispatched.tzinfo == UTC
    assert dispatched.hour == 12
    assert dispatched.microsecond == 123456


def test_naive_datetimes_are_rejected(store: StateStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.record_dispatch("acme", "run-1", "incremental", datetime(2026, 3, 1, 12))
    assert store.get_tenant("acme") == TenantState(tenant_id="acme")


# -- lease --------------------------------------------------------------------------------


def test_free_lease_is_acquired(store: StateStore) -> None:
    assert store.acquire_lease("acme", "run-1", T0, TTL)
    assert store.get_tenant("acme").lease == Lease(
        run_id="run-1", acquired_at=T0, expires_at=T0 + TTL
    )


def test_lease_held_by_another_unexpired_run_is_refused(store: StateStore) -> None:
    assert store.acquire_lease("acme", "run-1", T0, TTL)
    assert not store.acquire_lease("acme", "run-2", T0 + TTL - timedelta(microseconds=1), TTL)
    assert store.get_tenant("acme").lease == Lease(
        run_id="run-1", acquired_at=T0, expires_at=T0 + TTL
    )


@pytest.mark.parametrize("after_expiry", [timedelta(0), timedelta(seconds=1), timedelta(days=3)])
def test_expired_lease_is_taken_over(store: StateStore, after_expiry: timedelta) -> None:
    assert store.acquire_lease("acme", "run-1", T0, TTL)
    later = T0 + TTL + after_expiry
    assert store.acquire_lease("acme", "run-2", later, TTL)
    assert store.get_tenant("acme").lease == Lease(
        run_id="run-2", acquired_at=later, expires_at=later + TTL
    )


def test_lease_is_reentrant_and_extends(store: StateStore) -> None:
    assert store.acquire_lease("acme", "run-1", T0, TTL)
    assert store.acquire_lease("acme", "run-1", T0 + timedelta(minutes=5), TTL)
    lease = store.get_tenant("acme").lease
    assert lease is not None
    assert lease.run_id == "run-1"
    assert lease.expires_at == T0 + timedelta(minutes=5) + TTL


def test_acquire_keeps_the_run_fields(store: StateStore) -> None:
    store.record_dispatch("acme", "run-1", "incremental", T0)
    assert store.acquire_lease("acme", "run-1", T0, TTL)
    state = store.get_tenant("acme")
    assert (state.last_run_id, state.last_status) == ("run-1", RunStatus.DISPATCHED)


def test_renew_extends_the_holders_lease(store: StateStore) -> None:
    assert store.acquire_lease("acme", "run-1", T0, TTL)
    store.renew_lease("acme", "run-1", T0 + timedelta(minutes=8), TTL)
    assert store.get_tenant("acme").lease == Lease(
        run_id="run-1", acquired_at=T0, expires_at=T0 + timedelta(minutes=8) + TTL
    )


def test_renew_by_another_run_raises_and_changes_nothing(store: StateStore) -> None:
    assert store.acquire_lease("acme", "run-1", T0, TTL)
    before = store.get_tenant("acme")
    with pytest.raises(LeaseLostError):
        store.renew_lease("acme", "run-2", T0, TTL)
    with pytest.raises(LeaseLostError):
        store.renew_lease("unknown", "run-1", T0, TTL)
    assert store.get_tenant("acme") == before


def test_renew_after_takeover_raises(store: StateStore) -> None:
    assert store.acquire_lease("acme", "run-1", T0, TTL)
    assert store.acquire_lease("acme", "run-2", T0 + 2 * TTL, TTL)
    with pytest.raises(LeaseLostError):
        store.renew_lease("acme", "run-1", T0 + 2 * TTL, TTL)


def test_release_by_the_holder_frees_the_lease(store: StateStore) -> None:
    assert store.acquire_lease("acme", "run-1", T0, TTL)
    store.release_lease("acme", "run-1")
    assert store.get_tenant("acme").lease is None
    assert store.acquire_lease("acme", "run-2", T0, TTL)


def test_release_by_another_run_is_a_no_op(store: StateStore) -> None:
    assert store.acquire_lease("acme", "run-1", T0, TTL)
    store.release_lease("acme", "run-2")
    lease = store.get_tenant("acme").lease
    assert lease is not None
    assert lease.run_id == "run-1"
    store.release_lease("unknown", "run-1")
    assert store.get_tenant("unknown") == TenantState(tenant_id="unknown")


@pytest.mark.parametrize("ttl", [timedelta(0), timedelta(seconds=-1)])
def test_non_positive_ttl_is_rejected(store: StateStore, ttl: timedelta) -> None:
    with pytest.raises(ValueError, match="ttl"):
        store.acquire_lease("acme", "run-1", T0, ttl)
    assert store.get_tenant("acme").lease is None


def test_racing_threads_one_wins_the_lease(store: StateStore) -> None:
    runs = [f"run-{i}" for i in range(8)]
    barrier = threading.Barrier(len(runs))

    def race(run_id: str) -> bool:
        barrier.wait()
        return store.acquire_lease("acme", run_id, T0, TTL)

    with ThreadPoolExecutor(len(runs)) as pool:
        results = dict(zip(runs, pool.map(race, runs), strict=True))

    winners = [run for run, won in results.items() if won]
    assert len(winners) == 1
    lease = store.get_tenant("acme").lease
    assert lease is not None
    assert lease.run_id == winners[0]


def test_many_tenants_from_a_thread_pool(store: StateStore) -> None:
    tenants = [f"shop-{i}" for i in range(16)]

    def run(tenant_id: str) -> None:
        store.record_dispatch(tenant_id, f"run-{tenant_id}", "incremental", T0)
        started(store, tenant_id, f"run-{tenant_id}")
        store.commit_run(
            tenant_id, f"run-{tenant_id}", RunStatus.SUCCEEDED, T0 + TTL, {"orders": C1}
        )

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(run, tenants))

    states = store.get_tenants(tenants)
    assert all(s.last_status is RunStatus.SUCCEEDED and s.lease is None for s in states.values())
    assert all(store.get_streams(t)["orders"].cursor == C1 for t in tenants)


# -- commit -------------------------------------------------------------------------------


def test_commit_advances_cursors_records_status_and_releases(store: StateStore) -> None:
    started(store, "acme", "run-1")
    store.commit_run(
        "acme",
        "run-1",
        RunStatus.SUCCEEDED,
        T0 + timedelta(minutes=3),
        {"orders": C1, "products": C2},
    )

    state = store.get_tenant("acme")
    assert state.last_status is RunStatus.SUCCEEDED
    assert state.last_finished_at == T0 + timedelta(minutes=3)
    assert state.last_run_id == "run-1"
    assert state.last_started_at == T0
    assert state.lease is None
    assert store.get_streams("acme") == {
        "orders": StreamState(
            tenant_id="acme",
            stream="orders",
            cursor=C1,
            last_run_id="run-1",
            last_status=RunStatus.SUCCEEDED,
        ),
        "products": StreamState(
            tenant_id="acme",
            stream="products",
            cursor=C2,
            last_run_id="run-1",
            last_status=RunStatus.SUCCEEDED,
        ),
    }


def test_commit_clears_an_error_left_by_a_stale_run(store: StateStore) -> None:
    started(store, "acme", "run-2")
    store.record_run_failed("acme", "run-1", T0, "stale worker gave up")
    store.commit_run("acme", "run-2", RunStatus.SUCCEEDED, T0 + TTL, {"orders": C1})
    state = store.get_tenant("acme")
    assert (state.last_run_id, state.last_status, state.last_error) == (
        "run-2",
        RunStatus.SUCCEEDED,
        None,
    )


def test_commit_without_release_keeps_the_lease(store: StateStore) -> None:
    started(store, "acme", "run-1")
    store.commit_run("acme", "run-1", RunStatus.PARTIAL, T0, {"orders": C1}, release=False)
    lease = store.get_tenant("acme").lease
    assert lease is not None
    assert lease.run_id == "run-1"
    assert store.get_tenant("acme").last_status is RunStatus.PARTIAL
    store.commit_run("acme", "run-1", RunStatus.SUCCEEDED, T0, {"orders": C2})
    assert store.get_streams("acme")["orders"].cursor == C2
    assert store.get_tenant("acme").lease is None


def test_commit_leaves_other_streams_alone(store: StateStore) -> None:
    started(store, "acme", "run-1")
    store.commit_run("acme", "run-1", RunStatus.SUCCEEDED, T0, {"orders": C1, "products": C1})
    started(store, "acme", "run-2", T0 + timedelta(hours=1))
    no_last_id = Cursor(updated_at=T0)
    store.commit_run("acme", "run-2", RunStatus.SUCCEEDED, T0, {"orders": no_last_id})

    streams = store.get_streams("acme")
    assert streams["orders"].cursor == no_last_id  # last_id cleared, not left behind
    assert streams["orders"].last_run_id == "run-2"
    assert streams["products"].cursor == C1
    assert streams["products"].last_run_id == "run-1"


def test_commit_without_ever_holding_the_lease_writes_nothing(store: StateStore) -> None:
    store.record_run_started("acme", "run-1", "incremental", T0)
    before = snapshot(store, "acme")
    with pytest.raises(LeaseLostError):
        store.commit_run("acme", "run-1", RunStatus.SUCCEEDED, T0, {"orders": C1})
    with pytest.raises(LeaseLostError):
        store.commit_run("unknown", "run-1", RunStatus.SUCCEEDED, T0, {"orders": C1})
    assert snapshot(store, "acme") == before
    assert snapshot(store, "unknown") == (TenantState(tenant_id="unknown"), {})


def test_commit_after_the_lease_was_taken_over_raises_and_writes_nothing(
    store: StateStore,
) -> None:
    started(store, "acme", "run-1")
    store.commit_run("acme", "run-1", RunStatus.PARTIAL, T0, {"orders": C1}, release=False)
    # run-1 stalls past its expiry; run-2 takes the tenant over.
    later = T0 + TTL + timedelta(seconds=1)
    started(store, "acme", "run-2", later)
    before = snapshot(store, "acme")

    with pytest.raises(LeaseLostError):
        store.commit_run("acme", "run-1", RunStatus.SUCCEEDED, later, {"orders": C2, "new": C2})

    assert snapshot(store, "acme") == before
    assert store.get_streams("acme")["orders"].cursor == C1
    lease = store.get_tenant("acme").lease
    assert lease is not None
    assert lease.run_id == "run-2"


def test_commit_with_an_expired_lease_nobody_took_succeeds(store: StateStore) -> None:
    started(store, "acme", "run-1")
    store.commit_run("acme", "run-1", RunStatus.SUCCEEDED, T0 + 5 * TTL, {"orders": C1})
    assert store.get_streams("acme")["orders"].cursor == C1
    assert store.get_tenant("acme").lease is None


def test_commit_after_release_raises(store: StateStore) -> None:
    started(store, "acme", "run-1")
    store.release_lease("acme", "run-1")
    with pytest.raises(LeaseLostError):
        store.commit_run("acme", "run-1", RunStatus.SUCCEEDED, T0, {"orders": C1})
    assert store.get_streams("acme") == {}


# -- failures -----------------------------------------------------------------------------


def test_record_run_failed_records_the_error_and_releases(store: StateStore) -> None:
    started(store, "acme", "run-1")
    store.commit_run("acme", "run-1", RunStatus.PARTIAL, T0, {"orders": C1}, release=False)
    store.record_run_failed("acme", "run-1", T0 + timedelta(minutes=2), "HTTP 401 after refresh")

    state = store.get_tenant("acme")
    assert state.last_status is RunStatus.FAILED
    assert state.last_error == "HTTP 401 after refresh"
    assert state.last_finished_at == T0 + timedelta(minutes=2)
    assert state.lease is None
    assert store.get_streams("acme")["orders"].cursor == C1


def test_record_run_failed_leaves_another_runs_lease(store: StateStore) -> None:
    started(store, "acme", "run-2")
    store.record_run_failed("acme", "run-1", T0, "stale worker")
    state = store.get_tenant("acme")
    assert state.last_status is RunStatus.FAILED
    assert state.lease is not None
    assert state.lease.run_id == "run-2"


def test_record_run_failed_truncates_long_errors(store: StateStore) -> None:
    store.record_run_failed("acme", "run-1", T0, "x" * 10_000)
    error = store.get_tenant("acme").last_error
    assert error is not None
    assert len(error) == 2_000
    assert error.startswith("x" * 1_999)


# -- bulk operations ----------------------------------------------------------------------


def bulk(tenant_id: str, stream: str, op: str, minutes: int) -> BulkOperationRecord:
    return BulkOperationRecord(
        tenant_id=tenant_id,
        stream=stream,
        operation_id=f"gid://shopify/BulkOperation/{op}",
        run_id="run-1",
        window_from=T0 - timedelta(days=30) if op != "3" else None,
        window_to=T0 if op != "3" else None,
        started_at=T0 + timedelta(minutes=minutes),
    )


def test_bulk_operations_put_list_sorted_and_delete(store: StateStore) -> None:
    late, early, middle = (
        bulk("acme", "orders", "1", 9),
        bulk("acme", "products", "2", 1),
        bulk("acme", "orders", "3", 5),
    )
    for record in (late, early, middle):
        store.put_bulk_operation(record)

    assert store.list_bulk_operations("acme") == [early, middle, late]

    store.delete_bulk_operation("acme", "orders", late.operation_id)
    store.delete_bulk_operation("acme", "orders", "gid://shopify/BulkOperation/404")
    assert store.list_bulk_operations("acme") == [early, middle]


def test_bulk_operation_put_twice_overwrites(store: StateStore) -> None:
    store.put_bulk_operation(bulk("acme", "orders", "1", 1))
    replaced = bulk("acme", "orders", "1", 2).model_copy(update={"run_id": "run-2"})
    store.put_bulk_operation(replaced)
    assert store.list_bulk_operations("acme") == [replaced]


# -- isolation ----------------------------------------------------------------------------


def test_look_alike_tenants_are_isolated(store: StateStore) -> None:
    started(store, "acme", "run-1")
    store.commit_run("acme", "run-1", RunStatus.SUCCEEDED, T0, {"orders": C1}, release=False)
    store.put_bulk_operation(bulk("acme", "orders", "1", 1))

    assert store.get_tenant("acme_corp") == TenantState(tenant_id="acme_corp")
    assert store.get_streams("acme_corp") == {}
    assert store.list_bulk_operations("acme_corp") == []
    assert store.list_bulk_operations("acm") == []
    assert store.acquire_lease("acme_corp", "run-9", T0, TTL)
    store.release_lease("acme_corp", "run-1")
    lease = store.get_tenant("acme").lease
    assert lease is not None
    assert lease.run_id == "run-1"
    store.delete_bulk_operation("acme_corp", "orders", "gid://shopify/BulkOperation/1")
    assert len(store.list_bulk_operations("acme")) == 1


def test_the_points_a_run_used_are_kept_until_the_next_run_starts(store: StateStore) -> None:
    started(store, "acme", "run-1")
    store.commit_run("acme", "run-1", RunStatus.SUCCEEDED, T0, {"orders": C1}, points=1234.4)
    assert store.get_tenant("acme").last_points == 1234
    started(store, "acme", "run-2")
    assert store.get_tenant("acme").last_points is None  # belongs to run-1, not run-2
    store.record_run_failed("acme", "run-2", T0 + TTL, "HTTP 401", points=52)
    assert store.get_tenant("acme").last_points == 52
