"""Every fault profile, injected at rate 1 so each test is deterministic, and counted."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
import requests

from shopsync.cli.simulator import _fault_profiles
from shopsync_simulator import Simulator, SimulatorOptions
from shopsync_simulator.faults import FaultInjector, UnknownFaultProfileError, profile
from tests.integration.simulator.client import Client

Start = Callable[..., AbstractContextManager[Simulator]]
QUERY = "{ shop { name } }"


@pytest.fixture
def faulty(start_simulator: Start) -> Callable[..., AbstractContextManager[Simulator]]:
    def start(name: str, **overrides: Any) -> AbstractContextManager[Simulator]:
        options = SimulatorOptions(faults={"acme": profile(name, **overrides)})
        return start_simulator(options=options)

    return start


def injected(sim: Simulator, tenant: str = "acme") -> dict[str, int]:
    report = requests.get(f"{sim.url}/_simulator/tenants/{tenant}/faults", timeout=10).json()
    return dict(report["injected"])


def test_throttle_bursts(faulty: Start) -> None:
    with faulty("throttle-bursts", throttle_rate=1.0) as sim:
        body = Client(sim, "acme").post(QUERY).json()
        assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
        assert body["extensions"]["cost"]["throttleStatus"]["maximumAvailable"] == 2000
        assert "errors" not in Client(sim, "acme_corp").post(QUERY).json(), "per shop"
        assert injected(sim) == {"throttle": 1}


def test_burst_length() -> None:
    injector = FaultInjector(
        profile("throttle-bursts", throttle_rate=0.0001, throttle_burst=4), seed=1
    )
    injector._burst_left = 3  # as if a burst just started
    assert [injector.draw() for _ in range(5)] == ["throttle"] * 3 + [None, None]


def test_http_429(faulty: Start) -> None:
    with faulty("http-429", http_429_rate=1.0) as sim:
        resp = Client(sim, "acme").post(QUERY)
        assert resp.status_code == 429
        assert float(resp.headers["Retry-After"]) > 0
        assert injected(sim) == {"http_429": 1}


def test_server_errors(faulty: Start) -> None:
    with faulty("server-errors", server_error_rate=1.0) as sim:
        statuses = {Client(sim, "acme").post(QUERY).status_code for _ in range(12)}
        assert statuses <= {500, 502, 503}
        assert len(statuses) > 1
        assert injected(sim) == {"server_error": 12}


def test_connection_resets(faulty: Start) -> None:
    with faulty("connection-resets", reset_rate=1.0) as sim:
        with pytest.raises(requests.ConnectionError):
            Client(sim, "acme").post(QUERY)
        assert injected(sim) == {"reset": 1}


def test_slow_responses_beyond_the_client_timeout(faulty: Start) -> None:
    with faulty("slow", slow_rate=1.0, slow_seconds=2.0) as sim:
        client = Client(sim, "acme")
        with pytest.raises(requests.Timeout):
            client.session.post(sim.graphql_url("acme"), json={"query": QUERY}, timeout=0.2)
        assert injected(sim) == {"slow": 1}


def test_truncated_bodies(faulty: Start) -> None:
    with faulty("truncated", truncate_rate=1.0) as sim:
        resp = Client(sim, "acme").post(QUERY)
        assert resp.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(resp.text)
        assert injected(sim) == {"truncate": 1}


def test_token_revoked_mid_run(faulty: Start) -> None:
    with faulty("token-revoked", revoke_after=3) as sim:
        client = Client(sim, "acme")
        assert [client.post(QUERY).status_code for _ in range(5)] == [200, 200, 200, 401, 401]
        assert injected(sim) == {"revoked": 2}


def test_shop_locked(faulty: Start) -> None:
    with faulty("shop-locked") as sim:
        assert Client(sim, "acme").post(QUERY).status_code == 423
        assert Client(sim, "acme_corp").post(QUERY).status_code == 200


RUN = """mutation { bulkOperationRunQuery(query: "{ products { nodes { id } } }", groupObjects: false) {
  bulkOperation { id } userErrors { message } } }"""  # noqa: E501
STATUS = """query($id: ID!) { node(id: $id) { ... on BulkOperation {
  status errorCode url partialDataUrl } } }"""


def poll(client: Client, op_id: str, statuses: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    for _ in range(300):
        op: dict[str, Any] = client.query(STATUS, {"id": op_id})["data"]["node"]
        yield op
        if op["status"] in statuses:
            return
        time.sleep(0.01)


def test_bulk_failed_with_partial_data(faulty: Start) -> None:
    with faulty("bulk-failed") as sim:
        client = Client(sim, "acme")
        op_id = client.query(RUN)["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"]
        *_, op = poll(client, op_id, ("FAILED", "COMPLETED"))
        assert (op["status"], op["errorCode"], op["url"]) == (
            "FAILED",
            "INTERNAL_SERVER_ERROR",
            None,
        )
        lines = requests.get(op["partialDataUrl"], timeout=10).text.splitlines()
        assert lines
        assert all("id" in json.loads(x) for x in lines)
        assert injected(sim) == {"bulk_failed": 1}


def test_bulk_stuck_until_cancelled(faulty: Start) -> None:
    with faulty("bulk-stuck") as sim:
        client = Client(sim, "acme")
        op_id = client.query(RUN)["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"]
        seen = [op["status"] for op, _ in zip(poll(client, op_id, ()), range(20), strict=False)]
        assert seen[-1] == "RUNNING"
        client.query(
            "mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }",
            {"id": op_id},
        )
        *_, op = poll(client, op_id, ("CANCELED",))
        assert op["status"] == "CANCELED"
        assert injected(sim) == {"bulk_stuck": 1}


def test_switch_profile_at_run_time(simulator: Simulator) -> None:
    client = Client(simulator, "acme")
    assert client.post(QUERY).status_code == 200
    url = f"{simulator.url}/_simulator/tenants/acme/faults"
    switched = requests.post(url, json={"profile": "shop-locked"}, timeout=10).json()
    assert switched["profile"] == "shop-locked"
    assert client.post(QUERY).status_code == 423
    requests.post(url, json={"profile": "none"}, timeout=10)
    assert client.post(QUERY).status_code == 200
    assert requests.post(url, json={"profile": "nope"}, timeout=10).status_code == 400
    health = requests.get(f"{simulator.url}/_simulator/health", timeout=10).json()
    assert health["tenants"]["acme"]["faults"] == {"profile": "none", "injected": {"locked": 1}}


def test_cli_fault_option() -> None:
    assert _fault_profiles("chaos")["*"].name == "chaos"
    chosen = _fault_profiles("acme=slow,acme_corp=shop-locked")
    assert {k: v.name for k, v in chosen.items()} == {"acme": "slow", "acme_corp": "shop-locked"}
    with pytest.raises(UnknownFaultProfileError):
        _fault_profiles("acme=nope")
