"""One scheduler tick over 1,000 generated tenants, invokes excluded.

Measures what a tick costs on its own: loading and validating 1,000 tenant files, one batch
read of their state (SQLite), and the due decision for each. Invokes go to a recording invoker
so that only the scheduler's own work is timed. Target: under 2 s wall time.

    .venv/bin/python bench/bench_scheduler.py [--tenants 1000]
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import repo  # noqa: F401  (puts the repository root on sys.path for tests.support)

from shopsync.schedule.service import Adapters, tick
from shopsync.settings import Settings
from shopsync.state.sqlite import SqliteStateStore
from shopsync.streams import STREAM_GROUPS
from tests.support.fanout import RecordingInvoker
from tests.support.tenants import write_tenant_file

TARGET_SECONDS = 2.0
SCHEDULES = (
    "rate(1 hour)",
    "rate(15 minutes)",
    "rate(1 day)",
    "cron(0/15 * * * ? *)",
    "cron(0 2 * * ? *)",
    "cron(30 6 ? * MON-FRI *)",
    "cron(0 0 L * ? *)",
)
PLANS = ("standard", "advanced", "plus", "enterprise")


def write_tenants(directory: Path, count: int, rng: random.Random) -> None:
    directory.mkdir(parents=True)
    for i in range(count):
        write_tenant_file(
            directory,
            f"store_{i:05d}",
            name=f"Store {i}",
            enabled=i % 50 != 0,
            plan=rng.choice(PLANS),
            schedule=rng.choice(SCHEDULES),
            streams=list(STREAM_GROUPS),
            start_date=date(2024, 1, 1) + timedelta(days=rng.randrange(600)),
        )


def seed_state(store: SqliteStateStore, count: int, now: datetime, rng: random.Random) -> None:
    """A realistic spread: most tenants ran recently, some long ago, some never, a few running."""
    for i in range(count):
        tenant_id = f"store_{i:05d}"
        if i % 10 == 0:
            continue  # never run
        started = now - timedelta(minutes=rng.randrange(1, 48 * 60))
        run_id = f"{started:%Y%m%dT%H%M%SZ}-{i:08x}"
        store.record_dispatch(tenant_id, run_id, "incremental", started)
        if i % 25 == 0:
            store.acquire_lease(tenant_id, run_id, now, timedelta(minutes=15))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(7)
    now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        settings = Settings(home=home, tenants_dir=home / "tenants")
        write_tenants(settings.tenants_dir, args.tenants, rng)
        state = SqliteStateStore(settings.state_path)
        seed_state(state, args.tenants, now, rng)
        invoker = RecordingInvoker()

        tick(settings, Adapters(state, invoker), now - timedelta(days=1))  # warm imports
        invoker.payloads.clear()
        tracemalloc.start()
        started = time.perf_counter()
        summary = tick(settings, Adapters(state, invoker), now)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    print(f"tenants            {args.tenants}")
    print(f"due                {len(summary.due)}")
    print(f"invoked            {len(summary.invoked)} (recorded, not sent)")
    print(f"skipped            {len(summary.skipped)} (disabled or run in progress)")
    print(f"failed             {len(summary.failed)}")
    print(f"wall time          {elapsed:.3f} s")
    print(f"peak memory        {peak / 2**20:.1f} MiB allocated by Python during the tick")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS           {rss:.0f} MiB (whole process, interpreter and libraries included)")
    print(f"target             < {TARGET_SECONDS:.1f} s  ratio {elapsed / TARGET_SECONDS:.2f}")
    if summary.failed:
        raise SystemExit(f"tick reported failures: {list(summary.failed.items())[:3]}")


if __name__ == "__main__":
    main()
