"""Deletions streams and the tables deleted with their subjects: what each stream asks Shopify
for is valid in every supported version, and every table that belongs to an order, a product
or a customer says so once, in its spec."""

from __future__ import annotations

from dataclasses import replace

import pytest
from graphql import GraphQLEnumType

from shopsync.streams.declarations import (
    DECLARATIONS,
    DELETIONS,
    ORDERS,
    TABLES,
    _check_deletions,
)
from shopsync.streams.tables import DeletedWith
from shopsync_simulator.graphql.schema import SUPPORTED_VERSIONS, admin_schema

SUBJECT_OF_GROUP = {"orders": "ORDER", "customers": "CUSTOMER"}


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_each_subject_is_an_event_subject_type_the_events_query_filters_on(version: str) -> None:
    schema = admin_schema(version).schema
    subject_types = schema.get_type("EventSubjectType")
    assert isinstance(subject_types, GraphQLEnumType)
    assert {d.subject for d in DELETIONS.values()} <= set(subject_types.values)
    query = schema.query_type
    assert query is not None
    search = query.fields["events"].args["query"].description or ""
    assert "| subject_type |" in search
    assert "| action |" in search
    assert "| created_at |" in search


def test_every_table_of_an_order_goes_with_it_and_a_customer_with_its_own() -> None:
    for d in DECLARATIONS:
        for table in d.tables:
            if d.group in SUBJECT_OF_GROUP:
                assert table.deleted_with is not None, table.name
                assert table.deleted_with.subject == SUBJECT_OF_GROUP[d.group], table.name
    # Every row holding an order's gid (``orders.order_id`` is the order's own number).
    order_rows = {t.name for t in TABLES.values() if "order_id" in t.column_names} - {"orders"}
    assert order_rows == {
        "order_line_items",
        "shipping_lines",
        "discount_applications",
        "tax_lines",
        "discount_allocations",
        "order_discount_codes",
        "transactions",
        "refunds",
        "refund_line_items",
        "order_adjustments",
        "refund_shipping_lines",
        "fulfillments",
        "fulfillment_line_items",
        "fulfillment_orders",
        "fulfillment_order_line_items",
        "tender_transactions",
    }
    assert all(TABLES[t].deleted_with == DeletedWith("ORDER", "order_id") for t in order_rows)


def test_a_product_takes_its_variants_inventory_items_and_levels() -> None:
    deleted = {t.name: t.deleted_with for t in TABLES.values() if t.deleted_with is not None}
    products = {name for name, w in deleted.items() if w.subject == "PRODUCT"}
    assert products == {"products", "product_variants", "inventory_items", "inventory_levels"}
    assert "locations" not in deleted  # always a complete snapshot: absent ones are deleted


def test_a_deletions_stream_follows_its_subject_s_stream_once_per_subject() -> None:
    deleted_orders = next(d for d in DECLARATIONS if d.name == "deleted_orders")
    others = tuple(d for d in DECLARATIONS if d.name != "deleted_orders")
    first = (deleted_orders, *others)
    with pytest.raises(ValueError, match="deleted_orders: deletes orders, not an earlier"):
        _check_deletions(first)
    moved = replace(deleted_orders, group="customers")
    with pytest.raises(ValueError, match="not an earlier stream of customers"):
        _check_deletions((*others, moved))
    twice = replace(deleted_orders, name="gone_orders")
    with pytest.raises(ValueError, match="gone_orders: a second deletions stream of ORDER"):
        _check_deletions((*DECLARATIONS, twice))


@pytest.mark.parametrize(
    ("deleted_with", "message"),
    [
        (DeletedWith("DRAFT_ORDER"), "orders: no deletions stream of DRAFT_ORDER"),
        (DeletedWith("ORDER", "order_key"), r"orders: deleted with ORDER: no orders.order_key"),
        (
            DeletedWith("ORDER", "customer_id", via=(("customers", "order_gid"),)),
            r"no customers.order_gid",
        ),
        (DeletedWith("ORDER", "id", via=(("shops", "order_id"),)), r"no shops.id"),
    ],
)
def test_a_table_deleted_with_a_subject_names_what_exists(
    deleted_with: DeletedWith, message: str
) -> None:
    orders = replace(ORDERS.tables[0], deleted_with=deleted_with)
    changed = replace(ORDERS, tables=(orders, *ORDERS.tables[1:]))
    declarations = tuple(changed if d is ORDERS else d for d in DECLARATIONS)
    with pytest.raises(ValueError, match=message):
        _check_deletions(declarations)
