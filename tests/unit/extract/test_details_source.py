"""A details stream's batches: records whose child connection had more than the first request
asked are held back, asked again in batches of their own, completed per record only past
that, and landed before the source stops."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from shopsync.extract.details import DetailSource
from shopsync.extract.paging import PageSizes
from shopsync.extract.source import End, Page, Pages
from shopsync.extract.streams import SPECS, Window
from tests.support.clients import make_client

from ..shopify.fakes import Reply, ScriptedAdapter, ok, session_with

AGAIN = "refund_details_refund_line_items"


def refund(n: int, lines: int, *, more: bool = False, after: str | None = None) -> dict[str, Any]:
    def conn(nodes: list[dict[str, Any]], more: bool) -> dict[str, Any]:
        return {"nodes": nodes, "pageInfo": {"hasNextPage": more, "endCursor": after}}

    items = [{"id": f"gid://shopify/RefundLineItem/{n}{j}"} for j in range(lines)]
    return {
        "id": f"gid://shopify/Refund/{n}",
        "refundLineItems": conn(items, more),
        "orderAdjustments": conn([], False),
        "refundShippingLines": conn([], False),
    }


def nodes(*records: dict[str, Any]) -> Reply:
    return ok({"nodes": list(records)})


def source(adapter: ScriptedAdapter, ids: list[int], **kw: Any) -> DetailSource:
    spec = SPECS["refund_details"]
    assert spec.details is not None
    more = tuple((field, doc, 2) for field, doc, _ in spec.details.more)
    spec = replace(spec, page_size=2, details=replace(spec.details, more=more))
    client = make_client(session_with(adapter))
    gids = [f"gid://shopify/Refund/{n}" for n in ids]
    return DetailSource(client, spec, PageSizes(), gids, **kw)


def drain(pages: Pages) -> tuple[list[list[str]], End]:
    landed: list[list[str]] = []
    while True:
        try:
            page: Page = next(pages)
        except StopIteration as stop:
            return landed, stop.value
        landed.append([f"{n['id'][-1]}:{len(n['refundLineItems']['nodes'])}" for n in page.nodes])


def window() -> Window:
    return Window(None, None, False, datetime(2026, 12, 1, tzinfo=UTC))


def test_records_with_more_are_asked_again_in_a_batch_then_one_by_one() -> None:
    adapter = ScriptedAdapter(
        nodes(refund(1, 1), refund(2, 1, more=True, after="a2")),
        nodes(refund(3, 1, more=True, after="a3"), refund(4, 1)),
        nodes(refund(2, 2), refund(3, 2, more=True, after="b3")),  # asked again: 2 per request
        ok({"refund": {"refundLineItems": refund(3, 1)["refundLineItems"]}}),  # 3's last one
    )
    landed, end = drain(source(adapter, [1, 2, 3, 4]).fetch(window()))
    assert landed == [["1:1"], ["4:1", "2:2", "3:3"]]
    assert end.finished
    sent = [
        (s.body["variables"].get("ids"), s.body["variables"].get("after")) for s in adapter.sent
    ]
    assert [ids and [i[-1] for i in ids] for ids, _ in sent] == [
        ["1", "2"],
        ["3", "4"],
        ["2", "3"],
        None,
    ]
    assert sent[3][1] == "b3"  # completed from where the second request ended
    assert "RefundDetailsRefundLineItems" in adapter.sent[2].body["query"]


def test_a_stop_between_batches_lands_the_records_held_back_first() -> None:
    adapter = ScriptedAdapter(
        nodes(refund(1, 1, more=True, after="a1"), refund(2, 1)), nodes(refund(1, 3))
    )
    landed, end = drain(source(adapter, [1, 2, 3, 4], should_stop=lambda: True).fetch(window()))
    assert landed == [["2:1"], ["1:3"]]
    assert not end.finished
    assert len(adapter.sent) == 2


def test_a_record_gone_before_it_is_asked_again_lands_as_first_fetched() -> None:
    adapter = ScriptedAdapter(
        nodes(refund(1, 1, more=True, after="a1")),
        nodes(None),  # type: ignore[arg-type]
        ok({"refund": None}),
    )
    landed, end = drain(source(adapter, [1]).fetch(window()))
    assert landed == [[], ["1:1"]]
    assert end.finished
