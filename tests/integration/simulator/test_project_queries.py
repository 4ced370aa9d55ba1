"""Every document the project sends (``shopsync.shopify.queries``), in every supported version,
gets data back from the simulator; the bulk ones run to a non-empty JSONL file."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
import requests
from graphql import OperationDefinitionNode, parse

from shopsync.extract.streams import NESTED_PAGE_SIZES, VARIANTS
from shopsync.shopify import queries
from shopsync.streams.variants import declared_document
from shopsync_simulator import Simulator, SimulatorOptions, truth
from shopsync_simulator.faults import profile
from shopsync_simulator.graphql.schema import DEFAULT_SCOPES, SUPPORTED_VERSIONS
from tests.integration.simulator.client import Client

BULK_CONTROL = {"bulk_run", "bulk_status", "bulk_cancel"}  # operate on a bulk operation
PAGE_SIZES = {spec.document: spec.page_size for found in VARIANTS.values() for spec in found}
IDS = {"order_line_items": "gid://shopify/Order/5000000001",
       "order_shipping_lines": "gid://shopify/Order/5000000001",
       "order_discount_applications": "gid://shopify/Order/5000000001",
       "location_inventory_levels": "gid://shopify/Location/70000001",
       "refund_refund_line_items": "gid://shopify/Refund/900000121",
       "refund_order_adjustments": "gid://shopify/Refund/900000121",
       "refund_refund_shipping_lines": "gid://shopify/Refund/900000161"}  # fmt: skip
#: What makes a deletions stream's destroy event: the simulator's verb and its argument.
DESTROY = {"deleted_products": ("delete_product", "product"),
           "deleted_orders": ("delete_order", "order"),
           "deleted_customers": ("delete_customer", "customer")}  # fmt: skip
#: The refunds of acme's store (a details stream reads records by id).
REFUND_IDS = ["gid://shopify/Refund/900000121", "gid://shopify/Refund/900000161"]


#: Documents that read records of acme's store by id: the records (the simulator's truth).
BY_ID = {
    "fulfillment_details": "fulfillments",
    "fulfillment_fulfillment_line_items": "fulfillments",
    "fulfillment_order_line_items": "fulfillment_orders",
    "order_transactions_whole": "orders",
    "order_refunds_whole": "orders",
    "order_fulfillments_whole": "orders",
}


def variables_for(name: str, sim: Simulator | None = None) -> dict[str, Any]:
    [op] = [
        d for d in parse(queries.load(name)).definitions if isinstance(d, OperationDefinitionNode)
    ]
    wanted = {v.variable.name.value for v in op.variable_definitions or ()}
    first = min(10, PAGE_SIZES.get(name, 10))  # never more than ingestion asks for
    declared = declared_document(name)  # a variant's document reads what the declared one does
    known: dict[str, Any] = {"first": first, "after": None, "query": None, "id": IDS.get(declared)}
    known["ids"] = REFUND_IDS
    if declared in BY_ID and sim is not None:
        per_request = min(2, NESTED_PAGE_SIZES.get(name, 2))
        records = truth.records(sim.store("acme"), BY_ID[declared])
        ids = [str(r["id"]) for r in records][:per_request]
        known |= {"ids": ids, "id": ids[0]}
    unknown = wanted - set(known)
    assert not unknown, f"{name}: teach this test the variables {unknown}"
    return {k: v for k, v in known.items() if k in wanted}


def has_records(data: Any) -> bool:
    """True when some connection in ``data`` returned at least one node."""
    if isinstance(data, dict):
        if data.get("nodes") or data.get("edges"):
            return True
        return any(has_records(v) for v in data.values())
    return False


PAGED = [n for n in queries.names() if not n.startswith("bulk_") and n != "access_scopes"]
BULK = [n for n in queries.names() if n.startswith("bulk_") and n not in BULK_CONTROL]


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize("name", PAGED)
def test_paged_documents(simulator: Simulator, name: str, version: str) -> None:
    client = Client(simulator, "acme", version)
    if name in DESTROY:  # a deletions stream: a destroy event of its subject
        verb, subject = DESTROY[name]
        client.control(verb, **{subject: 1})
    body = client.query(queries.load(name), variables_for(name, simulator))
    assert has_records(body["data"]), f"{name} in {version} returned no records"
    cost = body["extensions"]["cost"]
    assert 0 < cost["actualQueryCost"] <= cost["requestedQueryCost"] <= 1000


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_access_scopes_document(simulator: Simulator, version: str) -> None:
    body = Client(simulator, "acme", version).query(queries.load("access_scopes"))
    handles = {s["handle"] for s in body["data"]["currentAppInstallation"]["accessScopes"]}
    assert handles == DEFAULT_SCOPES


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize("name", BULK)
def test_bulk_documents(simulator: Simulator, name: str, version: str) -> None:
    client = Client(simulator, "acme", version)
    run = client.query(queries.load("bulk_run"), {"query": queries.load(name)})
    payload = run["data"]["bulkOperationRunQuery"]
    assert payload["userErrors"] == [], f"{name}: {payload['userErrors']}"
    op_id = payload["bulkOperation"]["id"]
    for _ in range(500):
        op = client.query(queries.load("bulk_status"), {"id": op_id})["data"]["node"]
        if op["status"] not in ("CREATED", "RUNNING"):
            break
        time.sleep(0.01)
    assert op["status"] == "COMPLETED", op
    lines = requests.get(op["url"], timeout=30).text.splitlines()
    assert len(lines) == int(op["objectCount"]) > 0
    # Every line has an id, but a child node whose type has none (an order's discount
    # application), which has its __typename and its parent's id.
    for record in map(json.loads, lines):
        assert "id" in record or {"__typename", "__parentId"} <= set(record), record


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_bulk_cancel_document_cancels_a_running_operation(
    start_simulator: Callable[..., AbstractContextManager[Simulator]], version: str
) -> None:
    options = SimulatorOptions(faults={"acme": profile("bulk-stuck")})  # stays RUNNING
    with start_simulator(options=options) as sim:
        client = Client(sim, "acme", version)
        run = client.query(queries.load("bulk_run"), {"query": queries.load("bulk_products")})
        op_id = run["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"]
        cancel = client.query(queries.load("bulk_cancel"), {"id": op_id})
        payload = cancel["data"]["bulkOperationCancel"]
        assert payload["userErrors"] == []
        assert payload["bulkOperation"]["id"] == op_id
        assert payload["bulkOperation"]["status"] in ("CANCELING", "CANCELED")
        for _ in range(500):
            op = client.query(queries.load("bulk_status"), {"id": op_id})["data"]["node"]
            if op["status"] == "CANCELED":
                break
            time.sleep(0.01)
        assert op["status"] == "CANCELED"
