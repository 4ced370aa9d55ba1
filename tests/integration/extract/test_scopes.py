"""Streams whose access scope the token lacks are skipped, not failed: the others sync, the
manifest names what was skipped and why, and a later grant fetches the stream from the start."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopsync.extract.result import IngestionFailedError
from shopsync.extract.streams import SPECS
from shopsync.shopify import scopes as scopes_module
from shopsync.state import RunStatus
from shopsync.streams import DECLARATIONS
from shopsync.streams.fulfillments import FULFILLMENT_ORDER_SCOPES
from shopsync_simulator import SimulatorOptions
from shopsync_simulator.graphql.schema import DEFAULT_SCOPES

from .harness import TENANT, Harness, make_harness

#: Every scope but read_orders; write_products grants read_products (Shopify's implication).
NO_ORDERS = frozenset(
    {
        "write_products",
        "read_inventory",
        "read_locations",
        "read_customers",
        "read_all_orders",
        "read_merchant_managed_fulfillment_orders",
    }
)
#: The streams that need read_orders (order deletions too), and the scopes each lacks without it.
NEED_ORDERS = {
    d.name: ("read_orders",) for d in DECLARATIONS if "read_orders" in SPECS[d.name].scopes
}
FETCHED = [d.name for d in DECLARATIONS if d.name not in NEED_ORDERS]


def test_without_read_orders_the_rest_syncs_and_a_later_grant_fetches_orders_from_the_start(
    tmp_path: Path,
) -> None:
    assert NEED_ORDERS["deleted_orders"] == ("read_orders",)
    with make_harness(tmp_path, SimulatorOptions(scopes={TENANT: NO_ORDERS})) as harness:
        harness.sim.store(TENANT).activity.delete_order(0)  # an order's destroy event
        harness.clock.advance(600)  # past the lag
        first = harness.run()
        assert first.status == "succeeded", first.message
        assert first.skipped == NEED_ORDERS
        assert "orders (missing read_orders)" in first.message.partition("; skipped: ")[2]
        manifest = harness.manifest(first)
        assert manifest.skipped == NEED_ORDERS
        assert set(manifest.streams) == {d.name for d in DECLARATIONS} - set(NEED_ORDERS)
        for stream in FETCHED:
            landed = {str(r["id"]) for r in harness.landed(first, stream)}
            assert landed == harness.truth_ids(stream), stream
        cursors = harness.services.state.get_streams(TENANT)
        assert "orders" not in cursors or cursors["orders"].cursor is None
        assert cursors["products"].cursor is not None

        harness.sim.grant(TENANT, DEFAULT_SCOPES)
        harness.clock.advance(900)
        second = harness.run()
        assert second.status == "succeeded", second.message
        assert second.skipped == {}
        again = harness.manifest(second)
        assert again.skipped == {}
        assert again.streams["orders"].cursor_from is None  # from the start, not from now
        for stream in ("orders", "deleted_orders"):
            landed = {str(r["id"]) for r in harness.landed(second, stream)}
            assert landed == harness.truth_ids(stream), stream
        assert len(harness.truth_ids("deleted_orders")) == 1
        assert again.streams["products"].cursor_from == cursors["products"].cursor


def test_write_orders_grants_reading_them(tmp_path: Path) -> None:
    granted = (DEFAULT_SCOPES - {"read_orders"}) | {"write_orders"}
    with make_harness(tmp_path, SimulatorOptions(scopes={TENANT: granted})) as harness:
        result = harness.run(streams=["orders"])
        assert result.skipped == {}
        assert harness.manifest(result).streams["orders"].records == len(
            harness.truth_ids("orders")
        )


def test_when_every_stream_is_skipped_the_run_commits_an_empty_manifest(tmp_path: Path) -> None:
    options = SimulatorOptions(scopes={TENANT: frozenset({"read_locations"})})
    with make_harness(tmp_path, options) as harness:
        result = harness.run(streams=["orders", "customers"])
        assert result.status == "succeeded"
        manifest = harness.manifest(result)
        assert manifest.streams == {}
        assert manifest.skipped == {
            "orders": ("read_customers", "read_orders", "read_products"),
            "customers": ("read_customers",),
            "deleted_customers": ("read_customers",),
        } | {name: tuple(sorted(SPECS[name].scopes)) for name in NEED_ORDERS if name != "orders"}
        assert manifest.skipped["fulfillment_orders"] == (FULFILLMENT_ORDER_SCOPES, "read_orders")


def test_a_failure_to_read_the_scopes_fails_the_run_naming_the_tenant(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = "query AccessScopes { currentAppInstallation { accessScopez { handle } } }"
    monkeypatch.setattr(scopes_module, "load_query", lambda _name: bad)
    with pytest.raises(IngestionFailedError) as failed:
        harness.run()
    message = failed.value.result.message
    assert message.startswith(
        f"AccessScopesError: tenant {TENANT}: cannot read the token's access scopes, so no "
        "stream was fetched: QueryError: acme-outdoor.myshopify.com: GraphQL error: "
    )
    assert "accessScopez" in message
    assert harness.services.state.get_tenant(TENANT).last_status == RunStatus.FAILED
    assert list(harness.lake.list()) == []  # nothing fetched, no manifest
    assert all(s.cursor is None for s in harness.services.state.get_streams(TENANT).values())
