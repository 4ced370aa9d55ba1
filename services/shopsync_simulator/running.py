"""``running_simulator(...)``: a simulator on a free loopback port for the length of a block."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from shopsync.settings import Settings
from shopsync_simulator.server import Simulator, SimulatorOptions
from shopsync_simulator.shops import TenantLike, specs_from_list, specs_from_tenants_dir
from shopsync_simulator.store.clock import Clock
from shopsync_simulator.store.config import StoreSize


@contextmanager
def running_simulator(
    tenants: Iterable[TenantLike] | None = None,
    *,
    tenants_dir: Path | None = None,
    size: StoreSize | None = None,
    options: SimulatorOptions | None = None,
    secrets_path: Path | None = None,
    clock: Clock | None = None,
    port: int = 0,
) -> Iterator[Simulator]:
    """Start a simulator for ``tenants`` (specs or ``(id, shop[, plan])``) or ``tenants_dir``.

    Tokens go to ``secrets_path`` (default ``$SHOPSYNC_HOME/secrets.json``). The server listens
    on 127.0.0.1 (a free port unless ``port`` is given) and stops when the block ends.
    """
    if tenants is not None:
        specs = specs_from_list(tenants, size)
    else:
        specs = specs_from_tenants_dir(tenants_dir or Settings().tenants_dir, size)
    sim = Simulator(specs, secrets_path or Settings().secrets_path, options, clock)
    sim.start(port=port)
    try:
        yield sim
    finally:
        sim.stop()
