"""Just enough of a Shopify client for the simulator tests."""

from __future__ import annotations

import time
from typing import Any

import requests

from shopsync_simulator import Simulator


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

    def query(
        self, query: str, variables: dict[str, Any] | None = None, *, throttled_retries: int = 0
    ) -> dict[str, Any]:
        """The response's body; with ``throttled_retries``, a throttled query is sent again
        (after the bucket had time to refill) up to that many times."""
        for attempt in range(throttled_retries + 1):
            resp = self.post(query, variables)
            assert resp.status_code == 200, resp.text
            body: dict[str, Any] = resp.json()
            codes = {e.get("extensions", {}).get("code") for e in body.get("errors") or []}
            if codes != {"THROTTLED"} or attempt == throttled_retries:
                break
            time.sleep(0.25)
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
