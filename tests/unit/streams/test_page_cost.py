"""Every document ingestion pages, at the page size it sends, asks for at most Shopify's
1000-point single-query limit (a larger request is refused, then retried at half the size: a
wasted request), in every supported API version, in every variant (with the fields a store
may be asked for only when it granted their scope)."""

from __future__ import annotations

from typing import Any

import pytest

from shopsync.extract.streams import ID_DOCUMENTS, NESTED_PAGE_SIZES, VARIANTS
from shopsync.shopify import queries
from shopsync.shopify.cost import requested_cost
from shopsync_simulator.graphql.schema import SUPPORTED_VERSIONS

SINGLE_QUERY_LIMIT = 1000
SIZES = {
    spec.document: spec.page_size for found in VARIANTS.values() for spec in found
} | NESTED_PAGE_SIZES
DETAILS = ID_DOCUMENTS


def _variables(document: str, size: int) -> dict[str, Any]:
    if document in DETAILS:
        return {"ids": [f"gid://shopify/Refund/{n}" for n in range(size)]}
    return {"first": size, "after": None, "query": "updated_at:>='2026-01-01'", "id": "gid://x/1"}


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize("document", sorted(SIZES))
def test_a_page_fits_the_single_query_limit(document: str, version: str) -> None:
    size = SIZES[document]
    cost = requested_cost(queries.load(document), _variables(document, size), version)
    assert cost is not None, f"{document}: cost unknown in {version}"
    assert cost <= SINGLE_QUERY_LIMIT, f"{document} at {size} per page asks for {cost} points"
