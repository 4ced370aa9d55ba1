"""Each stream declares the access scopes its documents need, per Shopify's own schemas: the
declared scopes grant every field of every document of the stream, in every supported version,
whichever scope of an any-of requirement is held, and none of them is superfluous. The same
holds for each variant with scoped fields (a fulfillment's location): its scopes are the
stream's and the fields' requirements."""

from __future__ import annotations

import itertools

import pytest
from graphql import parse

from shopsync.shopify.scopes import missing_scopes
from shopsync.streams import DECLARATIONS, StreamDeclaration
from shopsync.streams.documents import bulk_document, nested_document, paged_document
from shopsync.streams.scopes import any_of, describe, options
from shopsync.streams.variants import variants
from shopsync_simulator.graphql.schema import DEFAULT_SCOPES, SUPPORTED_VERSIONS, admin_schema

#: Every variant of every stream: as declared, and with the fields of each scope it may be
#: asked for besides its own (:mod:`shopsync.streams.variants`).
EVERY = [v for d in DECLARATIONS for v in variants(d)]


def _documents(stream: StreamDeclaration) -> list[str]:
    docs = [paged_document(stream), nested_document(stream)]
    docs.append(bulk_document(stream) if stream.bulk else None)
    return [d for d in docs if d is not None]


def _denied(stream: StreamDeclaration, version: str, granted: set[str]) -> list[str]:
    schema = admin_schema(version)
    return [
        e.message
        for doc in _documents(stream)
        for e in schema.scope_errors(parse(doc), frozenset(granted))
    ]


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize("stream", EVERY, ids=lambda d: d.name + d.variant)
def test_the_declared_scopes_are_what_the_documents_need(
    stream: StreamDeclaration, version: str
) -> None:
    for held in itertools.product(*map(options, stream.scopes)):
        assert _denied(stream, version, set(held)) == [], held
        for scope in held:
            assert _denied(stream, version, set(held) - {scope}), f"{scope} is not needed"


def test_the_simulator_grants_every_stream_s_scopes_by_default() -> None:
    assert not missing_scopes({s for d in DECLARATIONS for s in d.scopes}, DEFAULT_SCOPES)


def test_an_any_of_requirement_is_met_by_any_one_of_its_scopes() -> None:
    either = any_of("read_assigned_fulfillment_orders", "read_merchant_managed_fulfillment_orders")
    assert describe(either) == (
        "read_assigned_fulfillment_orders or read_merchant_managed_fulfillment_orders"
    )
    assert missing_scopes([either, "read_orders"], {"read_orders"}) == (either,)
    assert missing_scopes([either], {"write_merchant_managed_fulfillment_orders"}) == ()
    assert missing_scopes([either], {"read_assigned_fulfillment_orders"}) == ()
    with pytest.raises(ValueError, match="two or more"):
        any_of("read_orders")
