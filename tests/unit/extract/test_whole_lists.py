"""Which landed records filled a capped list: paged nodes as parsed, bulk lines as bytes (only
root lines with enough ids are parsed)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from shopsync.extract.source import Page
from shopsync.extract.streams import WholeList
from shopsync.extract.whole import _filled

WHOLE = WholeList("transactions", 3, 50, "order_transactions_whole", 1)
AT = datetime(2026, 12, 1, tzinfo=UTC)


def order(n: int, entries: int) -> dict[str, object]:
    listed = [{"id": f"gid://shopify/OrderTransaction/{n}{j}"} for j in range(entries)]
    return {"id": f"gid://shopify/Order/{n}", "transactions": listed}


def test_paged_records_that_filled_the_list() -> None:
    page = Page(AT, nodes=[order(1, 2), order(2, 3), order(3, 4), {"id": "x"}])
    assert list(_filled(page, WHOLE)) == ["gid://shopify/Order/2", "gid://shopify/Order/3"]


def test_bulk_root_lines_that_filled_the_list_and_never_child_lines() -> None:
    child = {"id": "gid://shopify/LineItem/1", "__parentId": "gid://shopify/Order/9"}
    lines = [json.dumps(x).encode() for x in (order(1, 3), order(2, 1), child, order(3, 5))]
    page = Page(AT, lines=lines)
    assert list(_filled(page, WHOLE)) == ["gid://shopify/Order/1", "gid://shopify/Order/3"]
