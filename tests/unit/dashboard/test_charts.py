"""Every chart's SQL carries row-level security and binds, never splices, what a request says."""

from __future__ import annotations

import html
import json
import re
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from starlette.exceptions import HTTPException

from shopsync.dashboard.app import Range, csv_safe, figure, script_json, session_key
from shopsync.dashboard.charts import (
    CHARTS,
    CHARTS_BY_NAME,
    CURRENCY_SQL,
    SALES_DAYS_SQL,
    SUMMARY_SQL,
    grain_for,
    rls,
)
from shopsync.dashboard.data import Rows

RELATION = re.compile(r"reporting\.(\w+)(?: ([a-z]\w*))?")


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.name)
def test_every_reporting_relation_of_a_chart_is_held_to_the_store_and_the_rules(chart) -> None:  # type: ignore[no-untyped-def]
    statement = chart.statement()
    assert "{rls" in chart.sql
    relations = [m.groups() for m in RELATION.finditer(statement) if m.group(1) != "rls_rules"]
    if any(alias is None for _, alias in relations):
        assert rls() in statement
    aliases = {alias for _, alias in relations if alias is not None}
    for alias in aliases:
        held = rls(alias) in statement or re.search(
            rf"\b{alias}\.tenant_id = \w+\.tenant_id", statement
        )
        assert held, f"{chart.name}: {alias} is not held to the tenant"
    assert chart.params <= {"tenant", "groups", "start", "end", "low", "grain"}
    assert {"tenant", "groups"} <= chart.params


def test_the_other_statements_apply_the_rules_too() -> None:
    for statement in (CURRENCY_SQL, SALES_DAYS_SQL):
        assert rls() in statement
    assert "list_contains($groups, groupname)" in SUMMARY_SQL


def test_ranges_default_to_a_year_and_name_the_bad_field() -> None:
    today = date(2026, 12, 7)
    span = Range.parse(None, None, today, None)
    assert (span.start, span.end, span.preset) == (date(2025, 12, 8), today, "12 months")
    assert Range.parse("2026-11-08", None, today, None).preset == "30 days"
    assert Range.parse("2024-01-01", None, today, date(2024, 1, 1)).preset == "All"
    opened = Range.parse(None, None, today, date(2023, 5, 1))  # a store's page: all its sales
    assert (opened.start, opened.preset) == (date(2023, 5, 1), "All")
    assert Range.parse(None, "0001-01-01", today, None).start == date.min  # 400s, not 500s
    with pytest.raises(HTTPException, match="to: not a date"):
        Range.parse(None, "07/12/2026", today, None)
    with pytest.raises(HTTPException, match="is after to"):
        Range.parse("2026-12-08", "2026-12-07", today, None)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("@x", "'@x"),
        ("  =1+1", "'  =1+1"),
        ("\tx", "'\tx"),
        ("Tent", "Tent"),
        ("", ""),
        (-3, -3),
    ],
)
def test_csv_cells_never_run_as_formulas(value: object, cell: object) -> None:
    assert csv_safe(value) == cell


@pytest.mark.parametrize(
    ("days", "grain"), [(1, "day"), (45, "day"), (46, "week"), (400, "week"), (401, "month")]
)
def test_long_ranges_are_summed_by_week_then_month(days: int, grain: str) -> None:
    assert grain_for(days) == grain


def test_no_value_can_end_the_script_element_a_chart_is_embedded_in() -> None:
    title = "</script><img src=x onerror=alert(1)> & 'quotes'"
    chart = CHARTS_BY_NAME["top_products"]
    rows = Rows(chart.columns, [(title, 3, Decimal("12.50"))])
    embedded = script_json(figure(chart, rows, "USD"))
    assert not re.search(r"[<>&]", embedded)
    assert json.loads(embedded)["data"][0]["y"] == [html.escape(title)]  # text, not tags
    assert json.loads(embedded)["data"][0]["customdata"] == ["$12.50"]


def test_the_session_key_is_strong_whatever_the_file_held(tmp_path: Path) -> None:
    path = tmp_path / "dashboard_session.key"
    first = session_key(path)
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session_key(path) == first
    for weak in ("", "abc", "secret" * 20):
        path.write_text(weak)
        replaced = session_key(path)
        assert re.fullmatch(r"[0-9a-f]{64}", replaced)
        assert path.read_text() == replaced
