"""Relay pagination over a table or a small list: ``first/after/last/before/reverse/sortKey``.

Cursors are opaque (base64 of the sort key of the last record seen), so a page always starts
strictly after the record the previous page ended on: no gaps and no repeats, even when records
change between pages (a changed record moves to its new place in ``UPDATED_AT`` order).
"""

from __future__ import annotations

import base64
import bisect
import heapq
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError

from shopsync_simulator.query.search import Filter
from shopsync_simulator.store.table import INDEX_SORTS, Record, Table, record_key

AnyKey = tuple[Any, ...]
Pair = tuple[AnyKey, Record]
Scan = Callable[[bool, AnyKey | None], Iterator[Pair]]
MAX_PAGE = 250
MAX_MATERIALIZED = 200_000

#: Sort keys that are another name for an index order.
ALIASES = {
    "RELEVANCE": "ID",
    "POSITION": "ID",
    "ORDER_NUMBER": "ID",
    "PROCESSED_AT": "CREATED_AT",
}
#: Sort keys that need the matching records sorted in memory.
VALUE_SORTS: dict[str, Callable[[Record], Any]] = {
    "TITLE": lambda r: str(r.get("title") or "").lower(),
    "VENDOR": lambda r: str(r.get("vendor") or "").lower(),
    "PRODUCT_TYPE": lambda r: str(r.get("productType") or "").lower(),
    "NAME": lambda r: str(r.get("displayName") or r.get("name") or "").lower(),
    "SKU": lambda r: str(r.get("sku") or "").lower(),
    "TOTAL_PRICE": lambda r: float(r["totalPriceSet"]["shopMoney"]["amount"]),
}


@dataclass(frozen=True)
class PageArgs:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None
    reverse: bool = False
    sort_key: str = "ID"
    query: str | None = None

    @classmethod
    def from_args(cls, args: dict[str, Any], default_sort: str = "ID") -> PageArgs:
        return cls(
            first=args.get("first"),
            after=args.get("after"),
            last=args.get("last"),
            before=args.get("before"),
            reverse=bool(args.get("reverse") or False),
            sort_key=str(args.get("sortKey") or default_sort),
            query=args.get("query"),
        )


def encode_cursor(key: AnyKey) -> str:
    payload = json.dumps({"last_id": key[-1], "last_value": key[0]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> AnyKey | None:
    if cursor is None:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        last_id, last_value = raw["last_id"], raw["last_value"]
    except (ValueError, KeyError, TypeError) as exc:
        raise GraphQLError("Invalid cursor for current pagination.") from exc
    return (last_id,) if last_id == last_value else (last_value, last_id)


def _sort_name(sort: str) -> str:
    sort = ALIASES.get(sort, sort)
    return sort if sort in INDEX_SORTS or sort in VALUE_SORTS else "ID"


def table_scan(
    table: Table, sort_key: str, flt: Filter, *, stride: tuple[int, int] | None = None
) -> Scan:
    """Records of ``table`` matching ``flt`` in ``sort_key`` order, after a key.

    ``stride=(n, r)`` keeps only the records whose index is ``r`` modulo ``n`` (e.g. the
    inventory levels of one location: level index = item index x locations + location).
    """
    sort = _sort_name(sort_key)
    if sort in VALUE_SORTS:
        if stride is not None:
            raise GraphQLError("This sort key is not available on this connection.")
        return _materialized_scan(table, VALUE_SORTS[sort], flt)

    def wanted(rec: Record) -> bool:
        return (stride is None or rec["_i"] % stride[0] == stride[1]) and flt.matches(rec)

    def scan(descending: bool, after: AnyKey | None) -> Iterator[Pair]:
        lo, hi = 0, table.base_count
        for column, (a, b) in flt.ranges.items():
            start, stop = table.base_range_for(column, a, b)
            lo, hi = max(lo, start), min(hi, stop)
        overlay = [kr for kr in table.overlay_sorted(sort) if wanted(kr[1])]
        keys = [k for k, _ in overlay]
        if descending:
            if after is not None:
                hi = min(hi, table.base_bisect(sort, after, right=False))
                overlay = overlay[: bisect.bisect_left(keys, after)]
            indices = _strided(range(lo, hi), stride)[::-1]
            base = _base(table, sort, flt, indices)
            return heapq.merge(base, reversed(overlay), key=lambda kr: kr[0], reverse=True)
        if after is not None:
            lo = max(lo, table.base_bisect(sort, after, right=True))
            overlay = overlay[bisect.bisect_right(keys, after) :]
        base = _base(table, sort, flt, _strided(range(lo, hi), stride))
        return heapq.merge(base, overlay, key=lambda kr: kr[0])

    return scan


def _strided(indices: range, stride: tuple[int, int] | None) -> range:
    """The indices in ``indices`` that are ``r`` modulo ``n`` for ``stride=(n, r)``."""
    if stride is None or indices.start >= indices.stop:
        return indices
    n, r = stride
    first = indices.start + (r - indices.start) % n
    return range(first, indices.stop, n)


def _base(table: Table, sort: str, flt: Filter, indices: range) -> Iterator[Pair]:
    changed, deleted, gen = table.changed, table.deleted, table.base
    for i in indices:
        if i in changed or i in deleted:
            continue
        rec = gen(i)
        if flt.matches(rec):
            yield record_key(sort, rec), rec


def _materialized_scan(table: Table, value: Callable[[Record], Any], flt: Filter) -> Scan:
    if table.live_count() > MAX_MATERIALIZED:
        raise GraphQLError("This sort key is not available on a store this large; sort by ID.")
    pairs = sorted(((value(r), r["_n"]), r) for r in table.iter_live() if flt.matches(r))
    return list_scan(pairs)


def list_scan(pairs: list[Pair], keep: Callable[[Record], bool] | None = None) -> Scan:
    """A scan over pairs already sorted ascending by key; with ``keep``, only the records it
    accepts, read lazily (a page reads only as far as it needs)."""
    keys = [k for k, _ in pairs]

    def scan(descending: bool, after: AnyKey | None) -> Iterator[Pair]:
        if descending:
            stop = len(pairs) if after is None else bisect.bisect_left(keys, after)
            indices = range(stop - 1, -1, -1)
        else:
            indices = range(0 if after is None else bisect.bisect_right(keys, after), len(pairs))
        return (pairs[i] for i in indices if keep is None or keep(pairs[i][1]))

    return scan


def _check_size(name: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= MAX_PAGE:
        raise GraphQLError(f"The '{name}' argument must be between 0 and {MAX_PAGE}.")


def paginate(scan: Scan, args: PageArgs, *, unbounded: bool = False) -> dict[str, Any]:
    """One page as a connection: ``edges``, ``nodes`` and ``pageInfo``.

    ``unbounded`` lifts the 250 cap (bulk operations read nested connections whole).
    """
    if not unbounded:
        _check_size("first", args.first)
        _check_size("last", args.last)
    if args.first is None and args.last is None:
        raise GraphQLError("you must provide one of first or last")
    desc = args.reverse
    after, before = decode_cursor(args.after), decode_cursor(args.before)
    if args.first is not None:
        it = scan(desc, after)
        if before is not None:
            it = itertools.takewhile(lambda kr: (kr[0] > before) if desc else (kr[0] < before), it)
        page = list(itertools.islice(it, args.first + 1))
        has_next = len(page) > args.first
        page = page[: args.first]
        has_prev = after is not None and next(scan(not desc, after), None) is not None
    else:
        assert args.last is not None
        it = scan(not desc, before)
        if after is not None:
            it = itertools.takewhile(lambda kr: (kr[0] < after) if desc else (kr[0] > after), it)
        page = list(itertools.islice(it, args.last + 1))
        has_prev = len(page) > args.last
        page = page[: args.last][::-1]
        has_next = before is not None and next(scan(desc, before), None) is not None
    edges = [{"cursor": encode_cursor(k), "node": r} for k, r in page]
    return {
        "edges": edges,
        "nodes": [r for _, r in page],
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": has_prev,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }
