"""Details streams (records read by the ids another stream lists): what the model accepts, and
a batch of ``page_size`` ids stays under Shopify's 1000-point single-query limit, as does a
batch of the records whose child connection is asked again."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shopsync.shopify.cost import requested_cost
from shopsync.streams.declarations import DECLARATIONS, REFUND_DETAILS, _check_details
from shopsync.streams.documents import more_document, paged_document
from shopsync.streams.model import Child, DetailsOf, StreamDeclaration
from shopsync_simulator.graphql.schema import SUPPORTED_VERSIONS

DETAILS = [d for d in DECLARATIONS if d.details_of is not None]
#: What a batch may ask for: Shopify's single-query limit (a request over it is refused).
BUDGET = 1000


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize("stream", DETAILS, ids=lambda d: d.name)
def test_a_batch_costs_well_under_the_limit(stream: StreamDeclaration, version: str) -> None:
    ids = [f"gid://shopify/{stream.node_type}/{i}" for i in range(stream.page_size)]
    cost = requested_cost(paged_document(stream), {"ids": ids}, version)
    assert cost is not None
    assert cost <= BUDGET
    one_more = requested_cost(paged_document(stream), {"ids": [*ids, ids[0]]}, version)
    assert one_more is not None
    assert one_more > cost


MORE = [(d, c) for d in DETAILS for c in d.children if c.more_first]


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize(("stream", "child"), MORE, ids=[f"{d.name}.{c.field}" for d, c in MORE])
def test_a_batch_asked_again_fits_the_limit(
    stream: StreamDeclaration, child: Child, version: str
) -> None:
    ids = [f"gid://shopify/{stream.node_type}/{i}" for i in range(child.more_page_size)]
    cost = requested_cost(more_document(stream, child), {"ids": ids}, version)
    assert cost is not None
    assert cost <= BUDGET
    assert child.first < child.more_first < child.page_size


def test_only_a_details_stream_asks_a_child_again() -> None:
    orders = next(d for d in DECLARATIONS if d.name == "orders")
    child = replace(orders.children[0], first=1, more_first=4, more_page_size=10)
    with pytest.raises(ValueError, match="only a details stream"):
        replace(orders, children=(child, *orders.children[1:]))
    with pytest.raises(ValueError, match="more_first exceeds first"):
        replace(child, more_first=1)


def test_a_details_stream_has_no_root_bulk_or_parents() -> None:
    with pytest.raises(ValueError, match="no root or parents"):
        replace(REFUND_DETAILS, root="orders")
    with pytest.raises(ValueError, match="no bulk query"):
        replace(REFUND_DETAILS, bulk=True)
    with pytest.raises(ValueError, match="names a list and the id"):
        replace(REFUND_DETAILS, details_of=DetailsOf("order_refunds", ("refunds",)))


def test_a_details_stream_follows_a_stream_of_its_group_that_selects_the_list() -> None:
    by_name = {d.name: d for d in DECLARATIONS}
    details = by_name["refund_details"]
    with pytest.raises(ValueError, match="not an earlier stream of orders"):
        _check_details((details, by_name["order_refunds"]))
    with pytest.raises(ValueError, match="not an earlier stream of orders"):
        _check_details(
            (by_name["customers"], replace(details, details_of=DetailsOf("customers", ("x", "id"))))
        )
    elsewhere = replace(details, details_of=DetailsOf("orders", ("refunds", "id")))
    with pytest.raises(ValueError, match="orders does not select refunds"):
        _check_details((by_name["orders"], elsewhere))
