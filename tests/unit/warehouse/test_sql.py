"""Generated SQL: golden files for Redshift, and the guards on identifiers and literals.

Regenerate the golden files after an intended change with ``UPDATE_GOLDEN=1 pytest ...``
and review the diff.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shopsync.warehouse import sql
from shopsync.warehouse.base import RunLoad, TableLoad, load_statements
from shopsync.warehouse.specs import TABLES

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "redshift"
AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CURATED = "s3://shopsync-curated/tenant=acme/table={t}/run=20261124T110000Z-00000002"
RUN = RunLoad(
    tenant_id="acme",
    run_id="20261124T110000Z-00000002",
    mode="incremental",
    started_at=AT,
    tables=(
        TableLoad("products", CURATED.format(t="products"), 2, cursor_to="2026-11-24T11:00:00Z"),
        TableLoad("locations", CURATED.format(t="locations"), 3, complete_snapshot=True),
        TableLoad("order_line_items", CURATED.format(t="order_line_items"), None),
    ),
    deletions=CURATED.format(t="deleted_products"),
    stream_records={"products": 2, "locations": 3, "orders": 4, "deleted_products": 1},
)
ROLE = "arn:aws:iam::123456789012:role/shopsync-redshift-copy"


def _check_golden(name: str, statements: list[str]) -> None:
    text = ";\n\n".join(statements) + ";\n"
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert path.read_text() == text, f"{path} differs; UPDATE_GOLDEN=1 to regenerate"


def test_redshift_load_of_one_tenant_run() -> None:
    existing = {"products": ["id", "title"], "locations": list(TABLES["locations"].column_names)}
    statements = load_statements(
        sql.REDSHIFT, RUN, loaded_at=AT, existing_columns=existing, iam_role=ROLE
    )
    _check_golden("load_run.sql", statements)


def test_redshift_reporting_and_rls() -> None:
    statements = [
        sql.reporting_view(sql.REDSHIFT, TABLES["products"], ["acme", "acme_corp"]),
        sql.reporting_view(sql.REDSHIFT, TABLES["orders"], []),
        *sql.rls_rules([("corp-analysts", "acme_corp"), ("acme-analysts", "acme")]),
    ]
    _check_golden("reporting.sql", statements)


def test_statement_shape() -> None:
    statements = load_statements(sql.REDSHIFT, RUN, loaded_at=AT, iam_role=ROLE)
    copies = [s for s in statements if s.startswith("COPY ")]
    assert len(copies) == 4  # three tables and the deletions
    assert all("IAM_ROLE" in s and s.endswith("FORMAT AS PARQUET") for s in copies)
    assert sum(s.startswith("MERGE INTO shop_acme.") for s in statements) == 3
    assert statements[-1] == "DROP TABLE IF EXISTS stage_deleted_products"
    ledger = [s for s in statements if s.startswith("INSERT INTO shopsync_ops.load_ledger")]
    assert len(ledger) == 4  # one per table plus the _manifest row
    assert all("WHERE NOT EXISTS" in s for s in ledger)


@pytest.mark.parametrize("bad", ["Acme", "ab", "acme;drop", "acme-corp", "", "a" * 41])
def test_tenant_schema_only_for_valid_ids(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid tenant id"):
        sql.tenant_schema(bad)


def test_lookalike_schemas_are_distinct() -> None:
    assert sql.tenant_schema("acme") == "shop_acme"
    assert sql.tenant_schema("acme_corp") == "shop_acme_corp"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("it's", "'it''s'"),
        (None, "NULL"),
        (3, "3"),
        (AT, "CAST('2026-11-24 12:00:00.000000+00' AS TIMESTAMPTZ)"),
    ],
)
def test_literals(value: str | int | datetime | None, expected: str) -> None:
    assert sql.literal(value) == expected


def test_rls_rejects_odd_group_names() -> None:
    with pytest.raises(ValueError, match="group"):
        sql.rls_rules([("x'); DROP TABLE t; --", "acme")])


def test_add_columns_only_for_missing_ones() -> None:
    spec = TABLES["products"]
    have = [n for n in spec.column_names if n != "vendor"]
    assert sql.add_columns(sql.DUCKDB, "acme", spec, have) == [
        "ALTER TABLE shop_acme.products ADD COLUMN vendor VARCHAR"
    ]
