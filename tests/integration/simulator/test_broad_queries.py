"""A broad query per node type through the simulator's endpoint, in every shipped API version:
every field the token may read that needs no argument, paged (with each connection's nodes)
and as a bulk operation (the JSONL lines), answered without an error and without a field a
client would find null or empty where the record holds something."""

from __future__ import annotations

import json

import pytest
import requests
from graphql import GraphQLField, GraphQLObjectType, get_named_type

from shopsync_simulator import Simulator
from shopsync_simulator.graphql.schema import DEFAULT_SCOPES, SUPPORTED_VERSIONS, admin_schema
from tests.integration.simulator.client import Client
from tests.integration.simulator.test_bulk import run, wait
from tests.support.broad_query import Allowed

from tests.support.broad_query import node_selection  # isort: skip

ROOTS = {
    "products": "Product",
    "productVariants": "ProductVariant",
    "customers": "Customer",
    "orders": "Order",
    "locations": "Location",
}


def _readable(version: str) -> Allowed:
    """What the fixture's token (the default scopes) may read: a field whose own scope or
    whose type's scope it lacks would be ACCESS_DENIED."""
    admin = admin_schema(version)

    def allowed(owner: GraphQLObjectType, name: str, definition: GraphQLField) -> bool:
        needs = [
            admin.field_scopes.get((owner.name, name)),
            admin.type_scopes.get(get_named_type(definition.type).name),
        ]
        return all(need is None or need[0] & DEFAULT_SCOPES for need in needs)

    return allowed


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_a_broad_paged_query_per_node_type(simulator: Simulator, version: str) -> None:
    client = Client(simulator, "acme", version)
    schema = admin_schema(version).schema
    for root, type_name in ROOTS.items():
        node = schema.get_type(type_name)
        assert isinstance(node, GraphQLObjectType)
        selection = node_selection(schema, node, _readable(version))
        body = client.query(
            f"{{ {root}(first: 2) {{ nodes {{ {selection.render()} }} }} }}",
            throttled_retries=20,
        )
        nodes = body["data"][root]["nodes"]
        assert len(nodes) == 2, root
        assert len(nodes[0]) > 20, root  # the fields came back, not an empty shell
        cost = body["extensions"]["cost"]
        assert cost["actualQueryCost"] <= cost["requestedQueryCost"] <= 1000


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_a_broad_bulk_query_per_node_type(simulator: Simulator, version: str) -> None:
    client = Client(simulator, "acme", version)
    schema = admin_schema(version).schema
    for root, type_name in ROOTS.items():
        node = schema.get_type(type_name)
        assert isinstance(node, GraphQLObjectType)
        # A bulk query's connections take no page size: the node's own fields and objects.
        selection = node_selection(schema, node, _readable(version), connections=False)
        fields = selection.render().replace("(first: 2)", "")
        payload = run(client, f"{{ {root} {{ edges {{ node {{ {fields} }} }} }} }}")
        assert payload["userErrors"] == [], (root, payload["userErrors"])
        done = wait(client, payload["bulkOperation"]["id"])
        assert done["status"] == "COMPLETED", (root, done)
        rows = [json.loads(x) for x in requests.get(done["url"], timeout=30).text.splitlines()]
        assert rows, root
        assert all(len(row) > 20 for row in rows), root
        first = rows[0]
        assert first["id"].startswith(f"gid://shopify/{type_name}/")
        assert all(value is not None for key, value in first.items() if key.endswith("Count"))
