"""Shopify search syntax (``query:`` on connections) parsed into a record filter.

Supports ``field:value``, ``field:>v`` / ``>=`` / ``<`` / ``<=``, quoted values, comma lists
(``status:active,draft``), trailing ``*`` prefix matches, bare words (text search), ``AND``
(also implicit), ``OR``, ``NOT`` / ``-``, and parentheses. Dates are ``2024-01-01``,
``2024-01-01T10:00:00Z``, fractional seconds, a space instead of ``T`` (quoted or bare), ``Z`` or
an offset; dates without a zone are in the shop's zone (UTC). Unknown fields are ignored, as
Shopify ignores them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from shopsync_simulator.store.ids import numeric_id
from shopsync_simulator.store.table import Record

Node = tuple[Any, ...]
_TIME = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TERM = re.compile(r"^(-?)([A-Za-z_][A-Za-z0-9_.]*):(>=|<=|>|<|=)?(.*)$", re.S)
TIME_FIELDS = {"created_at": "_c", "updated_at": "_u", "processed_at": "_c"}
#: Search field -> the key range it narrows (:attr:`Filter.ranges`); ``processed_at`` reads
#: ``_c`` like ``created_at``.
_RANGE_COLUMNS = {
    "created_at": "created",
    "processed_at": "created",
    "updated_at": "updated",
    "id": "id",
}


class SearchSyntaxError(ValueError):
    pass


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "()":
            out.append(ch)
            i += 1
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] not in "()":
            if text[i] in "'\"":
                end = text.find(text[i], i + 1)
                if end < 0:
                    raise SearchSyntaxError(f"unterminated quote in {text!r}")
                i = end
            i += 1
        out.append(text[start:i])
    return out


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.toks = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> str:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def parse_or(self) -> Node:
        parts = [self.parse_and()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def parse_and(self) -> Node:
        parts = [self.parse_unary()]
        while (tok := self.peek()) is not None and tok not in (")", "OR"):
            if tok == "AND":
                self.take()
            parts.append(self.parse_unary())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def parse_unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise SearchSyntaxError("unexpected end of query")
        if tok == "NOT":
            self.take()
            return ("not", self.parse_unary())
        if tok == "(":
            self.take()
            inner = self.parse_or()
            if self.peek() != ")":
                raise SearchSyntaxError("missing ')'")
            self.take()
            return inner
        return self.parse_term(self.take())

    def parse_term(self, tok: str) -> Node:
        m = _TERM.match(tok)
        if m is None:
            negate = tok.startswith("-") and len(tok) > 1
            node: Node = ("text", _unquote(tok[1:] if negate else tok))
            return ("not", node) if negate else node
        minus, name, op, value = m.group(1), m.group(2).lower(), m.group(3) or "=", m.group(4)
        value = _unquote(value)
        nxt = self.peek()
        if _DATE.match(value) and nxt is not None and _TIME.match(nxt):
            value = f"{value}T{self.take()}"
        node = ("term", name, op, value)
        return ("not", node) if minus else node


def parse(text: str) -> Node | None:
    tokens = _tokens(text or "")
    if not tokens:
        return None
    parser = _Parser(tokens)
    tree = parser.parse_or()
    if parser.peek() is not None:
        raise SearchSyntaxError(f"unexpected {parser.peek()!r}")
    return tree


def parse_time(value: str) -> tuple[float, float]:
    """A date/time as the epoch-second range it denotes: a day for a date, an instant otherwise."""
    v = value.strip()
    if _DATE.match(v):
        start = datetime.fromisoformat(v).replace(tzinfo=UTC)
        return start.timestamp(), (start + timedelta(days=1)).timestamp() - 1
    try:
        parsed = datetime.fromisoformat(v.replace(" ", "T", 1))
    except ValueError as exc:
        raise SearchSyntaxError(f"invalid date {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    ts = parsed.timestamp()
    return ts, ts


def _getters(kind: str) -> dict[str, Callable[[Record], Any]]:
    common: dict[str, Callable[[Record], Any]] = {"id": lambda r: r["_n"]}
    extra: dict[str, dict[str, Callable[[Record], Any]]] = {
        "Product": {
            "status": lambda r: r["status"],
            "vendor": lambda r: r["vendor"],
            "product_type": lambda r: r["productType"],
            "tag": lambda r: r["tags"],
            "title": lambda r: r["title"],
            "handle": lambda r: r["handle"],
        },
        "ProductVariant": {
            "sku": lambda r: r["sku"],
            "title": lambda r: r["title"],
            "barcode": lambda r: r["barcode"],
            "product_id": lambda r: numeric_id("Product", r["_p"]),
        },
        "InventoryItem": {"sku": lambda r: r["sku"]},
        "InventoryLevel": {"inventory_item_id": lambda r: numeric_id("InventoryItem", r["_item"])},
        "Location": {"name": lambda r: r["name"], "active": lambda r: str(r["isActive"])},
        "Customer": {
            "email": lambda r: r["email"],
            "state": lambda r: r["state"],
            "first_name": lambda r: r["firstName"],
            "last_name": lambda r: r["lastName"],
            "tag": lambda r: r["tags"],
        },
        "Order": {
            "name": lambda r: r["name"],
            "financial_status": lambda r: r["displayFinancialStatus"],
            "fulfillment_status": lambda r: r["displayFulfillmentStatus"],
            "status": lambda r: (
                "cancelled" if r["cancelledAt"] else "closed" if r["closed"] else "open"
            ),
            "tag": lambda r: r["tags"],
            "customer_id": lambda r: (
                None if r["_cust"] is None else numeric_id("Customer", r["_cust"])
            ),
            "test": lambda r: str(r["test"]),
        },
        "TenderTransaction": {"test": lambda r: str(r["test"])},
        "BasicEvent": {
            "action": lambda r: r["action"],
            "verb": lambda r: r["action"],
            "subject_type": lambda r: r["subjectType"],
            "subject_id": lambda r: int(r["subjectId"].rsplit("/", 1)[1]),
        },
    }
    return common | extra.get("BasicEvent" if kind == "Event" else kind, {})


TEXT_FIELDS = ("title", "name", "displayName", "email", "message", "sku")
NUMERIC = {"id", "product_id", "customer_id", "subject_id", "inventory_item_id"}


def _compare(actual: Any, op: str, lo: float, hi: float) -> bool:
    """``field:<op>value``; a date-only value is its midnight, or the whole day for ``=``."""
    if op == ">":
        return bool(actual > lo)
    if op == ">=":
        return bool(actual >= lo)
    if op == "<":
        return bool(actual < lo)
    if op == "<=":
        return bool(actual <= lo)
    return bool(lo <= actual <= hi)


def _compare_text(actual: str, op: str, wanted: str) -> bool:
    return {">": actual > wanted, ">=": actual >= wanted, "<": actual < wanted}.get(
        op, actual <= wanted
    )


def _match_text(actual: Any, wanted: str) -> bool:
    if actual is None:
        return False
    if isinstance(actual, list):
        return any(_match_text(a, wanted) for a in actual)
    text, want = str(actual).lower(), wanted.lower()
    return text.startswith(want[:-1]) if want.endswith("*") else text == want


@dataclass
class Filter:
    """A compiled search: ``matches(record)`` plus inclusive ranges usable on base indices."""

    tree: Node | None
    kind: str
    ranges: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._get = _getters(self.kind)
        self._times: dict[str, tuple[float, float]] = {}
        if self.tree is not None:
            self._check(self.tree)
            top = self.tree[1] if self.tree[0] == "and" else [self.tree]
            for node in top:
                if node[0] == "term":
                    self._narrow(node)

    def _bounds(self, name: str, value: str) -> tuple[float, float]:
        if name in TIME_FIELDS:
            cached = self._times.get(value)
            if cached is None:
                cached = self._times[value] = parse_time(value)
            return cached
        number = value.split("?", 1)[0].rsplit("/", 1)[-1]
        if not number.lstrip("-").isdigit():
            raise SearchSyntaxError(f"{name}: expected a number, got {value!r}")
        return float(number), float(number)

    def _check(self, node: Node) -> None:
        if node[0] in ("and", "or"):
            for part in node[1]:
                self._check(part)
        elif node[0] == "not":
            self._check(node[1])
        elif node[0] == "term" and (node[1] in TIME_FIELDS or node[1] in NUMERIC):
            self._bounds(node[1], node[3])

    def _narrow(self, node: Node) -> None:
        _, name, op, value = node
        column = _RANGE_COLUMNS.get(name)
        if column is None:
            return
        lo, hi = self._bounds(name, value)
        new_lo = {">": math.floor(lo) + 1, ">=": math.ceil(lo), "=": math.ceil(lo)}.get(op)
        new_hi = {"<": math.ceil(lo) - 1, "<=": math.floor(lo), "=": math.floor(hi)}.get(op)
        old_lo, old_hi = self.ranges.get(column, (None, None))
        if new_lo is not None:
            old_lo = new_lo if old_lo is None else max(old_lo, new_lo)
        if new_hi is not None:
            old_hi = new_hi if old_hi is None else min(old_hi, new_hi)
        self.ranges[column] = (old_lo, old_hi)

    def matches(self, rec: Record) -> bool:
        return self.tree is None or self._eval(self.tree, rec)

    def _eval(self, node: Node, rec: Record) -> bool:  # noqa: PLR0911
        tag = node[0]
        if tag == "and":
            return all(self._eval(n, rec) for n in node[1])
        if tag == "or":
            return any(self._eval(n, rec) for n in node[1])
        if tag == "not":
            return not self._eval(node[1], rec)
        if tag == "text":
            return any(node[1].lower() in str(rec.get(f) or "").lower() for f in TEXT_FIELDS)
        _, name, op, value = node
        if name in TIME_FIELDS:
            lo, hi = self._bounds(name, value)
            return _compare(rec[TIME_FIELDS[name]], op, lo, hi)
        getter = self._get.get(name)
        if getter is None:
            return True  # Shopify ignores filters it does not know
        actual = getter(rec)
        if name in NUMERIC:
            lo, hi = self._bounds(name, value)
            return actual is not None and _compare(actual, op, lo, hi)
        if op != "=":
            return actual is not None and _compare_text(str(actual).lower(), op, value.lower())
        return any(_match_text(actual, v) for v in value.split(","))


def compile_filter(text: str | None, kind: str) -> Filter:
    return Filter(parse(text) if text else None, kind)
