from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shopsync.extract.fetch import StreamFetch, slice_fetch
from shopsync.extract.landing import CursorTracker, LandingSink, merge_outcomes
from shopsync.extract.paged import PagedSource
from shopsync.extract.paging import PageSizes, iter_pages
from shopsync.extract.raw import RawStreamWriter
from shopsync.extract.source import Page
from shopsync.extract.streams import SPECS, VARIANTS, granted_variant, plan_window, streams_for
from shopsync.shopify import ShopifyClient
from shopsync.shopify.errors import MaxCostExceededError, PaginationLoopError
from shopsync.state.base import Cursor
from shopsync.storage import LocalObjectStore
from tests.support.clients import make_client

from ..shopify.fakes import Reply, ScriptedAdapter, ok, session_with

COSTLY = "MAX_COST_EXCEEDED"
RUN_START = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
CURSOR = Cursor(updated_at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC), last_id="gid://x/1")


def window(stream: str, mode: str = "incremental", **kw: Any) -> Any:
    args: dict[str, Any] = {
        "mode": mode,
        "cursor": CURSOR,
        "start_date": date(2024, 1, 1),
        "run_start": RUN_START,
        "since": None,
        "overlap": timedelta(minutes=5),
        "lag": timedelta(minutes=1),
    } | kw
    return plan_window(SPECS[stream], **args)


def test_incremental_window_is_cursor_minus_overlap_to_run_start_minus_lag() -> None:
    w = window("orders")
    assert w.search(SPECS["orders"]) == (
        "updated_at:>='2026-11-20T09:55:00Z' AND updated_at:<='2026-11-24T19:59:00Z'"
    )
    assert not w.complete_snapshot
    assert w.cap == RUN_START - timedelta(minutes=1)


def test_first_sync_starts_at_the_tenant_start_date() -> None:
    w = window("customers", cursor=None)
    assert w.start == datetime(2024, 1, 1, tzinfo=UTC)


def test_full_and_resync_windows() -> None:
    full = window("products", "full")
    assert (full.start, full.end, full.complete_snapshot) == (None, None, True)
    assert full.search(SPECS["products"]) is None
    since = datetime(2026, 1, 1, tzinfo=UTC)
    resync = window("products", "resync", since=since)
    assert (resync.start, resync.complete_snapshot) == (since, False)
    assert window("products", "resync").complete_snapshot
    events = window("deleted_products", "full")
    assert not events.complete_snapshot
    assert events.search(SPECS["deleted_products"]) == (
        "action:destroy AND subject_type:PRODUCT AND created_at:>='2024-01-01T00:00:00Z' "
        "AND created_at:<='2026-11-24T19:59:00Z'"
    )


@pytest.mark.parametrize(
    ("stream", "subject", "scope"),
    [
        ("deleted_products", "PRODUCT", "read_products"),
        ("deleted_orders", "ORDER", "read_orders"),
        ("deleted_customers", "CUSTOMER", "read_customers"),
    ],
)
def test_a_deletions_stream_lists_its_subject_s_destroy_events_and_needs_its_scope(
    stream: str, subject: str, scope: str
) -> None:
    """Shopify's schemas ask no scope for events; a run skips the stream without the scope
    that reads its subject, which leaves the warehouse none of its rows."""
    events = window(stream)
    assert events.search(SPECS[stream]) == (
        f"action:destroy AND subject_type:{subject} AND created_at:>='2026-11-20T09:55:00Z' "
        "AND created_at:<='2026-11-24T19:59:00Z'"
    )
    assert SPECS[stream].scopes == (scope,)
    assert not SPECS[stream].snapshot_capable


def test_locations_are_always_a_full_snapshot() -> None:
    assert window("locations").complete_snapshot


@pytest.mark.parametrize(
    ("granted", "variant"),
    [
        ({"read_orders"}, ""),
        ({"read_orders", "read_locations"}, "_with_locations"),
        ({"read_orders", "read_inventory"}, "_with_locations"),
        ({"read_orders", "write_inventory"}, "_with_locations"),  # write implies read
        ({"read_orders", "read_products"}, ""),
    ],
)
def test_a_store_is_asked_the_scoped_fields_only_when_it_granted_their_scope(
    granted: set[str], variant: str
) -> None:
    """A fulfillment's and a refunded line item's location need a scope that reads locations:
    a run fetches the stream in the variant whose documents ask for them only then."""
    for stream in ("order_fulfillments", "refund_details"):
        chosen = granted_variant(SPECS[stream], frozenset(granted))
        assert chosen.variant == variant
        assert chosen.document == stream + variant
        assert chosen.name == stream  # same stream: same raw layout, cursor and tables
    with_locations = VARIANTS["refund_details"][1]
    assert with_locations.details is not None
    assert [m[1] for m in with_locations.details.more] == [
        "refund_details_refund_line_items_with_locations"
    ]
    assert granted_variant(SPECS["orders"], frozenset({"read_orders"})) is SPECS["orders"]
    assert len(VARIANTS["orders"]) == 1


def test_groups_map_to_streams() -> None:
    assert [s.name for s in streams_for(("inventory", "orders"))] == [
        "inventory_items",
        "inventory_levels",
        "locations",
        "orders",
        "order_transactions",
        "tender_transactions",
        "order_refunds",
        "refund_details",
        "order_fulfillments",
        "fulfillment_details",
        "fulfillment_orders",
        "deleted_orders",
    ]


def test_cursor_tracker_keeps_the_greatest_and_respects_the_cap() -> None:
    tracker = CursorTracker("updatedAt", None)
    tracker.observe(
        [
            {"id": "gid://shopify/Order/9", "updatedAt": "2026-11-21T00:00:00Z"},
            {"id": "gid://shopify/Order/10", "updatedAt": "2026-11-21T00:00:00Z"},
            {"id": "gid://shopify/Order/11", "updatedAt": "2026-11-20T00:00:00Z"},
        ]
    )
    cap = datetime(2026, 12, 1, tzinfo=UTC)
    assert tracker.cursor(cap) == Cursor(
        updated_at=datetime(2026, 11, 21, tzinfo=UTC), last_id="gid://shopify/Order/10"
    )
    early_cap = datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert tracker.cursor(early_cap) == Cursor(updated_at=early_cap, last_id=None)
    assert CursorTracker("updatedAt", CURSOR).cursor(cap) == CURSOR  # nothing seen
    older = CursorTracker("updatedAt", CURSOR)
    older.observe([{"id": "a", "updatedAt": "2026-01-01T00:00:00Z"}])
    assert older.cursor(cap) == CURSOR  # never moves backwards


def client(adapter: ScriptedAdapter) -> ShopifyClient:
    return make_client(session_with(adapter))


def page(ids: list[int], end: str | None, more: bool) -> Reply:
    nodes = [{"id": f"gid://shopify/Product/{i}"} for i in ids]
    return ok({"products": {"nodes": nodes, "pageInfo": {"hasNextPage": more, "endCursor": end}}})


def test_pages_follow_end_cursors() -> None:
    adapter = ScriptedAdapter(page([1, 2], "c1", True), page([3], "c2", False))
    pages = list(
        iter_pages(client(adapter), "products", ("products",), {"query": None}, PageSizes(2))
    )
    assert [[n["id"][-1] for n in nodes] for nodes, _, _ in pages] == [["1", "2"], ["3"]]
    assert [more for _, _, more in pages] == [True, False]
    assert [s.body["variables"]["after"] for s in adapter.sent] == [None, "c1"]
    assert all(s.body["variables"]["first"] == 2 for s in adapter.sent)


def test_a_cursor_that_comes_back_twice_is_a_pagination_loop() -> None:
    adapter = ScriptedAdapter(page([1], "c1", True), page([2], "c1", True))
    with pytest.raises(PaginationLoopError, match="c1"):
        list(iter_pages(client(adapter), "products", ("products",), {}, PageSizes()))


def test_max_cost_exceeded_halves_and_remembers_the_page_size() -> None:
    too_costly = Reply(
        body={"errors": [{"message": "x", "extensions": {"code": "MAX_COST_EXCEEDED"}}]}
    )
    adapter = ScriptedAdapter(too_costly, too_costly, page([1], "c1", True), page([2], None, False))
    sizes = PageSizes(200)
    list(iter_pages(client(adapter), "products", ("products",), {}, sizes))
    assert [s.body["variables"]["first"] for s in adapter.sent] == [200, 100, 50, 50]
    assert sizes.get("products") == 50


def test_max_cost_at_page_size_one_is_fatal() -> None:
    too_costly = Reply(
        body={"errors": [{"message": "x", "extensions": {"code": "MAX_COST_EXCEEDED"}}]}
    )
    sizes = PageSizes(1)
    with pytest.raises(MaxCostExceededError):
        list(iter_pages(client(ScriptedAdapter(too_costly)), "products", ("products",), {}, sizes))
    assert sizes.get("products") == 1


def raw_writer(root: Any, stream: str) -> RawStreamWriter:
    return RawStreamWriter(
        LocalObjectStore(root),
        tenant_id="acme",
        run_id="20261124T201500Z-1a2b3c4d",
        stream=stream,
        day=date(2026, 11, 24),
    )


def test_slices_cover_the_window_without_gap_or_overlap() -> None:
    w = window("orders", cursor=None)
    writer = raw_writer("/nonexistent", "orders")
    fetch = StreamFetch(
        PagedSource(client(ScriptedAdapter()), SPECS["orders"], PageSizes()),
        LandingSink(writer, SPECS["orders"], w, None),
    )
    parts = slice_fetch(fetch, 4, timedelta(days=1))
    windows = [p.sink.window for p in parts]
    assert len(parts) == 4
    assert windows[0].start == w.start
    assert windows[-1].end == w.end
    for a, b in itertools.pairwise(windows):
        assert a.end is not None
        assert b.start == a.end + timedelta(seconds=1)
    assert all(p.sink.writer is writer and p.source is fetch.source for p in parts)
    assert slice_fetch(fetch, 4, timedelta(days=10_000)) == [fetch]
    order = {"id": "gid://shopify/Order/7", "updatedAt": "2025-06-01T00:00:00Z"}
    parts[2].sink.tracker.observe([order])
    merged = merge_outcomes([p.sink for p in parts])
    assert merged.cursor_to is not None
    assert merged.cursor_to.last_id == "gid://shopify/Order/7"
    parts[1].sink.finished = False
    assert merge_outcomes([p.sink for p in parts]).cursor_to is None  # a slice cut short


def test_the_sink_lands_parsed_nodes_and_raw_lines_alike(tmp_path: Any) -> None:
    spec, w = SPECS["orders"], window("orders")
    writer = raw_writer(tmp_path, "orders")
    seen: list[tuple[str, int]] = []
    sink = LandingSink(writer, spec, w, CURSOR, lambda s, n: seen.append((s, n)))
    node = {"id": "gid://shopify/Order/8", "updatedAt": "2026-11-22T00:00:00Z"}
    sink.land(Page(RUN_START, nodes=[node]))
    line = b'{"id":"gid://shopify/Order/9","updatedAt":"2026-11-23T00:00:00Z"}'
    keys = [{"id": "gid://shopify/Order/9", "updatedAt": "2026-11-23T00:00:00Z"}]
    sink.land(Page(RUN_START, lines=[line, b'{"id":"x","__parentId":"y"}'], keys=keys))
    outcome = sink.outcome()
    assert (outcome.records, outcome.pages, seen) == (3, 2, [("orders", 1), ("orders", 2)])
    assert outcome.cursor_to == Cursor(
        updated_at=datetime(2026, 11, 23, tzinfo=UTC), last_id="gid://shopify/Order/9"
    )


def level(n: int, at: str) -> dict[str, Any]:
    return {"id": f"gid://shopify/InventoryLevel/{n}?inventory_item_id={n}", "updatedAt": at}


def location_levels(loc: int, levels: list[dict[str, Any]], end: str | None) -> dict[str, Any]:
    info = {"hasNextPage": end is not None, "endCursor": end}
    levels_conn = {"nodes": levels, "pageInfo": info}
    return {"id": f"gid://shopify/Location/{loc}", "inventoryLevels": levels_conn}


def more_levels(levels: list[dict[str, Any]], end: str | None) -> Reply:
    info = {"hasNextPage": end is not None, "endCursor": end}
    return ok({"location": {"inventoryLevels": {"nodes": levels, "pageInfo": info}}})


def levels_fetch(adapter: ScriptedAdapter, tmp_path: Any, **kw: Any) -> StreamFetch:
    spec = SPECS["inventory_levels"]
    writer = raw_writer(tmp_path, "inventory_levels")
    sizes = PageSizes(250, inventory_levels=10, location_inventory_levels=140)
    return StreamFetch(
        PagedSource(client(adapter), spec, sizes, **kw),
        LandingSink(writer, spec, window("inventory_levels"), CURSOR),
    )


def test_levels_are_paged_per_location_with_the_window_and_the_cursor_waits_for_all(
    tmp_path: Any,
) -> None:
    first = ok(
        {
            "locations": {
                "nodes": [
                    location_levels(1, [level(1, "2026-11-21T00:00:00Z")], "a1"),
                    location_levels(2, [level(2, "2026-11-23T00:00:00Z")], None),
                ],
                "pageInfo": {"hasNextPage": False, "endCursor": "l2"},
            }
        }
    )
    adapter = ScriptedAdapter(first, more_levels([level(3, "2026-11-22T00:00:00Z")], None))
    fetch = levels_fetch(adapter, tmp_path)
    fetch.run()
    outcome = fetch.sink.outcome()
    search = "updated_at:>='2026-11-20T09:55:00Z' AND updated_at:<='2026-11-24T19:59:00Z'"
    top, nested = (s.body["variables"] for s in adapter.sent)
    assert top == {"query": search, "first": 10, "after": None}
    assert nested == {
        "id": "gid://shopify/Location/1",
        "query": search,
        "first": 140,
        "after": "a1",
    }
    assert "location(id: $id)" in adapter.sent[1].body["query"]
    assert outcome.records == 3
    assert outcome.finished
    # the greatest over every location, not the last one fetched
    assert outcome.cursor_to == Cursor(
        updated_at=datetime(2026, 11, 23, tzinfo=UTC), last_id=level(2, "")["id"]
    )


def test_levels_stop_inside_a_long_location_without_moving_the_cursor(tmp_path: Any) -> None:
    first = ok(
        {
            "locations": {
                "nodes": [location_levels(1, [level(1, "2026-11-21T00:00:00Z")], "a1")],
                "pageInfo": {"hasNextPage": False, "endCursor": "l1"},
            }
        }
    )
    adapter = ScriptedAdapter(first, more_levels([level(3, "2026-11-22T00:00:00Z")], "a2"))
    fetch = levels_fetch(adapter, tmp_path, should_stop=lambda: True)
    fetch.run()
    outcome = fetch.sink.outcome()
    assert len(adapter.sent) == 2
    assert not outcome.finished
    assert outcome.records == 2
    assert outcome.cursor_to == CURSOR
