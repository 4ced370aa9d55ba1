"""Bulk operation outcomes with hand-built responses: partial data, timeouts, busy shops."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from shopsync.extract.bulk import BulkOperationError, BulkSource, bulk_query, split
from shopsync.extract.fetch import StreamFetch
from shopsync.extract.landing import LandingSink
from shopsync.extract.paged import PagedSource
from shopsync.extract.paging import PageSizes
from shopsync.extract.raw import RawStreamWriter, read_part
from shopsync.extract.streams import SPECS, Window, plan_window
from shopsync.storage import LocalObjectStore
from tests.support.clients import make_client

from ..shopify.fakes import Reply, ScriptedAdapter, ok, session_with

RUN = "20261124T201500Z-1a2b3c4d"
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
URL = "https://storage.example/bulk.jsonl"


def started(op: str = "gid://shopify/BulkOperation/1") -> Reply:
    return ok({"bulkOperationRunQuery": {"bulkOperation": {"id": op}, "userErrors": []}})


def busy() -> Reply:
    error = {"field": ["query"], "message": "in progress", "code": "OPERATION_IN_PROGRESS"}
    return ok({"bulkOperationRunQuery": {"bulkOperation": None, "userErrors": [error]}})


def status(
    state: str, *, url: str | None = None, partial: str | None = None, code: str | None = None
) -> Reply:
    node = {"id": "x", "status": state, "errorCode": code, "url": url, "partialDataUrl": partial}
    return ok({"node": node})


def jsonl(*ids: int) -> Reply:
    lines = [
        f'{{"id":"gid://shopify/Customer/{i}","updatedAt":"2026-01-0{i}T00:00:00Z"}}' for i in ids
    ]
    return Reply(raw=("\n".join(lines) + "\n").encode())


def fetch(
    tmp_path: Path,
    adapter: ScriptedAdapter,
    window: Window | None = None,
    max_attempts: int = 3,
    should_stop: Callable[[], bool] = lambda: False,
) -> StreamFetch:
    client = make_client(session_with(adapter))
    spec = SPECS["customers"]
    writer = RawStreamWriter(
        LocalObjectStore(tmp_path), tenant_id="acme", run_id=RUN, stream="customers", day=NOW.date()
    )
    paged = PagedSource(client, spec, PageSizes(), should_stop, clock=lambda: NOW)
    return StreamFetch(
        BulkSource(paged, sleep=lambda _s: None, max_attempts=max_attempts),
        LandingSink(writer, spec, window or Window(None, None, True, NOW), None),
    )


def landed_ids(f: StreamFetch) -> list[str]:
    writer = f.sink.writer
    return [str(r["id"]) for key in writer.close() for r in read_part(writer.store, key)]


def test_completed_operation_streams_its_lines(tmp_path: Path) -> None:
    adapter = ScriptedAdapter(
        started(), status("RUNNING"), status("COMPLETED", url=URL), jsonl(1, 2)
    )
    f = fetch(tmp_path, adapter)
    f.run()
    assert landed_ids(f) == ["gid://shopify/Customer/1", "gid://shopify/Customer/2"]
    assert adapter.sent[-1].url == URL
    assert "X-Shopify-Access-Token" not in adapter.sent[-1].headers
    out = f.sink.outcome()
    assert out.complete_snapshot
    assert out.cursor_to is not None
    assert out.cursor_to.last_id == "gid://shopify/Customer/2"


def test_failed_operation_keeps_partial_data_and_runs_again(tmp_path: Path) -> None:
    adapter = ScriptedAdapter(
        started(),
        status("FAILED", partial=URL, code="INTERNAL_SERVER_ERROR"),
        jsonl(1),
        started("gid://shopify/BulkOperation/2"),
        status("COMPLETED", url=URL),
        jsonl(2),
    )
    f = fetch(tmp_path, adapter)
    f.run()
    assert landed_ids(f) == ["gid://shopify/Customer/1", "gid://shopify/Customer/2"]
    rerun = adapter.sent[3].body["variables"]["query"]
    assert 'customers(query: "id:>1")' in rerun  # only the remainder runs again


def test_bulk_that_keeps_failing_pages_through_the_remainder(tmp_path: Path) -> None:
    failed = status("FAILED", partial=URL, code="INTERNAL_SERVER_ERROR")
    page = ok(
        {
            "customers": {
                "nodes": [{"id": "gid://shopify/Customer/3", "updatedAt": "2026-01-03T00:00:00Z"}],
                "pageInfo": {"hasNextPage": False, "endCursor": None},
            }
        }
    )
    adapter = ScriptedAdapter(started(), failed, jsonl(1), started(), failed, jsonl(2), page)
    f = fetch(tmp_path, adapter, max_attempts=2)
    f.run()
    assert adapter.sent[-1].body["variables"]["query"] == "id:>2"
    assert landed_ids(f) == [f"gid://shopify/Customer/{i}" for i in (1, 2, 3)]
    assert f.sink.outcome().complete_snapshot


def test_timeout_splits_the_window(tmp_path: Path) -> None:
    adapter = ScriptedAdapter(
        started(),
        status("FAILED", code="TIMEOUT"),
        started("gid://shopify/BulkOperation/2"),
        status("COMPLETED", url=URL),
        jsonl(1),
        started("gid://shopify/BulkOperation/3"),
        status("COMPLETED", url=URL),
        jsonl(2),
    )
    f = fetch(tmp_path, adapter)
    f.run()
    assert landed_ids(f) == ["gid://shopify/Customer/1", "gid://shopify/Customer/2"]
    queries = [
        s.body["variables"]["query"]
        for s in adapter.sent
        if isinstance(s.body, dict) and "query" in s.body["variables"]
    ]
    assert "updated_at:<=" in queries[1]
    assert "updated_at:>=" in queries[2]
    assert "updated_at:<=" not in queries[2]  # the upper half stays open: still a full snapshot


def test_busy_shop_waits_then_starts(tmp_path: Path) -> None:
    adapter = ScriptedAdapter(busy(), busy(), started(), status("COMPLETED"))
    f = fetch(tmp_path, adapter)
    f.run()
    assert landed_ids(f) == []
    assert len(adapter.sent) == 4


def test_stopped_while_polling_lands_nothing_and_keeps_the_cursor(tmp_path: Path) -> None:
    adapter = ScriptedAdapter(started(), status("RUNNING"))
    f = fetch(tmp_path, adapter, should_stop=lambda: True)
    f.run()
    out = f.sink.outcome()
    assert (out.finished, out.pages, out.records, out.cursor_to) == (False, 0, 0, None)
    assert not out.complete_snapshot
    assert len(adapter.sent) == 2  # started, polled once: the operation is adopted later


def test_access_denied_is_fatal(tmp_path: Path) -> None:
    adapter = ScriptedAdapter(started(), status("FAILED", code="ACCESS_DENIED"))
    with pytest.raises(BulkOperationError, match="access denied"):
        fetch(tmp_path, adapter).run()


def test_bulk_query_carries_the_window() -> None:
    spec = SPECS["customers"]
    window = plan_window(
        spec,
        mode="resync",
        cursor=None,
        start_date=date(2024, 1, 1),
        run_start=NOW,
        since=NOW - timedelta(days=90),
        overlap=timedelta(0),
        lag=timedelta(0),
    )
    text = bulk_query(spec, window)
    assert "customers(query: \"updated_at:>='2026-08-26T20:00:00Z' AND" in text
    assert "(query:" not in bulk_query(spec, Window(None, None, True, NOW))
    first, second = split(Window(NOW - timedelta(days=2), NOW, False, NOW))
    assert (first.end, second.start) == (NOW - timedelta(days=1), NOW - timedelta(days=1))
