"""A running simulator on a free loopback port, for the length of a test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
import requests
from shopsync.simulator import Simulator, SimulatorOptions, StoreSize, running_simulator

TENANTS = [
    ("acme", "acme.myshopify.com", "standard"),
    ("acme_corp", "acme-corp.myshopify.com", "plus"),  # a look-alike of acme
]
SMALL = StoreSize(products=30, variants_per_product=2, locations=2, customers=20, orders=25)


@pytest.fixture
def start_simulator() -> Callable[..., AbstractContextManager[Simulator]]:
    """``with start_simulator(options=...) as sim:`` for tests that need their own options."""

    def start(**kwargs: Any) -> AbstractContextManager[Simulator]:
        kwargs.setdefault("size", SMALL)
        return running_simulator(kwargs.pop("tenants", TENANTS), **kwargs)

    return start


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    with running_simulator(TENANTS, size=SMALL, options=SimulatorOptions(speed=50)) as sim:
        yield sim


class Client:
    """Just enough of a Shopify client for the tests: one keep-alive session per tenant."""

    def __init__(self, sim: Simulator, tenant: str, version: str = "2026-10") -> None:
        self.sim, self.tenant, self.version = sim, tenant, version
        self.session = requests.Session()
        self.session.headers["X-Shopify-Access-Token"] = sim.token(tenant)

    def post(self, query: str, variables: dict[str, Any] | None = None) -> requests.Response:
        url = self.sim.graphql_url(self.tenant, self.version)
        return self.session.post(
            url, json={"query": query, "variables": variables or {}}, timeout=30
        )

    def query(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        resp = self.post(query, variables)
        assert resp.status_code == 200, resp.text
        body: dict[str, Any] = resp.json()
        assert "errors" not in body, body["errors"]
        return body

    def control(self, action: str, **params: Any) -> Any:
        resp = self.session.post(
            f"{self.sim.url}/_simulator/tenants/{self.tenant}/activity",
            json={"action": action, **params},
            timeout=30,
        )
        assert resp.status_code == 200, resp.text
        return resp.json()["result"]


@pytest.fixture
def acme(simulator: Simulator) -> Client:
    return Client(simulator, "acme")
