"""Cursor pagination: every sort key, both directions, no gaps or repeats even while the
store changes between pages."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLError

from shopsync_simulator.query.pager import PageArgs, decode_cursor, paginate, table_scan
from shopsync_simulator.query.search import compile_filter
from shopsync_simulator.store import ShopSpec, Store, StoreSize
from shopsync_simulator.store.clock import Clock


@pytest.fixture
def store() -> Store:
    s = Store(ShopSpec("acme", "acme.myshopify.com", size=StoreSize(products=57)), Clock(1.8e9))
    s.activity.random_activity(60, seed=1)
    return s


def walk(store: Store, sort: str, *, reverse: bool = False, query: str | None = None,
         size: int = 7, backwards: bool = False) -> list[str]:  # fmt: skip
    ids: list[str] = []
    cursor: str | None = None
    while True:
        flt = compile_filter(query, "Product")
        if backwards:
            args = PageArgs(last=size, before=cursor, reverse=reverse, sort_key=sort)
        else:
            args = PageArgs(first=size, after=cursor, reverse=reverse, sort_key=sort)
        page = paginate(table_scan(store.products, sort, flt), args)
        nodes = [n["id"] for n in page["nodes"]]
        ids = nodes + ids if backwards else ids + nodes
        info = page["pageInfo"]
        more = info["hasPreviousPage"] if backwards else info["hasNextPage"]
        if not more:
            return ids
        cursor = info["startCursor"] if backwards else info["endCursor"]


def expected(store: Store, sort: str, query: str | None = None) -> list[str]:
    flt = compile_filter(query, "Product")
    live = [r for r in store.products.iter_live() if flt.matches(r)]
    key: dict[str, Any] = {
        "ID": lambda r: r["_n"],
        "UPDATED_AT": lambda r: (r["_u"], r["_n"]),
        "CREATED_AT": lambda r: (r["_c"], r["_n"]),
        "TITLE": lambda r: (r["title"].lower(), r["_n"]),
    }
    return [r["id"] for r in sorted(live, key=key[sort])]


@pytest.mark.parametrize("sort", ["ID", "UPDATED_AT", "CREATED_AT", "TITLE"])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("backwards", [False, True])
def test_pages_cover_everything_once_in_order(
    store: Store, sort: str, reverse: bool, backwards: bool
) -> None:
    want = expected(store, sort)
    got = walk(store, sort, reverse=reverse, backwards=backwards)
    assert got == (want[::-1] if reverse else want)


@pytest.mark.parametrize("query", ["status:active", "updated_at:>2024-09-01 OR tag:eco",
                                   "updated_at:>='2024-08-01 00:00:00' updated_at:<2025-03-01"])  # fmt: skip  # noqa: E501
def test_filtered_pages(store: Store, query: str) -> None:
    want = expected(store, "UPDATED_AT", query)
    assert want, "the query should match something"
    assert walk(store, "UPDATED_AT", query=query, size=5) == want


def test_changes_between_pages_neither_skip_nor_repeat(store: Store) -> None:
    """A record updated mid-sync moves to the end of UPDATED_AT order: seen once, later."""
    flt = compile_filter(None, "Product")
    first = paginate(
        table_scan(store.products, "UPDATED_AT", flt), PageArgs(first=10, sort_key="UPDATED_AT")
    )
    seen = [n["id"] for n in first["nodes"]]
    store.clock.advance(5)
    store.activity.update_product_title(first["nodes"][0]["_i"], "moved")  # already seen
    unseen = expected(store, "UPDATED_AT")[20]
    store.activity.update_product_title(unseen, "moved too")
    cursor = first["pageInfo"]["endCursor"]
    while cursor:
        page = paginate(table_scan(store.products, "UPDATED_AT", flt),
                        PageArgs(first=10, after=cursor, sort_key="UPDATED_AT"))  # fmt: skip
        seen += [n["id"] for n in page["nodes"]]
        cursor = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    live = {r["id"] for r in store.products.iter_live()}
    assert set(seen) == live
    assert len(seen) == len(live) + 1, "only the record changed after it was read comes again"
    assert seen[-1] in (unseen, first["nodes"][0]["id"])


def test_page_info(store: Store) -> None:
    scan = table_scan(store.products, "ID", compile_filter(None, "Product"))
    first = paginate(scan, PageArgs(first=3))
    assert first["pageInfo"]["hasNextPage"]
    assert not first["pageInfo"]["hasPreviousPage"]
    second = paginate(scan, PageArgs(first=3, after=first["pageInfo"]["endCursor"]))
    assert second["pageInfo"]["hasPreviousPage"]
    assert [e["cursor"] for e in second["edges"]][-1] == second["pageInfo"]["endCursor"]
    empty = paginate(scan, PageArgs(first=0))
    assert empty["nodes"] == []
    assert empty["pageInfo"]["endCursor"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (PageArgs(), "one of first or last"),
        (PageArgs(first=251), "first"),
        (PageArgs(last=-1), "last"),
        (PageArgs(first=1, after="not-a-cursor"), "Invalid cursor"),
    ],
)
def test_bad_arguments(store: Store, args: PageArgs, message: str) -> None:
    scan = table_scan(store.products, "ID", compile_filter(None, "Product"))
    with pytest.raises(GraphQLError, match=message):
        paginate(scan, args)


def test_cursors_are_opaque_but_stable(store: Store) -> None:
    scan = table_scan(store.products, "UPDATED_AT", compile_filter(None, "Product"))
    page = paginate(scan, PageArgs(first=2, sort_key="UPDATED_AT"))
    cursor = page["edges"][0]["cursor"]
    assert "gid" not in cursor
    assert ":" not in cursor
    node = page["nodes"][0]
    assert decode_cursor(cursor) == (node["_u"], node["_n"])


def test_ranges_on_a_huge_store_read_only_what_they_return() -> None:
    """Two million products: an UPDATED_AT window near the end generates ~its own records."""
    big = Store(ShopSpec("big", "big.myshopify.com", size=StoreSize(products=2_000_000)))
    table = big.products
    calls = 0
    gen = table._gen

    def counting(i: int) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        return gen(i)

    table._gen = counting
    cutoff = big.factory.iso_updated(1_999_990)
    flt = compile_filter(f"updated_at:>='{cutoff}'", "Product")
    page = paginate(
        table_scan(table, "UPDATED_AT", flt), PageArgs(first=250, sort_key="UPDATED_AT")
    )
    assert len(page["nodes"]) >= 10
    assert page["nodes"][-1]["id"] == "gid://shopify/Product/8002000000"
    assert calls < 100
    by_id = compile_filter("id:>=8001999995", "Product")
    calls = 0
    page = paginate(table_scan(table, "ID", by_id), PageArgs(first=3, reverse=True))
    assert [n["_n"] for n in page["nodes"]] == [8002000000, 8001999999, 8001999998]
    assert calls < 10
