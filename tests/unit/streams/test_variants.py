"""A stream's variants: the declared documents, and the same with the fields that need a scope
besides the stream's, named ``<document>_with_<tag>``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shopsync.streams.declarations import ORDER_FULFILLMENTS, ORDERS, REFUND_DETAILS
from shopsync.streams.documents import documents, paged_document
from shopsync.streams.model import ScopedFields
from shopsync.streams.orders import LOCATION_SCOPES
from shopsync.streams.variants import declared_document, variant_named, variants, with_fields


def test_fields_are_added_where_within_says() -> None:
    fields = "id\nfulfillments(first: 10) {\n  id\n  trackingInfo(first: 3) { number }\n}"
    added = with_fields(fields, "Order", "location { id }", ("fulfillments",))
    assert added.splitlines() == [
        "  id",
        "  fulfillments(first: 10) {",
        "    id",
        "    trackingInfo(first: 3) {",
        "      number",
        "    }",
        "    location {",
        "      id",
        "    }",
        "  }",
    ]
    assert with_fields("id", "Order", "name", ()).split() == ["id", "name"]


def test_a_path_that_names_no_object_field_fails() -> None:
    with pytest.raises(ValueError, match="no object field 'refunds'"):
        with_fields("id\nname", "Order", "location { id }", ("refunds",))
    with pytest.raises(ValueError, match="no object field 'name'"):
        with_fields("id\nname", "Order", "location { id }", ("name",))


def test_the_variant_adds_the_fields_and_their_requirement_and_nothing_else() -> None:
    declared, located = variants(ORDER_FULFILLMENTS)
    assert declared is ORDER_FULFILLMENTS
    assert located.variant == "_with_locations"
    assert located.scopes == ("read_orders", LOCATION_SCOPES)
    assert (located.name, located.tables, located.capped) == (
        declared.name,
        declared.tables,
        declared.capped,
    )
    assert "location" not in paged_document(declared)
    assert "location {" in paged_document(located)
    assert (
        variant_named(REFUND_DETAILS, "_with_locations")
        .children[0]
        .fields.endswith("location {\n    id\n  }")
    )
    assert variants(ORDERS) == (ORDERS,)
    with pytest.raises(KeyError, match="orders has no variant '_with_x'"):
        variant_named(ORDERS, "_with_x")


def test_two_scoped_field_sets_make_every_combination() -> None:
    email = ScopedFields("emails", "read_customers", "email")
    tax = ScopedFields("taxes", "read_taxes", "taxExempt")
    stream = replace(ORDERS, scoped=(email, tax))
    assert [v.variant for v in variants(stream)] == [
        "",
        "_with_emails",
        "_with_taxes",
        "_with_emails_taxes",
    ]
    assert variants(stream)[-1].scopes[-2:] == ("read_customers", "read_taxes")


def test_every_document_of_a_variant_is_named_for_it() -> None:
    names = set(documents())
    for name in (
        "order_fulfillments",
        "order_fulfillments_whole",
        "bulk_order_fulfillments",
        "refund_details",
        "refund_details_refund_line_items",
        "refund_refund_line_items",
    ):
        assert name in names
        located = name + "_with_locations"
        assert located in names
        assert "location {" in documents()[located]
        assert "location {" not in documents()[name]


def test_a_variant_s_document_names_the_declared_one_it_was_made_from() -> None:
    assert declared_document("order_fulfillments_whole_with_locations") == (
        "order_fulfillments_whole"
    )
    assert declared_document("refund_details") == "refund_details"
