"""The stream declarations and the documents generated from them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shopsync.extract.streams import SPECS
from shopsync.shopify import queries
from shopsync.streams import STREAM_GROUPS, STREAMS_BY_GROUP
from shopsync.streams.declarations import DECLARATIONS, ORDERS, Parents
from shopsync.streams.documents import bulk_document, documents, nested_document, paged_document


def test_every_group_has_streams_and_every_stream_one_declaration() -> None:
    names = [d.name for d in DECLARATIONS]
    assert len(names) == len(set(names))
    assert set(STREAMS_BY_GROUP) == set(STREAM_GROUPS)
    assert all(STREAMS_BY_GROUP[g] for g in STREAM_GROUPS)
    assert sorted(n for streams in STREAMS_BY_GROUP.values() for n in streams) == sorted(names)


def test_ingestion_sends_the_generated_documents() -> None:
    for stream in DECLARATIONS:
        spec = SPECS[stream.name]
        assert queries.load(spec.document) == paged_document(stream)
        if spec.nested_document is not None:
            assert queries.load(spec.nested_document) == nested_document(stream)
    assert set(documents()) <= set(queries.names())
    assert {"bulk_run", "bulk_status", "bulk_cancel"} <= set(queries.names())


def test_the_bulk_filter_has_one_slot_on_the_listed_connection() -> None:
    text = bulk_document(ORDERS, "updated_at:>='2026-01-01T00:00:00Z' AND name:\"#1\"")
    assert text.count("query:") == 1
    assert 'orders(query: "updated_at:>=\'2026-01-01T00:00:00Z\' AND name:\\"#1\\"")' in text
    assert "orders {" in bulk_document(ORDERS, None)


def test_a_declaration_says_where_its_records_are_listed_exactly_once() -> None:
    parents = Parents(root="locations", node_type="Location", connection="inventoryLevels")
    with pytest.raises(ValueError, match="exactly one of root and parents"):
        replace(ORDERS, parents=parents, children=())
    with pytest.raises(ValueError, match="exactly one of root and parents"):
        replace(ORDERS, root=None)
    with pytest.raises(ValueError, match="bulk_parents needs parents"):
        replace(ORDERS, bulk_parents=parents)
    with pytest.raises(ValueError, match="have no children"):
        replace(ORDERS, root=None, parents=parents, bulk_parents=parents)
