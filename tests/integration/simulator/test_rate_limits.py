"""Cost in every response, refunds, THROTTLED (200 or 429), MAX_COST_EXCEEDED."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import requests

from shopsync_simulator import Simulator, SimulatorOptions
from tests.integration.simulator.client import Client

PAGE = "{ products(first: 250) { nodes { id title } } }"  # requested 252


def test_requested_actual_and_refund(acme: Client, simulator: Simulator) -> None:
    body = acme.query(PAGE)
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 252
    assert cost["actualQueryCost"] == 2 + 30  # the shop has 30 products
    status = cost["throttleStatus"]
    assert status["maximumAvailable"] == 2000
    assert status["restoreRate"] == 100 * 50  # standard plan at speed 50
    assert status["currentlyAvailable"] >= 2000 - 32


def test_plan_decides_the_bucket(simulator: Simulator) -> None:
    status = Client(simulator, "acme_corp").query(PAGE)["extensions"]["cost"]["throttleStatus"]
    assert status["maximumAvailable"] == 20000


def test_max_cost_exceeded_regardless_of_plan(simulator: Simulator) -> None:
    query = "{ products(first: 250) { nodes { id variants(first: 10) { nodes { id } } } } }"
    for tenant in ("acme", "acme_corp"):
        body = Client(simulator, tenant).post(query).json()
        [error] = body["errors"]
        assert error["extensions"] == {"code": "MAX_COST_EXCEEDED", "cost": 3252, "maxCost": 1000}
        assert body["extensions"]["cost"]["requestedQueryCost"] == 3252
        assert "data" not in body


def drain(sim: Simulator, tenant: str) -> None:
    resp = requests.post(f"{sim.url}/_simulator/tenants/{tenant}/bucket", json={}, timeout=10)
    assert resp.status_code == 200


def test_throttled_with_http_200(
    start_simulator: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    with start_simulator(options=SimulatorOptions(speed=0.001)) as sim:
        drain(sim, "acme")
        resp = Client(sim, "acme").post(PAGE)
        assert resp.status_code == 200
        body = resp.json()
        assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
        assert body["errors"][0]["message"] == "Throttled"
        assert body["extensions"]["cost"]["requestedQueryCost"] == 252
        assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] < 252
        assert "Retry-After" not in resp.headers
        assert "errors" not in Client(sim, "acme_corp").post(PAGE).json(), "other shops unaffected"


def test_throttled_as_429(
    start_simulator: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    with start_simulator(options=SimulatorOptions(speed=0.001, throttle_status_code=429)) as sim:
        drain(sim, "acme")
        resp = Client(sim, "acme").post(PAGE)
        assert resp.status_code == 429
        assert float(resp.headers["Retry-After"]) > 0
        assert resp.json()["errors"][0]["extensions"]["code"] == "THROTTLED"


def test_bucket_refills(start_simulator: Callable[..., AbstractContextManager[Simulator]]) -> None:
    """At speed 1000 the standard bucket refills at 100k points/s: a throttled client that
    waits as told gets through (no timing assertion, just the outcome)."""
    with start_simulator(options=SimulatorOptions(speed=1000, throttle_status_code=429)) as sim:
        client = Client(sim, "acme")
        drain(sim, "acme")
        for _ in range(100):
            resp = client.post(PAGE)
            if resp.status_code == 200:
                break
            retry = float(resp.headers["Retry-After"])
            assert retry < 0.01
            __import__("time").sleep(retry)
        assert resp.status_code == 200
        assert resp.json()["data"]["products"]["nodes"]


def test_rate_limits_off(start_simulator: Callable[..., AbstractContextManager[Simulator]]) -> None:
    with start_simulator(options=SimulatorOptions(rate_limits=False)) as sim:
        drain(sim, "acme")
        for _ in range(3):
            assert "errors" not in Client(sim, "acme").post(PAGE).json()
