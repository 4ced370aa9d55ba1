"""Shared set-up of the ingestion benchmarks: the tests' simulator set-up, in a temp home.

The set-up is :mod:`tests.support.simulator`'s. Not a benchmark itself; ``make bench`` runs it
as a no-op.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import repo  # noqa: F401  (puts the repository root on sys.path for tests.support)

from shopsync.tenants import Tenant
from shopsync_simulator import SimulatorOptions, StoreSize
from tests.support.simulator import SimulatedIngestion, simulated_ingestion
from tests.support.tenants import make_tenant

TENANT = "bench_store"


def tenant(plan: str) -> Tenant:
    """The benchmarked store at ``plan``, syncing since 2022."""
    return make_tenant(TENANT, plan=plan, start_date=date(2022, 1, 1))


@contextmanager
def bench(
    plan: str, size: StoreSize, options: SimulatorOptions | None = None, **config: Any
) -> Iterator[SimulatedIngestion]:
    """The simulator serving :func:`tenant` at ``size`` and services syncing it, in a temp home."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        simulated_ingestion(Path(tmp), [tenant(plan)], size=size, options=options, **config) as b,
    ):
        yield b


if __name__ == "__main__":
    print("shared helpers of the ingestion benchmarks; nothing to measure here")
