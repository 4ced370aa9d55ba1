"""Every GraphQL document validates against Shopify's real schema for each supported version."""

from __future__ import annotations

import gzip
import json
from functools import cache

import graphql
import pytest

from shopsync.shopify import queries
from shopsync.streams import DECLARATIONS
from tests.support.paths import SHOPIFY_SCHEMAS_DIR

SCHEMAS = SHOPIFY_SCHEMAS_DIR
VERSIONS = ["2025-10", "2026-01", "2026-04", "2026-07", "2026-10"]


@cache
def schema(version: str) -> graphql.GraphQLSchema:
    with gzip.open(SCHEMAS / f"admin_{version}.json.gz") as handle:
        built = graphql.build_client_schema(json.load(handle)["data"])
    built._validation_errors = []  # Shopify's schema trips one graphql-core rule; see README
    return built


def test_every_stream_has_a_document() -> None:
    expected = {d.name for d in DECLARATIONS} | {"order_line_items"}
    assert expected <= set(queries.names())


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", queries.names())
def test_document_is_valid(name: str, version: str) -> None:
    document = graphql.parse(queries.load(name))
    errors = graphql.validate(schema(version), document)
    assert errors == [], [e.message for e in errors]


def test_validation_catches_a_bad_field() -> None:
    bad = graphql.parse("query { products(first: 1) { nodes { idd } } }")
    assert graphql.validate(schema("2026-10"), bad)


def test_load_refuses_path_tricks() -> None:
    with pytest.raises(ValueError, match="invalid query name"):
        queries.load("../x")
