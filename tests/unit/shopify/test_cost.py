"""Calculated query cost on sample queries, against the real 2026-10 schema and the cost
schema the client ships for it (the same figures from both).

Expected numbers (Shopify's documented rules; see shopsync/shopify/cost.py):
object 1, scalar/enum 0, connection 2 + first x (1 + node selection), mutation 10.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLSchema, parse

from shopsync.shopify.cost import cost_breakdown, query_cost, requested_cost
from shopsync.shopify.cost_schema import cost_schema, schema_version_for, versions
from shopsync_simulator.graphql.schema import admin_schema

SCHEMAS = {"full": lambda: admin_schema("2026-10").schema, "cost": lambda: cost_schema("2026-10")}

SAMPLES = [
    # 1: one object
    ("{ shop { name currencyCode } }", 1),
    # 2 + 250 x 1: a flat product page
    ("{ products(first: 250) { edges { cursor node { id title status } } pageInfo { hasNextPage } } }", 252),  # noqa: E501
    # nodes{} costs the same as edges{node{}}
    ("{ products(first: 250) { nodes { id title } } }", 252),
    # 2 + 10 x (1 + (2 + 5 x 1))
    ("{ products(first: 10) { nodes { id variants(first: 5) { nodes { id sku } } } } }", 82),
    # per order: 1 + totalPriceSet (MoneyBag 1 + shopMoney 1) + lineItems (2 + 10 x 1) = 15
    ("{ orders(first: 50) { nodes { id totalPriceSet { shopMoney { amount } } "
     "lineItems(first: 10) { nodes { id quantity } } } } }", 752),
    # last counts like first
    ("{ customers(last: 100) { nodes { id defaultEmailAddress { emailAddress } } } }", 202),
    # interface: 1 + max over the selections of its possible types (Product: 2 + 3 x 1)
    ('{ node(id: "gid://shopify/Product/1") { id ... on Product { variants(first: 3) '
     "{ nodes { id } } } ... on Order { name } } }", 6),
    # list sized by ids: 3 x (1 + 0)
    ('{ nodes(ids: ["a", "b", "c"]) { id } }', 3),
    # per level: 1 + quantities (2 names x 1) + location 1 = 4; per item 1 + 2 + 5 x 4 = 23
    ('{ inventoryItems(first: 40) { nodes { id inventoryLevels(first: 5) { nodes { id '
     'quantities(names: ["available", "on_hand"]) { name quantity } location { id } } } } } }', 922),  # noqa: E501
    # a mutation field: 10
    ("mutation { bulkOperationCancel(id: \"gid://shopify/BulkOperation/1\") { userErrors { message } } }", 10),  # noqa: E501
]  # fmt: skip


@pytest.fixture(params=sorted(SCHEMAS))
def schema(request: pytest.FixtureRequest) -> GraphQLSchema:
    return SCHEMAS[request.param]()


@pytest.mark.parametrize(("query", "cost"), SAMPLES)
def test_requested_cost(schema: GraphQLSchema, query: str, cost: int) -> None:
    assert query_cost(schema, parse(query), None, {}) == cost


@pytest.mark.parametrize(("query", "cost"), SAMPLES)
def test_the_client_computes_the_same_from_the_text(query: str, cost: int) -> None:
    assert requested_cost(query, None, "2026-10") == cost


def test_variables_and_fragments(schema: GraphQLSchema) -> None:
    query = """
      query Page($n: Int!, $withVariants: Boolean!) {
        products(first: $n) { nodes { ...P } }
      }
      fragment P on Product { id variants(first: 4) @include(if: $withVariants) { nodes { id } } }
    """
    doc = parse(query)
    assert query_cost(schema, doc, "Page", {"n": 20, "withVariants": True}) == 2 + 20 * 7
    assert query_cost(schema, doc, "Page", {"n": 20, "withVariants": False}) == 22


def test_actual_cost_counts_what_came_back(schema: GraphQLSchema) -> None:
    doc = parse("{ products(first: 10) { nodes { id variants(first: 5) { nodes { id } } } } }")
    data: dict[str, Any] = {
        "products": {
            "nodes": [
                {"id": "1", "variants": {"nodes": [{"id": "a"}, {"id": "b"}]}},
                {"id": "2", "variants": {"nodes": []}},
            ]
        }
    }
    # 2 + (1 + 2 + 2) + (1 + 2 + 0)
    assert query_cost(schema, doc, None, {}, data, actual=True) == 10
    assert (
        query_cost(schema, parse("{ shop { name } }"), None, {}, {"shop": None}, actual=True) == 1
    )


def test_a_list_with_first_is_not_a_connection() -> None:
    """The reason the cost needs the schema: the same arguments cost differently by type."""
    order = '{ order(id: "gid://shopify/Order/1") { %s(first: 5) { %s } } }'
    # Order.fulfillments is a list: 1 + 5 x 1; Order.lineItems a connection: 1 + 2 + 5 x 1.
    assert requested_cost(order % ("fulfillments", "id"), None, "2026-10") == 6
    assert requested_cost(order % ("lineItems", "nodes { id }"), None, "2026-10") == 8


@pytest.mark.parametrize(
    "query",
    [
        "{ products(first: 10) { nodes { id",  # does not parse
        "{ products(first: 10) { nodes { id notAField { id } } } }",  # unknown field
        "{ node(id: 1) { ... on NotAType { id } } }",  # unknown type
        "{ shop { ...Missing } }",  # unknown fragment
        "query A { shop { id } } query B { shop { id } }",  # which operation?
    ],
)
def test_no_figure_for_what_the_schema_cannot_cost(query: str) -> None:
    assert requested_cost(query, None, "2026-10") is None


def test_input_types_are_known_by_name() -> None:
    mutation = "mutation M($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { field } } }"  # noqa: E501
    assert requested_cost(mutation, {"p": {"id": "gid://shopify/Product/1"}}, "2026-10") == 10


def test_versions_fall_back_to_the_nearest_shipped_schema() -> None:
    shipped = versions()
    assert schema_version_for(shipped[-1]) == shipped[-1]
    assert schema_version_for("2099-01") == shipped[-1]
    assert schema_version_for("2026-02") == "2026-01"
    assert schema_version_for("2019-01") == shipped[0]


def test_the_cost_by_field_as_shopify_answers_it(schema: GraphQLSchema) -> None:
    """``X-GraphQL-Cost-Include-Fields: true``: a line per response path. The customers
    connection's figures are a real answer's (Shopify/shopify-api-js issue 602: nodes 1/1/0,
    the connection null/12/1, ``requestedQueryCost`` 12 for ten customers)."""
    doc = parse("{ customers(first: 10) { nodes { id } } shop { name } }")
    lines = {tuple(f["path"]): f for f in cost_breakdown(schema, doc, None, {})}
    costs = {
        p: (f["definedCost"], f["requestedTotalCost"], f["requestedChildrenCost"])
        for p, f in lines.items()
    }
    assert costs == {
        ("customers", "nodes", "id"): (0, 0, None),
        ("customers", "nodes"): (1, 1, 0),
        ("customers",): (None, 12, 1),
        ("shop", "name"): (0, 0, None),
        ("shop",): (1, 1, 0),
    }
    roots = sum(f["requestedTotalCost"] for p, f in lines.items() if len(p) == 1)
    assert roots == query_cost(schema, doc, None, {}) == 13


def test_the_breakdown_adds_up_on_every_sample(schema: GraphQLSchema) -> None:
    for query, cost in SAMPLES:
        if query.startswith("mutation"):
            continue
        lines = cost_breakdown(schema, parse(query), None, {})
        assert sum(f["requestedTotalCost"] for f in lines if len(f["path"]) == 1) == cost, query
