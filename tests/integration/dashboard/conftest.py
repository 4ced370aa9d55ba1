"""A warehouse loaded by the real pipeline (simulator -> ingestion -> Spark load -> DuckDB) for
three stores, two of them look-alikes (``acme``, ``acme_corp``, the latter in EUR), and the
dashboard over it with one user per kind of principal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pytest
from pyspark.sql import SparkSession

from shopsync.dashboard.app import DashboardConfig, create_app
from shopsync.dashboard.users import User, hash_password, write_users
from shopsync.extract.service import run_payload
from shopsync.reporting.tables import ADMIN_GROUP
from shopsync.settings import Settings
from shopsync.state.sqlite import SqliteStateStore
from shopsync.storage import LocalObjectStore
from shopsync.tenants import Registry, Tenant
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse
from shopsync_glue.job import CuratedLake, run_job
from shopsync_glue.local_chain import rls_rules
from shopsync_simulator import ShopSpec, StoreSize, running_simulator
from tests.support.simulator import ingestion_payload, ingestion_services
from tests.support.tenants import analysts, make_tenant

SIZE = StoreSize(products=10, variants_per_product=2, locations=2, customers=12, orders=30)
TENANTS = {"acme": "USD", "acme_corp": "EUR", "bluebird": "USD"}
#: Every page's range: all the simulated history.
FROM, TO = date(2000, 1, 1), date(2030, 12, 31)
PASSWORD = "correct horse battery staple"
#: user -> groups: an analyst per tenant, one user in two groups, one whose group has no rule,
#: one with no group at all, and the administrator.
USERS: dict[str, tuple[str, ...]] = {
    "acme-analyst": ("acme-analysts",),
    "corp-analyst": ("acme_corp-analysts",),
    "bluebird-analyst": ("bluebird-analysts",),
    "two-stores": ("acme-analysts", "bluebird-analysts"),
    "stranger": ("nobody-has-rules-for-this",),
    "groupless": (),
    "admin": (ADMIN_GROUP,),
}


@dataclass
class Loaded:
    settings: Settings
    tenants: list[Tenant]
    config: DashboardConfig

    def query(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        con = duckdb.connect(str(self.settings.warehouse_path), read_only=True)
        try:
            con.execute("SET TimeZone = 'UTC'")
            return con.execute(statement, list(params)).fetchall()
        finally:
            con.close()

    def net_sales(self, tenant: str) -> Any:
        rows = self.query(
            "SELECT SUM(net_sales), SUM(orders) FROM reporting.daily_sales WHERE tenant_id = ?",
            tenant,
        )
        return rows[0]


@pytest.fixture(scope="session")
def loaded(tmp_path_factory: pytest.TempPathFactory, spark: SparkSession) -> Loaded:
    home = tmp_path_factory.mktemp("dashboard-home")
    settings = Settings(home=home)
    tenants = [make_tenant(t, quicksight=analysts(t), start_date="2020-01-01") for t in TENANTS]
    specs = [ShopSpec(t.id, t.shop, t.plan.value, SIZE, currency=TENANTS[t.id]) for t in tenants]
    raw = LocalObjectStore(settings.lake_path / "raw")
    with running_simulator(specs, secrets_path=settings.secrets_path) as sim:
        services = ingestion_services(settings, tenants, sim.url, store=raw)
        for tenant in tenants:
            payload = ingestion_payload(tenant.id, services.clock(), "full")
            result = run_payload(payload, settings=settings, services=services)
            assert result.ok, result.message
    warehouse = DuckDBWarehouse(settings.warehouse_path)
    lake = CuratedLake(str(settings.lake_path / settings.curated_bucket))
    summary = run_job(spark, raw, lake, warehouse, rls=rls_rules(Registry(tenants)))
    assert not summary.errors, summary.errors
    users_path = home / "dashboard_users.json"
    hashed = hash_password(PASSWORD)
    write_users(users_path, {u: User(password_hash=hashed, groups=g) for u, g in USERS.items()})
    config = DashboardConfig(
        users_path=users_path,
        secret_key="k" * 64,
        warehouse_path=settings.warehouse_path,
        names={t.id: t.name for t in tenants},
        state=SqliteStateStore(settings.state_path),
    )
    return Loaded(settings, tenants, config)


@pytest.fixture(scope="session")
def dashboard_app(loaded: Loaded) -> Any:
    return create_app(loaded.config)
