"""The access scopes a store granted: Shopify's implication rules, and reading them."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from shopsync.shopify import queries
from shopsync.shopify.scopes import (
    DOCUMENT,
    AccessScopesError,
    implied_scopes,
    missing_scopes,
    read_access_scopes,
)
from shopsync_simulator.graphql.schema import SUPPORTED_VERSIONS, admin_schema
from tests.support.clients import make_client

from .fakes import Reply, ScriptedAdapter, ok, session_with


@pytest.mark.parametrize(
    ("granted", "implied"),
    [
        ({"write_products"}, {"write_products", "read_products"}),
        ({"read_products"}, {"read_products"}),
        (
            {"unauthenticated_write_checkouts"},
            {"unauthenticated_write_checkouts", "unauthenticated_read_checkouts"},
        ),
        # read_all_orders widens read_orders' 60-day window: it grants no order access itself.
        ({"read_all_orders"}, {"read_all_orders"}),
        ({"write_orders", "read_all_orders"}, {"write_orders", "read_orders", "read_all_orders"}),
        # Nothing reads into a write, nor into another resource.
        ({"read_orders"}, {"read_orders"}),
        ({"write_inventory"}, {"write_inventory", "read_inventory"}),
        (set(), set()),
    ],
)
def test_implications(granted: set[str], implied: set[str]) -> None:
    assert implied_scopes(granted) == implied


def test_missing_scopes_are_sorted_and_implied_ones_are_not_missing() -> None:
    needed = ("read_orders", "read_customers", "read_products")
    assert missing_scopes(needed, {"write_products", "read_all_orders"}) == (
        "read_customers",
        "read_orders",
    )
    assert missing_scopes(needed, {"write_orders", "write_customers", "read_products"}) == ()
    assert missing_scopes((), set()) == ()


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_the_query_needs_no_scope_in_any_version(version: str) -> None:
    assert admin_schema(version).scope_errors(parse(queries.load(DOCUMENT)), frozenset()) == []


def _installation(*handles: str) -> dict[str, Any]:
    return {"currentAppInstallation": {"accessScopes": [{"handle": h} for h in handles]}}


def test_reads_the_granted_handles() -> None:
    adapter = ScriptedAdapter(ok(_installation("write_products", "read_customers")))
    client = make_client(session_with(adapter))
    assert read_access_scopes(client) == {"write_products", "read_customers"}
    (sent,) = adapter.sent
    assert "currentAppInstallation" in sent.body["query"]


@pytest.mark.parametrize(
    "reply",
    [
        ok(_installation()),  # nothing granted would skip every stream without a word
        ok({"currentAppInstallation": None}),
        ok({"currentAppInstallation": {"accessScopes": [{"handle": None}]}}),
        Reply(body={"errors": [{"message": "Field 'x' doesn't exist"}]}),
        Reply(status=404),
    ],
    ids=["empty", "null", "no-handle", "graphql-error", "http-404"],
)
def test_a_failed_or_odd_answer_is_an_error(reply: Reply) -> None:
    client = make_client(session_with(ScriptedAdapter(reply)))
    with pytest.raises(AccessScopesError, match=r"acme\.myshopify\.com"):
        read_access_scopes(client)
