"""Shopify search syntax on connections."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shopsync_simulator.query.search import SearchSyntaxError, compile_filter, parse, parse_time

TS = int(datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC).timestamp())


def rec(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "_n": 8_000_000_005,
        "_c": TS - 100,
        "_u": TS,
        "status": "ACTIVE",
        "vendor": "Acme",
        "productType": "Outdoor",
        "tags": ["sale", "eco"],
        "title": "Rugged Canvas Tent",
        "handle": "rugged-canvas-tent",
    }
    return base | kw


@pytest.mark.parametrize(
    "value",
    [
        "2024-05-06T07:08:09Z",
        "'2024-05-06T07:08:09Z'",
        '"2024-05-06T07:08:09Z"',
        "2024-05-06T07:08:09.000Z",
        "'2024-05-06 07:08:09'",
        "2024-05-06 07:08:09",
        "2024-05-06T09:08:09+02:00",
        "2024-05-06T07:08:09",
        "'2024-05-06T01:08:09-06:00'",
    ],
)
def test_every_date_format_means_the_same_instant(value: str) -> None:
    assert compile_filter(f"updated_at:>={value}", "Product").matches(rec())
    assert not compile_filter(f"updated_at:>{value}", "Product").matches(rec())
    assert compile_filter(f"updated_at:<={value}", "Product").matches(rec())
    assert not compile_filter(f"updated_at:<{value}", "Product").matches(rec())


def test_fractional_seconds_compare_exactly() -> None:
    assert compile_filter("updated_at:>2024-05-06T07:08:08.5Z", "Product").matches(rec())
    assert not compile_filter("updated_at:>2024-05-06T07:08:09.5Z", "Product").matches(rec())


def test_date_only_is_midnight_for_comparisons_and_the_day_for_equality() -> None:
    assert compile_filter("updated_at:>2024-05-06", "Product").matches(rec())
    assert compile_filter("updated_at:2024-05-06", "Product").matches(rec())
    assert not compile_filter("updated_at:2024-05-07", "Product").matches(rec())
    assert parse_time("2024-05-06") == (TS - 7 * 3600 - 8 * 60 - 9, TS + 16 * 3600 + 51 * 60 + 50)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status:active", True),
        ("status:ACTIVE", True),
        ("status:draft", False),
        ("status:draft,active", True),
        ("status:draft OR vendor:acme", True),
        ("status:draft AND vendor:acme", False),
        ("status:active vendor:acme", True),
        ("status:active -vendor:acme", False),
        ("NOT status:draft", True),
        ("(status:draft OR tag:eco) AND product_type:outdoor", True),
        ("tag:gift", False),
        ("title:rugged*", True),
        ("canvas", True),
        ("-canvas", False),
        ("id:8000000005", True),
        ("id:8000000006", False),
        ("id:>=8000000005 AND id:<8000000006", True),
        ("created_at:<2024-05-06T07:08:09Z AND updated_at:>=2024-05-06T07:08:09Z", True),
        ("no_such_field:whatever", True),
    ],
)
def test_filters(query: str, expected: bool) -> None:
    assert compile_filter(query, "Product").matches(rec()) is expected


def test_top_level_conjunctions_become_index_ranges() -> None:
    flt = compile_filter(
        "updated_at:>2024-01-01T00:00:00Z updated_at:<='2024-02-01 00:00:00' id:>=5", "Product"
    )
    assert flt.ranges["updated"] == (1_704_067_201, 1_706_745_600)
    assert flt.ranges["id"] == (5, None)
    assert compile_filter("updated_at:>2024-01-01 OR id:5", "Product").ranges == {}


def test_gid_values_and_events() -> None:
    event = {"_n": 1, "_c": TS, "_u": TS, "action": "destroy", "subjectType": "PRODUCT",
             "subjectId": "gid://shopify/Product/8000000009"}  # fmt: skip
    assert compile_filter("action:destroy AND subject_type:product", "Event").matches(event)
    assert compile_filter("subject_id:8000000009", "Event").matches(event)
    assert compile_filter("verb:destroy", "Event").matches(event)
    assert not compile_filter("action:create", "Event").matches(event)
    assert compile_filter("id:gid://shopify/Event/1", "Event").matches(event)


@pytest.mark.parametrize(
    "query", ["updated_at:>yesterday-ish", "(status:active", "status:'open", "id:abc"]
)
def test_syntax_errors(query: str) -> None:
    with pytest.raises(SearchSyntaxError):
        compile_filter(query, "Product")


def test_empty_query_matches_everything() -> None:
    assert parse("  ") is None
    assert compile_filter(None, "Product").matches(rec())
