"""A chaos world: tenant files, a running simulator, and ``shopsync`` as real OS processes.

Everything lives under one directory: ``tenants/`` (one YAML file per store, as a user commits
them), ``home/`` (``SHOPSYNC_HOME``: the raw and curated lake, the state, the warehouse, the
simulator's tokens). The simulator runs in this process (its faults switched and its stores
changed directly); ``shopsync sync`` and ``shopsync load`` run as child processes pointed at it,
each killable with a real ``SIGKILL``, their output kept for the secret scan.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import yaml

from shopsync.settings import Settings
from shopsync.tenants import load_registry
from shopsync_simulator import Simulator, SimulatorOptions, StoreSize, running_simulator
from shopsync_simulator.faults import FaultProfile, profile

#: Seconds a change waits before a run may read it: the simulator stamps changes in whole
#: seconds, so a run reads only up to two seconds ago, and a change made while it pages lands
#: in the next run, never half in this one.
LAG_SECONDS = 2
#: Seconds a killed run's lease lasts (renewed every third of it while a run pages).
LEASE_SECONDS = 4

#: Settings of every child process: retries and timeouts short enough for the faults to be
#: felt in seconds; no overlap (a run re-reads nothing before its cursor, so a cursor moved too
#: far loses records instead of being healed by the next run's re-read: the harder test); a
#: lease a killed run gives up in seconds.
CHILD_ENV: dict[str, str] = {
    "SHOPSYNC_SHOPIFY_READ_TIMEOUT": "1.0",
    "SHOPSYNC_SHOPIFY_CONNECT_TIMEOUT": "2",
    "SHOPSYNC_SHOPIFY_MAX_ATTEMPTS": "10",
    "SHOPSYNC_SHOPIFY_MAX_RETRY_SECONDS": "30",
    "SHOPSYNC_INGEST_LAG_SECONDS": str(LAG_SECONDS),
    "SHOPSYNC_INGEST_OVERLAP_SECONDS": "0",
    "SHOPSYNC_BULK_POLL_SECONDS": "0.05",
    "SHOPSYNC_BULK_MAX_POLL_SECONDS": "3",
    "SHOPSYNC_LEASE_TTL_SECONDS": str(LEASE_SECONDS),
    "SHOPSYNC_LOCAL_WORKERS": "4",
    "SHOPSYNC_LOG_LEVEL": "INFO",
    "PYTHONUNBUFFERED": "1",
}

#: A small store: a sync takes about a second, a load a few (most of it Spark's start-up).
SMALL = StoreSize(products=8, variants_per_product=2, locations=2, customers=10, orders=14)


@dataclass
class Proc:
    """One finished child process."""

    args: tuple[str, ...]
    returncode: int
    seconds: float
    stdout: str
    stderr: str
    #: Peak resident memory of the process and its Spark JVM (sampled every 0.2 s), MiB.
    peak_rss_mib: float

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL


@dataclass
class World:
    root: Path
    tenants: tuple[str, ...]
    sim: Simulator
    settings: Settings
    procs: list[Proc] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def home(self) -> Path:
        return self.settings.home

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPSYNC_")}
        return (
            env
            | CHILD_ENV
            | {
                "SHOPSYNC_HOME": str(self.home),
                "SHOPSYNC_TENANTS_DIR": str(self.settings.tenants_dir),
                "SHOPSYNC_SHOPIFY_BASE_URL": f"{self.sim.url}/shops/{{shop}}",
            }
        )

    def shopsync(
        self,
        *args: str,
        kill_at: tuple[str, int] | None = None,
        kill_after: float | None = None,
        timeout: float = 600.0,
    ) -> Proc:
        """``shopsync ARGS`` as a child process; ``kill_at`` (point, n) arms a named kill point
        (:mod:`shopsync_chaos.victim`), ``kill_after`` SIGKILLs it after that many seconds."""
        if kill_at is not None:
            point, n = kill_at
            command = [sys.executable, "-m", "shopsync_chaos.victim", point, str(n), "--", *args]
        else:
            command = [sys.executable, "-m", "shopsync.cli", *args]
        started = time.monotonic()
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its Spark JVM is in its group: killed with it
        )
        if kill_after is not None:
            timer = threading.Timer(kill_after, _kill_group, (child,))
            timer.start()
        peak = 0
        try:
            while True:  # sampling the memory of it and its JVM until it ends
                peak = max(peak, _tree_rss(child.pid))
                try:
                    out, err = child.communicate(timeout=0.2)
                    break
                except subprocess.TimeoutExpired:
                    if time.monotonic() - started > timeout:
                        _kill_group(child)
        finally:
            if kill_after is not None:
                timer.cancel()
        if child.returncode == -signal.SIGKILL:
            _kill_group(child)  # a killed process's JVM must not outlive it
        proc = Proc(
            tuple(args), child.returncode, time.monotonic() - started, out, err, peak / 2**20
        )
        with self._lock:
            self.procs.append(proc)
        return proc

    def sync(self, *tenants: str, kill_at: tuple[str, int] | None = None, **kw: float) -> Proc:
        args = ["sync", *(a for t in tenants for a in ("--tenant", t))]
        return self.shopsync(*args, kill_at=kill_at, **kw)

    def load(self, *args: str, kill_at: tuple[str, int] | None = None, **kw: float) -> Proc:
        return self.shopsync("load", *args, kill_at=kill_at, **kw)

    def faults(self, tenant: str, name: str, **overrides: object) -> None:
        self.sim.by_tenant[tenant].faults.switch(profile(name, **overrides))

    def activity(self, rng: random.Random, tenants: Sequence[str] | None = None) -> None:
        """Some changes in each store (products, prices, stock, customers, orders, refunds,
        deletions), seeded."""
        for tenant in tenants or self.tenants:
            steps = rng.randint(5, 25)
            self.sim.store(tenant).activity.random_activity(steps, seed=rng.randrange(1 << 30))

    @contextmanager
    def busy(self, rng: random.Random, tenants: Sequence[str] | None = None) -> Iterator[None]:
        """Store activity in the background for the block (the simulator mid-activity)."""
        stop = threading.Event()
        seed = rng.randrange(1 << 30)
        failed: list[BaseException] = []

        def work() -> None:
            local = random.Random(seed)
            try:
                while not stop.is_set():
                    self.activity(local, tenants)
                    stop.wait(0.05)
            except BaseException as exc:  # raised in the owner's thread, below
                failed.append(exc)

        thread = threading.Thread(target=work, name="chaos-activity", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
        if failed:
            raise RuntimeError(f"the store activity failed: {failed[0]!r}") from failed[0]

    def quiet(self) -> None:
        """Until the last change is old enough for the next run to read it."""
        time.sleep(LAG_SECONDS + 1.1)

    def settle(self) -> None:
        """Until the last change is readable and any killed run's lease has expired."""
        time.sleep(max(LAG_SECONDS + 1.1, LEASE_SECONDS + 0.2))


def _kill_group(child: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and its descendants (0 once it is gone)."""
    try:
        parent = psutil.Process(pid)
        members = [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for member in members:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def write_tenant(directory: Path, tenant_id: str, plan: str = "plus") -> Path:
    """``<directory>/<tenant_id>.yaml``, as ``shopsync tenants add`` writes it."""
    data = {
        "id": tenant_id,
        "name": tenant_id.replace("_", " ").title(),
        "shop": f"{tenant_id.replace('_', '-')}.myshopify.com",
        "plan": plan,
        "auth": {"secret": f"shopsync/tenants/{tenant_id}"},
        "schedule": "rate(1 hour)",
        "start_date": "2020-01-01",
        "quicksight": {"groups": [f"{tenant_id}-analysts"]},
    }
    path = directory / f"{tenant_id}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@contextmanager
def world(
    root: Path,
    tenants: Sequence[str],
    *,
    size: StoreSize = SMALL,
    faults: Mapping[str, FaultProfile] | None = None,
) -> Iterator[World]:
    """Tenant files for ``tenants`` under ``root``, and the simulator serving their shops."""
    tenants_dir, home = root / "tenants", root / "home"
    tenants_dir.mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    for tenant in tenants:
        write_tenant(tenants_dir, tenant)
    settings = Settings(home=home, tenants_dir=tenants_dir)
    registry = load_registry(tenants_dir)  # the files are valid, as the CLI will find them
    specs = [(t.id, t.shop, t.plan.value) for t in registry]
    # speed 20: a "slow" response takes 1.5 s, past the 1 s read timeout; a loaded machine
    # answers the others well within it
    options = SimulatorOptions(speed=20, faults=dict(faults or {}))
    with running_simulator(
        specs, size=size, options=options, secrets_path=settings.secrets_path
    ) as sim:
        yield World(root, tuple(tenants), sim, settings)
