"""Shared set-up of the ingestion benchmarks: a simulator and ingestion services against it.

Not a benchmark itself; ``make bench`` runs it as a no-op.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from shopsync.fanout.payload import IngestionPayload
from shopsync.ingestion.config import IngestionConfig
from shopsync.ingestion.result import RunResult
from shopsync.ingestion.service import Services, run_payload
from shopsync.runid import new_run_id
from shopsync.settings import Settings
from shopsync.shopify import LocalSecrets
from shopsync.simulator import Simulator, SimulatorOptions, StoreSize, running_simulator
from shopsync.state.sqlite import SqliteStateStore
from shopsync.storage import LocalObjectStore
from shopsync.tenants import Registry, Tenant

TENANT = "bench_store"
SHOP = "bench-store.myshopify.com"
GROUPS = ("products", "inventory", "orders", "customers")


def tenant(plan: str) -> Tenant:
    return Tenant.model_validate(
        {
            "id": TENANT,
            "name": "Bench",
            "shop": SHOP,
            "plan": plan,
            "auth": {"secret": f"shopsync/tenants/{TENANT}"},
            "schedule": "rate(1 hour)",
            "start_date": date(2022, 1, 1),
        }
    )


@dataclass
class Bench:
    sim: Simulator
    services: Services
    settings: Settings
    home: Path

    def run(self, mode: str = "incremental", groups: tuple[str, ...] = GROUPS) -> RunResult:
        payload = IngestionPayload.model_validate(
            {
                "tenant_id": TENANT,
                "run_id": new_run_id(datetime.now(UTC)),
                "mode": mode,
                "streams": groups,
            }
        )
        return run_payload(payload, settings=self.settings, services=self.services)


@contextmanager
def bench(
    plan: str, size: StoreSize, options: SimulatorOptions | None = None, **config: Any
) -> Iterator[Bench]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        secrets = home / "secrets.json"
        with running_simulator(
            [(TENANT, SHOP, plan)], size=size, secrets_path=secrets, options=options
        ) as sim:
            services = Services(
                state=SqliteStateStore(home / "state.sqlite"),
                store=LocalObjectStore(home / "lake" / "raw"),
                registry=Registry([tenant(plan)]),
                secrets=LocalSecrets(secrets),
                config=IngestionConfig(shopify_base_url=f"{sim.url}/shops/{{shop}}", **config),
            )
            yield Bench(sim, services, Settings(home=home), home)


if __name__ == "__main__":
    print("shared helpers of the ingestion benchmarks; nothing to measure here")
