"""The cost the client's pacer reserves before a query shape's first call
(``shopsync.shopify.cost.requested_cost``, on the shipped cost schemas) is exactly what the
simulator charges as ``requestedQueryCost``: every document the project sends, with the
variables ingestion sends it with, in every supported version."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from shopsync.extract.streams import ID_DOCUMENTS, NESTED_PAGE_SIZES, VARIANTS
from shopsync.shopify import queries
from shopsync.shopify.cost import requested_cost
from shopsync.streams.variants import declared_document
from shopsync_simulator import Simulator, SimulatorOptions
from shopsync_simulator.graphql.schema import SUPPORTED_VERSIONS
from tests.integration.simulator.client import Client

SPECS = [spec for found in VARIANTS.values() for spec in found]  # every variant's documents
PAGE_SIZES = {spec.document: spec.page_size for spec in SPECS} | NESTED_PAGE_SIZES
BASE_QUERIES = {spec.document: spec.base_query for spec in SPECS}
WINDOW = "updated_at:>='2024-01-01T00:00:00Z' AND updated_at:<='2026-11-24T19:59:00Z'"
PARENTS = {
    "order_line_items": "gid://shopify/Order/5000000001",
    "location_inventory_levels": "gid://shopify/Location/70000001",
    "refund_refund_line_items": "gid://shopify/Refund/900000121",
    "refund_order_adjustments": "gid://shopify/Refund/900000121",
    "refund_refund_shipping_lines": "gid://shopify/Refund/900000161",
}
#: Details streams' documents take ``page_size`` ids instead of a page.
DETAILS = ID_DOCUMENTS
OPERATION = "gid://shopify/BulkOperation/1"
BULK_CONTROL = ("bulk_run", "bulk_status", "bulk_cancel")
#: Sent as the ``query`` of bulk_run, never as queries of their own.
BULK_DOCUMENTS = [n for n in queries.names() if n.startswith("bulk_") and n not in BULK_CONTROL]
PAGED = sorted(PAGE_SIZES)


def sent(name: str, size: int) -> dict[str, Any]:
    """The variables paging.iter_pages sends a paged document with (page size ``size``), or
    the ``size`` ids a details stream's batch sends."""
    if name in DETAILS:
        return {"ids": [f"gid://shopify/Refund/{900000121 + i}" for i in range(size)]}
    search = " AND ".join(q for q in (BASE_QUERIES.get(name), WINDOW) if q)
    variables: dict[str, Any] = {"first": size, "after": None, "query": search}
    if declared_document(name) in PARENTS:
        variables["id"] = PARENTS[declared_document(name)]
    return variables


def cases() -> list[tuple[str, dict[str, Any]]]:
    sizes = {n: sorted({PAGE_SIZES[n], max(PAGE_SIZES[n] // 2, 1)}) for n in PAGED}
    paged = [(n, sent(n, size)) for n in PAGED for size in sizes[n]]
    bulk = [("bulk_run", {"query": queries.load(n)}) for n in BULK_DOCUMENTS]
    control = [("bulk_status", {"id": OPERATION}), ("bulk_cancel", {"id": OPERATION})]
    run_start = [("access_scopes", {})]  # once per run, before any stream
    return paged + bulk + control + run_start


def test_every_document_the_project_sends_is_covered() -> None:
    assert {name for name, _ in cases()} | set(BULK_DOCUMENTS) == set(queries.names())
    assert "deleted_products" in PAGED  # the events query, with its interface fragment


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_the_computed_cost_is_what_the_simulator_charges(
    start_simulator: Callable[..., AbstractContextManager[Simulator]], version: str
) -> None:
    with start_simulator(options=SimulatorOptions(rate_limits=False)) as sim:
        charged = _charged(sim, version)
    computed = {
        (name, str(variables)): requested_cost(queries.load(name), variables, version)
        for name, variables in cases()
    }
    assert computed == charged
    assert all(cost is not None and cost > 0 for cost in computed.values())


def _charged(sim: Simulator, version: str) -> dict[tuple[str, str], int | None]:
    client = Client(sim, "acme", version)
    out: dict[tuple[str, str], int | None] = {}
    for name, variables in cases():
        body = client.post(queries.load(name), variables).json()
        out[(name, str(variables))] = body["extensions"]["cost"]["requestedQueryCost"]
    return out


def test_the_cost_by_field_comes_with_shopify_s_header(acme: Client) -> None:
    query = "{ products(first: 3) { nodes { id variants(first: 2) { nodes { id } } } } }"
    url = acme.sim.graphql_url(acme.tenant, acme.version)
    plain = acme.post(query).json()
    assert "fields" not in plain["extensions"]["cost"]
    for header, value in (
        ("X-GraphQL-Cost-Include-Fields", "true"),
        ("Shopify-GraphQL-Cost-Debug", "1"),
    ):
        body = acme.session.post(
            url, json={"query": query}, headers={header: value}, timeout=30
        ).json()
        cost = body["extensions"]["cost"]
        lines = {tuple(f["path"]): f for f in cost["fields"]}
        assert lines[("products",)]["requestedTotalCost"] == cost["requestedQueryCost"] == 2 + 3 * 5
        assert lines[("products", "nodes", "variants")]["requestedChildrenCost"] == 1
