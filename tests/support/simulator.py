"""The one simulator set-up: a running simulator and ingestion services pointed at it.

Used by the integration tests' fixtures and by the ingestion benchmarks. Everything lives under
one home directory laid out as :class:`~shopsync.settings.Settings` lays it out: the raw lake
under ``lake/<raw_bucket>``, state in ``state.sqlite``, the simulator's tokens in
``secrets.json``. All on loopback.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shopsync.extract.config import IngestionConfig
from shopsync.extract.result import RunResult
from shopsync.extract.service import Services, run_payload
from shopsync.runid import new_run_id
from shopsync.schedule.payload import IngestionPayload
from shopsync.settings import Settings
from shopsync.shopify import LocalSecrets
from shopsync.state.sqlite import SqliteStateStore
from shopsync.storage import LocalObjectStore, ObjectStore
from shopsync.streams import STREAM_GROUPS
from shopsync.tenants import Registry, Tenant
from shopsync_simulator import Clock, Simulator, SimulatorOptions, StoreSize, running_simulator


def ingestion_payload(
    tenant_id: str,
    now: datetime,
    mode: str = "incremental",
    streams: Sequence[str] = STREAM_GROUPS,
    *,
    run_id: str | None = None,
    since: datetime | None = None,
) -> IngestionPayload:
    """The payload the fan-out would send for one run of ``tenant_id`` started at ``now``."""
    return IngestionPayload.model_validate(
        {
            "tenant_id": tenant_id,
            "run_id": run_id or new_run_id(now),
            "mode": mode,
            "streams": tuple(streams),
            "since": since,
        }
    )


def ingestion_services(
    settings: Settings,
    tenants: Sequence[Tenant],
    simulator_url: str,
    *,
    clock: Clock | None = None,
    store: ObjectStore | None = None,
    raw_bucket: str = "raw",
    **config: Any,
) -> Services:
    """Services for ``tenants`` against the simulator at ``simulator_url``.

    ``clock`` (the simulator's) is the services' clock too; without it they follow wall time.
    ``store`` is where runs write (the raw lake unless given); ``config`` overrides
    :class:`IngestionConfig`.
    """
    base_url = f"{simulator_url}/shops/{{shop}}"
    services = Services(
        state=SqliteStateStore(settings.state_path),
        store=store or LocalObjectStore(settings.lake_path / raw_bucket),
        registry=Registry(list(tenants)),
        secrets=LocalSecrets(settings.secrets_path),
        config=IngestionConfig(shopify_base_url=base_url, **config),
    )
    if clock is not None:
        services.clock = lambda: datetime.fromtimestamp(clock.now(), UTC)
    return services


def simulator_for(
    settings: Settings,
    tenants: Sequence[Tenant],
    *,
    size: StoreSize,
    options: SimulatorOptions | None = None,
    clock: Clock | None = None,
) -> AbstractContextManager[Simulator]:
    """A simulator serving ``tenants`` (each at its plan), its tokens in ``settings``'s secrets."""
    specs = [(t.id, t.shop, t.plan.value) for t in tenants]
    return running_simulator(
        specs, size=size, secrets_path=settings.secrets_path, clock=clock, options=options
    )


@dataclass
class SimulatedIngestion:
    """A running simulator, the services syncing it and where they land."""

    sim: Simulator
    clock: Clock | None
    services: Services
    settings: Settings
    lake: LocalObjectStore

    def now(self) -> datetime:
        if self.clock is None:
            return datetime.now(UTC)
        return datetime.fromtimestamp(self.clock.now(), UTC)

    def run(
        self,
        mode: str = "incremental",
        streams: Sequence[str] = STREAM_GROUPS,
        *,
        tenant_id: str | None = None,
        run_id: str | None = None,
        since: datetime | None = None,
        **kw: Any,
    ) -> RunResult:
        """One run of ``tenant_id`` (the first tenant unless given); ``kw`` go to run_payload."""
        tenant = tenant_id or next(iter(self.services.registry)).id
        payload = ingestion_payload(tenant, self.now(), mode, streams, run_id=run_id, since=since)
        return run_payload(payload, settings=self.settings, services=self.services, **kw)


@contextmanager
def simulated_ingestion(
    home: Path,
    tenants: Sequence[Tenant],
    *,
    size: StoreSize,
    options: SimulatorOptions | None = None,
    clock: Clock | None = None,
    lake: LocalObjectStore | None = None,
    store: ObjectStore | None = None,
    raw_bucket: str = "raw",
    **config: Any,
) -> Iterator[SimulatedIngestion]:
    """A simulator serving ``tenants`` (each at its plan) and services syncing them.

    ``lake`` is the raw lake (``<home>/lake/<raw_bucket>`` unless given), ``store`` what the
    services write to (the lake unless given, e.g. the lake wrapped to publish events).
    """
    settings = Settings(home=home)
    lake = lake or LocalObjectStore(settings.lake_path / raw_bucket)
    with simulator_for(settings, tenants, size=size, options=options, clock=clock) as sim:
        services = ingestion_services(
            settings, tenants, sim.url, clock=clock, store=store or lake, **config
        )
        yield SimulatedIngestion(sim, clock, services, settings, lake)
