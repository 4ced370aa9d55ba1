"""One scheduler tick: who is due, who is skipped and why, and that no tenant stops the others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from shopsync.schedule.service import Adapters, tick
from shopsync.schedule.tick import run_tick
from shopsync.settings import Settings
from shopsync.state import RunStatus, TenantState
from shopsync.state.sqlite import SqliteStateStore
from tests.support.fanout import RecordingInvoker
from tests.support.tenants import make_tenant

NOW = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)


def test_a_tenant_that_never_ran_is_invoked_with_a_validated_payload(
    state: SqliteStateStore, invoker: RecordingInvoker
) -> None:
    tenant = make_tenant("acme_outdoor", streams=["orders", "products"])

    summary = run_tick([tenant], state, invoker, NOW)

    assert summary.due == ["acme_outdoor"]
    assert list(summary.invoked) == ["acme_outdoor"]
    [payload] = invoker.payloads
    assert payload.model_dump(mode="json") == {
        "tenant_id": "acme_outdoor",
        "run_id": summary.invoked["acme_outdoor"],
        "mode": "incremental",
        "streams": ["products", "orders"],
        "since": None,
    }
    assert payload.run_id.startswith("20260131T100000Z-")
    recorded = state.get_tenant("acme_outdoor")
    assert recorded.last_status is RunStatus.DISPATCHED
    assert recorded.last_run_id == payload.run_id
    assert recorded.last_dispatched_at == NOW


def test_the_same_tick_twice_dispatches_once(
    state: SqliteStateStore, invoker: RecordingInvoker
) -> None:
    tenants = [
        make_tenant("acme_outdoor"),
        make_tenant("bluebird_books", schedule="cron(0/15 * * * ? *)"),
    ]
    run_tick(tenants, state, invoker, NOW)
    again = run_tick(tenants, state, invoker, NOW + timedelta(seconds=30))
    assert invoker.tenants == ["acme_outdoor", "bluebird_books"]
    assert again.invoked == {}
    assert again.not_due == 2


def test_disabled_tenants_are_skipped_with_the_reason(
    state: SqliteStateStore, invoker: RecordingInvoker
) -> None:
    summary = run_tick([make_tenant("paused_shop", enabled=False)], state, invoker, NOW)
    assert summary.skipped == {"paused_shop": "disabled"}
    assert invoker.payloads == []
    assert state.get_tenant("paused_shop") == TenantState(tenant_id="paused_shop")


def test_a_due_tenant_whose_run_is_in_progress_is_skipped_until_its_lease_expires(
    state: SqliteStateStore, invoker: RecordingInvoker
) -> None:
    tenant = make_tenant("acme_outdoor", schedule="rate(5 minutes)")
    assert state.acquire_lease(
        "acme_outdoor", "20260131T094000Z-00000001", NOW, timedelta(minutes=16)
    )

    held = run_tick([tenant], state, invoker, NOW + timedelta(minutes=10))
    assert held.due == ["acme_outdoor"]
    assert "run 20260131T094000Z-00000001 in progress" in held.skipped["acme_outdoor"]
    assert invoker.payloads == []

    expired = run_tick([tenant], state, invoker, NOW + timedelta(minutes=17))
    assert list(expired.invoked) == ["acme_outdoor"]


def test_an_invoke_error_is_recorded_for_that_tenant_and_the_others_still_run(
    state: SqliteStateStore,
) -> None:
    invoker = RecordingInvoker(fail_for=("bluebird_books",))
    tenants = [make_tenant(t) for t in ("acme_outdoor", "bluebird_books", "coral_cosmetics")]

    summary = run_tick(tenants, state, invoker, NOW)

    assert invoker.tenants == ["acme_outdoor", "coral_cosmetics"]
    assert "boom" in summary.failed["bluebird_books"]
    failed = state.get_tenant("bluebird_books")
    assert failed.last_status is RunStatus.FAILED
    assert failed.last_error is not None
    assert "boom" in failed.last_error


class FlakyState(SqliteStateStore):
    """The batch read fails; reading one tenant fails too."""

    broken = "bluebird_books"

    def get_tenants(self, tenant_ids: Any) -> dict[str, TenantState]:
        raise RuntimeError("throughput exceeded")

    def get_tenant(self, tenant_id: str) -> TenantState:
        if tenant_id == self.broken:
            raise RuntimeError("item too large")
        return super().get_tenants([tenant_id])[tenant_id]


def test_a_state_read_failure_for_one_tenant_does_not_stop_the_others(
    tmp_path: Path, invoker: RecordingInvoker
) -> None:
    state = FlakyState(tmp_path / "state.sqlite")
    tenants = [make_tenant(t) for t in ("acme_outdoor", "bluebird_books", "coral_cosmetics")]
    summary = run_tick(tenants, state, invoker, NOW)
    assert invoker.tenants == ["acme_outdoor", "coral_cosmetics"]
    assert summary.failed == {"bluebird_books": "reading state: RuntimeError: item too large"}


def test_rejected_tenant_files_are_reported_and_the_valid_ones_still_run(
    tmp_path: Path, example_tenants_dir: Path, state: SqliteStateStore, invoker: RecordingInvoker
) -> None:
    tenants_dir = tmp_path / "tenants"
    tenants_dir.mkdir()
    for source in example_tenants_dir.glob("*.yaml"):
        (tenants_dir / source.name).write_text(source.read_text())
    (tenants_dir / "broken_shop.yaml").write_text("id: broken_shop\nshop: https://x.com\n")
    settings = Settings(tenants_dir=tenants_dir, home=tmp_path)

    summary = tick(settings, Adapters(state, invoker), NOW)

    assert sorted(invoker.tenants) == ["acme_outdoor", "bluebird_books", "coral_cosmetics"]
    [(source, error)] = summary.failed.items()
    assert source.endswith("broken_shop.yaml")
    assert "shop" in error
    assert "name" in error  # every problem of the file, not just the first


@pytest.mark.parametrize(
    ("schedule", "hours", "expected_runs"),
    [
        ("rate(1 hour)", 24, 24),  # first run at once, then every hour on the minute
        ("rate(30 minutes)", 6, 12),
        ("rate(1 day)", 72, 3),
        ("cron(0/15 * * * ? *)", 2, 8),  # :00 :15 :30 :45 (the first is also "at once")
        ("cron(0 2 * * ? *)", 72, 4),  # at once (never ran), then 02:00 on each of three days
        ("cron(0 9 ? * MON-FRI *)", 24 * 7, 6),  # at once, then each weekday of one week
    ],
)
def test_ticking_every_five_minutes_runs_each_schedule_as_often_as_it_says(
    state: SqliteStateStore,
    invoker: RecordingInvoker,
    schedule: str,
    hours: int,
    expected_runs: int,
) -> None:
    """Ticks land a few seconds late, as real ones do; schedules must not drift or double up."""
    tenant = make_tenant("acme_outdoor", schedule=schedule)
    start = datetime(2026, 2, 2, 0, 0, tzinfo=UTC)  # a Monday
    for minute in range(0, hours * 60, 5):
        run_tick([tenant], state, invoker, start + timedelta(minutes=minute, seconds=7))
    assert len(invoker.payloads) == expected_runs


def test_a_tick_invokes_at_most_its_limit_the_longest_waiting_first_and_the_fleet_spreads(
    state: SqliteStateStore, invoker: RecordingInvoker
) -> None:
    """Ten hourly stores fall due at once; three a tick: the ones never run or waiting
    longest go first, the others wait for the next tick, and an hour later they are due on
    the ticks they first ran on, three at a time, not all on one."""
    tenants = [make_tenant(f"store_{n:02d}", schedule="rate(1 hour)") for n in range(10)]
    state.record_dispatch(
        "store_00", "20260131T080000Z-00000000", "incremental", NOW - timedelta(hours=2)
    )
    first = run_tick(tenants, state, invoker, NOW, limit=3)
    assert len(first.due) == 10
    assert list(first.invoked) == ["store_01", "store_02", "store_03"]  # never ran: first
    deferred = {t for t, why in first.skipped.items() if why.startswith("deferred")}
    assert deferred == {f"store_{n:02d}" for n in (0, *range(4, 10))}
    ticks = [NOW + timedelta(minutes=5 * k) for k in range(1, 4)]
    invoked = [set(run_tick(tenants, state, invoker, at, limit=3).invoked) for at in ticks]
    assert invoked == [
        {"store_04", "store_05", "store_06"},
        {"store_07", "store_08", "store_09"},
        {"store_00"},  # it ran two hours ago: after every store that never ran
    ]
    hour_later = [
        set(run_tick(tenants, state, invoker, at + timedelta(hours=1), limit=3).invoked)
        for at in [NOW, *ticks]
    ]
    assert [len(i) for i in hour_later] == [3, 3, 3, 1]
    unlimited = run_tick(tenants, state, invoker, NOW + timedelta(hours=3))
    assert len(unlimited.invoked) == 10
