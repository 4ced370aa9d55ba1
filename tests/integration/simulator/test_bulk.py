"""Bulk operations: rules, lifecycle, JSONL shape, signed links, limits, cancel."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
import requests

from shopsync_simulator import Simulator, StoreSize
from shopsync_simulator.bulk.timing import BulkTiming
from tests.integration.simulator.client import Client

RUN = """mutation Run($q: String!, $group: Boolean!) {
  bulkOperationRunQuery(query: $q, groupObjects: $group) {
    bulkOperation { id status createdAt }
    userErrors { field message code }
  }
}"""
STATUS = """query($id: ID!) { node(id: $id) { ... on BulkOperation {
  id status errorCode objectCount rootObjectCount fileSize url partialDataUrl completedAt } } }"""
PRODUCTS_WITH_VARIANTS = (
    "{ products { edges { node { id title variants { edges { node { id sku } } } } } } }"
)


def run(client: Client, query: str, group: bool = False) -> dict[str, Any]:
    payload = client.query(RUN, {"q": query, "group": group})["data"]["bulkOperationRunQuery"]
    return dict(payload)


def wait(
    client: Client, op_id: str, until: tuple[str, ...] = ("COMPLETED", "FAILED", "CANCELED")
) -> dict[str, Any]:
    for _ in range(500):
        op: dict[str, Any] = client.query(STATUS, {"id": op_id})["data"]["node"]
        if op["status"] in until:
            return op
        time.sleep(0.01)
    raise AssertionError(f"bulk operation stuck in {op['status']}")


def lines(url: str) -> list[dict[str, Any]]:
    resp = requests.get(url, timeout=30)  # no access token: the link is signed
    assert resp.status_code == 200
    return [json.loads(x) for x in resp.text.splitlines()]


@pytest.mark.parametrize("group", [True, False])
def test_lifecycle_and_jsonl(acme: Client, group: bool) -> None:
    payload = run(acme, PRODUCTS_WITH_VARIANTS, group)
    assert payload["userErrors"] == []
    created = payload["bulkOperation"]
    assert created["status"] == "CREATED"
    assert created["createdAt"].endswith("Z")
    done = wait(acme, created["id"])
    assert done["status"] == "COMPLETED"
    assert done["rootObjectCount"] == "30"
    assert done["objectCount"] == "90"
    assert "response-content-disposition=attachment%3B%20filename%3D%22bulk-" in done["url"]
    rows = lines(done["url"])
    assert len(rows) == 90
    assert int(done["fileSize"]) > 0
    products = [r for r in rows if "__parentId" not in r]
    variants = [r for r in rows if "__parentId" in r]
    assert len(products) == 30
    assert len(variants) == 60
    assert {v["__parentId"] for v in variants} == {p["id"] for p in products}
    assert all("variants" not in p for p in products)
    follows = all(
        "__parentId" not in rows[i] or rows[i]["__parentId"] in (rows[i - 1].get("__parentId"), rows[i - 1]["id"])  # noqa: E501
        for i in range(1, len(rows))
    )  # fmt: skip
    assert follows is group, "grouped children follow their parent; ungrouped ones need not"


def test_many_chunks(start_simulator: Callable[..., AbstractContextManager[Simulator]]) -> None:
    with start_simulator(size=StoreSize(products=620, variants_per_product=1)) as sim:
        client = Client(sim, "acme")
        done = wait(client, run(client, "{ products { nodes { id } } }")["bulkOperation"]["id"])
        ids = [r["id"] for r in lines(done["url"])]
        assert len(ids) == len(set(ids)) == 620


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ shop { name } }", "at least one connection"),
        ('{ node(id: "gid://shopify/Product/1") { id } }', "top-level `node`"),
        ("{ products { nodes { id variants { nodes { id inventoryItem { inventoryLevels { nodes { id } } } } } } } }",  # noqa: E501
         "nesting depth greater than 2"),
        ("{ products { nodes { nope } } }", "Cannot query field 'nope'"),
        ("{ products { nodes { id", "Invalid bulk query"),
        ("{ products { nodes { id } } orders { nodes { id } } }", "exactly one top-level field"),
    ],
)  # fmt: skip
def test_bulk_rules(acme: Client, query: str, message: str) -> None:
    payload = run(acme, query)
    assert payload["bulkOperation"] is None
    assert any(message in e["message"] for e in payload["userErrors"]), payload["userErrors"]
    assert all(e["field"] == ["query"] for e in payload["userErrors"])


def test_more_than_five_connections(acme: Client) -> None:
    query = (
        "{ orders { nodes { id lineItems { nodes { id } } "
        + " ".join(f"a{i}: lineItems {{ nodes {{ id }} }}" for i in range(5))
        + " } } }"
    )
    errors = run(acme, query)["userErrors"]
    assert any("more than 5 connections" in e["message"] for e in errors)


@pytest.fixture
def gate(simulator: Simulator) -> Iterator[threading.Event]:
    """Holds every running bulk operation of acme until set."""
    event = threading.Event()
    simulator.by_tenant["acme"].bulks.on_chunk = lambda _op: event.wait(10)
    yield event
    event.set()


@pytest.mark.parametrize(("version", "limit"), [("2025-10", 1), ("2026-01", 5), ("2026-10", 5)])
def test_concurrency_limit(
    simulator: Simulator, gate: threading.Event, version: str, limit: int
) -> None:
    client = Client(simulator, "acme", version)
    started = [run(client, "{ products { nodes { id } } }") for _ in range(limit)]
    assert all(p["userErrors"] == [] for p in started)
    refused = run(client, "{ products { nodes { id } } }")
    assert refused["bulkOperation"] is None
    [error] = refused["userErrors"]
    assert error["code"] == "OPERATION_IN_PROGRESS"
    assert "already in progress" in error["message"]
    gate.set()
    assert all(wait(client, p["bulkOperation"]["id"])["status"] == "COMPLETED" for p in started)


def test_cancel_and_status_queries(simulator: Simulator, gate: threading.Event) -> None:
    client = Client(simulator, "acme", "2026-01")
    op_id = run(client, "{ products { nodes { id } } }")["bulkOperation"]["id"]
    cancel = client.query(
        'mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }',  # noqa: E501
        {"id": op_id},
    )["data"]["bulkOperationCancel"]  # fmt: skip
    assert cancel == {"bulkOperation": {"status": "CANCELING"}, "userErrors": []}
    gate.set()
    assert wait(client, op_id)["status"] == "CANCELED"
    data = client.query(
        """query($id: ID!) { currentBulkOperation { id status }
             bulkOperation(id: $id) { id status }
             bulkOperations(first: 5) { nodes { id status } } }""",
        {"id": op_id},
    )["data"]
    assert data["currentBulkOperation"] == {"id": op_id, "status": "CANCELED"}
    assert data["bulkOperation"] == {"id": op_id, "status": "CANCELED"}
    assert data["bulkOperations"]["nodes"] == [{"id": op_id, "status": "CANCELED"}]


def test_signed_links_cannot_be_tampered_with(acme: Client) -> None:
    done = wait(acme, run(acme, "{ locations { nodes { id } } }")["bulkOperation"]["id"])
    assert requests.get(done["url"], timeout=10).status_code == 200
    tampered = done["url"].replace("signature=", "signature=0")
    assert requests.get(tampered, timeout=10).status_code == 403
    expired = done["url"].replace("expires=", "expires=1")
    assert requests.get(expired, timeout=10).status_code == 403


def test_missing_scope_fails_the_operation(
    start_simulator: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    from shopsync_simulator import SimulatorOptions

    with start_simulator(
        options=SimulatorOptions(scopes={"acme": frozenset({"read_products"})})
    ) as sim:
        client = Client(sim, "acme")
        op = wait(client, run(client, "{ customers { nodes { id } } }")["bulkOperation"]["id"])
        assert (op["status"], op["errorCode"]) == ("FAILED", "ACCESS_DENIED")


def test_bulk_takes_simulated_time(
    start_simulator: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    """With time per chunk the operation is seen RUNNING, with a growing objectCount."""
    from shopsync_simulator import SimulatorOptions

    # 250 objects take 5 simulated seconds: 50 ms a chunk at speed 100.
    options = SimulatorOptions(bulk_timing=BulkTiming(0.0, 50.0, 50.0), speed=100)
    with start_simulator(
        size=StoreSize(products=800, variants_per_product=1), options=options
    ) as sim:
        client = Client(sim, "acme")
        op_id = run(client, "{ products { nodes { id } } }")["bulkOperation"]["id"]
        seen = []
        for _ in range(500):
            op = client.query(STATUS, {"id": op_id})["data"]["node"]
            seen.append((op["status"], int(op["objectCount"])))
            if op["status"] == "COMPLETED":
                break
            time.sleep(0.01)
        assert ("RUNNING", 250) in seen or ("RUNNING", 500) in seen
        assert seen[-1] == ("COMPLETED", 800)


def test_stopping_the_simulator_cancels_and_waits_for_running_operations(
    start_simulator: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    """Stopping removes the JSONL directory: a run still writing into it must be over first
    (it used to fail in its thread with the file gone)."""
    from shopsync_simulator import SimulatorOptions

    # 250 objects take 5 simulated seconds: 50 ms a chunk at speed 100.
    options = SimulatorOptions(bulk_timing=BulkTiming(0.0, 50.0, 50.0), speed=100)
    errors: list[threading.ExceptHookArgs] = []
    hook, threading.excepthook = threading.excepthook, errors.append
    try:
        with start_simulator(
            size=StoreSize(products=2000, variants_per_product=1), options=options
        ) as sim:
            client = Client(sim, "acme")
            run(client, "{ products { nodes { id } } }")
            bulks = sim.by_tenant["acme"].bulks
            threads = list(bulks._threads)
        assert threads
        assert not any(t.is_alive() for t in threads)
        assert bulks.current() is not None
        assert bulks.current().status == "CANCELED"  # type: ignore[union-attr]
    finally:
        threading.excepthook = hook
    assert errors == []


def test_a_realistic_operation_starts_late_and_produces_at_its_rate(
    start_simulator: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    """The documented model at speed 50: 5 simulated seconds CREATED (0.1 s), then 100
    objects a second (5,000 a wall second): 2,000 products take ~0.4 s more."""
    from shopsync_simulator import SimulatorOptions
    from shopsync_simulator.bulk.timing import REALISTIC

    options = SimulatorOptions(bulk_timing=REALISTIC, speed=50)
    with start_simulator(
        size=StoreSize(products=2000, variants_per_product=1), options=options
    ) as sim:
        client = Client(sim, "acme")
        started = time.monotonic()
        op_id = run(client, "{ products { edges { node { id } } } }")["bulkOperation"]["id"]
        assert client.query(STATUS, {"id": op_id})["data"]["node"]["status"] == "CREATED"
        done = wait(client, op_id)
        took = time.monotonic() - started
    assert done["objectCount"] == "2000"
    assert took >= 5 / 50 + 2000 / (100 * 50) - 0.05


def test_operations_running_at_once_share_the_shop_s_rate() -> None:
    from shopsync_simulator.bulk.timing import REALISTIC

    assert REALISTIC.rate(1) == 100
    assert REALISTIC.rate(3) == 100  # three share 300 objects a second
    assert REALISTIC.rate(5) == 60
