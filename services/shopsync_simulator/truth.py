"""Ground truth: the live records of a store per stream, as counts or JSON Lines; the money
streams (:mod:`~shopsync_simulator.money_truth`) and Shopify's sales figures per day and per
order (:mod:`~shopsync_simulator.sales`) are here too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from shopsync_simulator.money_truth import MONEY_STREAMS, money_counts, money_records
from shopsync_simulator.sales import DailySales, OrderFinancials, daily_sales, order_financials
from shopsync_simulator.store.money import plain
from shopsync_simulator.store.order_record import materialize
from shopsync_simulator.store.store import LISTINGS, STREAM_KINDS, Store
from shopsync_simulator.store.table import Record

__all__ = [
    "MONEY_STREAMS",
    "DailySales",
    "OrderFinancials",
    "counts",
    "daily_sales",
    "dump",
    "money_counts",
    "money_records",
    "order_financials",
    "public",
    "records",
    "write_jsonl",
]


def public(rec: Record) -> dict[str, Any]:
    """A record without the simulator's internal keys; orders carry their line items."""
    materialize(rec)
    out = {k: plain(v) for k, v in rec.items() if not k.startswith("_")}
    if "_lines" in rec:
        out["lineItems"] = [public(line) for line in rec["_lines"]]
    if "_q" in rec:
        out["quantities"] = dict(rec["_q"])
    return out


def counts(store: Store) -> dict[str, int]:
    return store.live_counts()


def records(store: Store, stream: str) -> Iterator[dict[str, Any]]:
    """The live records of a table stream, or the rows of a money stream."""
    stream = LISTINGS.get(stream, stream)
    if stream in MONEY_STREAMS:
        yield from money_records(store, stream)
        return
    if stream not in STREAM_KINDS:
        raise KeyError(f"unknown stream {stream!r}; expected one of {', '.join(STREAM_KINDS)}")
    for rec in store.tables[STREAM_KINDS[stream]].iter_live():
        yield public(rec)


def write_jsonl(store: Store, stream: str, out: IO[str]) -> int:
    n = 0
    for rec in records(store, stream):
        out.write(json.dumps(rec, separators=(",", ":"), ensure_ascii=False) + "\n")
        n += 1
    return n


def dump(store: Store, directory: Path) -> dict[str, int]:
    """``<directory>/<stream>.jsonl`` for every stream; returns the line counts."""
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for stream in STREAM_KINDS:
        with (directory / f"{stream}.jsonl").open("w", encoding="utf-8") as fh:
            written[stream] = write_jsonl(store, stream, fh)
    return written
