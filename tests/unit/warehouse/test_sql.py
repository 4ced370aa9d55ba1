"""Generated SQL: golden files for Redshift, and the guards on identifiers and literals.

Regenerate the golden files after an intended change with ``UPDATE_GOLDEN=1 pytest ...``
and review the diff.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import duckdb
import pytest

from shopsync.reporting import finance, views
from shopsync.warehouse import sql
from shopsync.warehouse.base import (
    Deletions,
    RunLoad,
    TableLoad,
    batch_stages,
    epilogue_statements,
    load_batches,
    load_statements,
)
from shopsync.warehouse.specs import TABLES
from tests.support.paths import GOLDEN_DIR

GOLDEN = GOLDEN_DIR / "redshift"
AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CURATED = "s3://shopsync-curated/batch=20261124T110500Z-0a1b2c3d/table={t}"
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
    deletions=Deletions(CURATED.format(t="deletions"), ("PRODUCT",)),
    stream_records={"products": 2, "locations": 3, "orders": 4, "deleted_products": 1},
    skipped={"customers": ("read_customers",)},
)
ROLE = "arn:aws:iam::123456789012:role/shopsync-redshift-copy"


def _check_golden(name: str, statements: list[str], header: str = "") -> None:
    text = header + ";\n\n".join(statements) + ";\n"
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert path.read_text() == text, f"{path} differs; UPDATE_GOLDEN=1 to regenerate"


def test_redshift_load_of_one_tenant_run() -> None:
    existing = {"products": ["id", "title"], "locations": list(TABLES["locations"].column_names)}
    batches = load_batches(
        sql.REDSHIFT, RUN, loaded_at=AT, existing_columns=existing, max_statements=40
    )
    assert [len(b) for b in batches] == [40, 7, 25]  # set-up, then the stages and the changes
    text = "\n".join(
        f"-- batch {i} of {len(batches)}\n" + ";\n\n".join(b) + ";\n"
        for i, b in enumerate(batches, 1)
    )
    _check_golden("load_run.sql", [text.removesuffix(";\n")])


def test_the_changes_of_a_full_run_go_by_whole_tables_with_the_ledger_last() -> None:
    """Every table a complete snapshot, deleted products, orders and customers, columns added
    to every table: each part fits the Data API's 40 statements; a table's changes are never
    split; the deletions, the ledger and the skipped streams come in the last batch, after
    every MERGE."""
    tables = tuple(
        TableLoad(t, CURATED.format(t=t), 1, complete_snapshot=True, cursor_to=None) for t in TABLES
    )
    run = RunLoad(
        tenant_id="acme",
        run_id=RUN.run_id,
        mode="full",
        started_at=AT,
        tables=tables,
        deletions=Deletions(CURATED.format(t="deletions"), ("CUSTOMER", "ORDER", "PRODUCT")),
        stream_records=dict.fromkeys(TABLES, 1),
    )
    existing = {t: ["id"] for t in TABLES}
    batches = load_batches(
        sql.REDSHIFT, run, loaded_at=AT, existing_columns=existing, max_statements=40
    )
    assert all(1 <= len(b) <= 40 for b in batches)
    changes = [b for b in batches if any(s.startswith("MERGE INTO") for s in b)]
    first = batches.index(changes[0])
    ddl = ("COPY", "CREATE TABLE", "CREATE SCHEMA", "ALTER")  # set-up apart; stages may share
    assert not any(s.startswith(ddl) for b in changes for s in b)
    assert sum(s.startswith("MERGE INTO") for b in changes for s in b) == len(TABLES)
    end = set(epilogue_statements(sql.REDSHIFT, run, tables, loaded_at=AT).apply)
    deletions = [s for b in batches for s in b if "FROM stage_deletions d" in s]
    assert len(deletions) == sum(t.deleted_with is not None for t in TABLES.values())
    assert set(deletions) <= end
    for batch in changes:  # whole tables: a MERGE and, before it, its guard and snapshot delete
        merged = {s.split()[2] for s in batch if s.startswith("MERGE INTO")}
        touched = {s.split()[1] for s in batch if s.startswith("UPDATE ") and s not in end}
        assert touched <= merged
    last = batches[-1]
    assert set(deletions) <= set(last)
    assert all(last.index(d) < last.index(s) for d in deletions for s in last if "ledger" in s)
    assert sum(s.startswith("INSERT INTO shopsync_ops.load_ledger") for s in last) == 1
    earlier = [s for b in batches[:-1] for s in b]
    assert not any(s.startswith("INSERT INTO shopsync_ops.load_ledger") for s in earlier)
    assert batches[first:] == (changes if changes[-1] is last else [*changes, last])
    # The same statements as the one-transaction form (DuckDB's), less the staging of the
    # batch's tables, which a session does once for every run of the batch.
    flat = [s for b in batches for s in b]
    one = load_statements(sql.REDSHIFT, run, loaded_at=AT, existing_columns=existing, iam_role=ROLE)
    staged = batch_stages(sql.REDSHIFT, run, tables, iam_role=ROLE)
    staging = {s for _, ss in staged.values() for s in ss}
    assert sorted(flat) == sorted(s for s in one if s not in staging)
    with pytest.raises(ValueError, match=r"at most 2$"):
        load_batches(sql.REDSHIFT, run, loaded_at=AT, max_statements=2)


def test_redshift_reporting_and_rls() -> None:
    statements = [
        views.reporting_view(sql.REDSHIFT, TABLES["products"], ["acme", "acme_corp"]),
        views.reporting_view(sql.REDSHIFT, TABLES["orders"], []),
        *finance.finance_views(sql.REDSHIFT),
        *views.rls_rules([("corp-analysts", "acme_corp"), ("acme-analysts", "acme")]),
    ]
    _check_golden("reporting.sql", statements)


def test_redshift_money_checks() -> None:
    statements = [
        finance.sales_check_query(sql.REDSHIFT, "acme", RUN.run_id, AT),
        finance.captured_check_query("acme", RUN.run_id),
    ]
    _check_golden("money_checks.sql", statements)


def test_statement_shape() -> None:
    statements = load_statements(sql.REDSHIFT, RUN, loaded_at=AT, iam_role=ROLE)
    copies = [s for s in statements if s.startswith("COPY ")]
    assert len(copies) == 4  # three tables and the deletions
    assert all("IAM_ROLE" in s and s.endswith("FORMAT AS PARQUET") for s in copies)
    assert sum(s.startswith("MERGE INTO shop_acme.") for s in statements) == 3
    assert statements[-1] == "DROP TABLE IF EXISTS stage_deletions"
    (ledger,) = [s for s in statements if s.startswith("INSERT INTO shopsync_ops.load_ledger")]
    assert ledger.count(" UNION ALL ") == 3  # one row per table plus the _manifest row
    assert "WHERE NOT EXISTS" in ledger
    (skipped,) = [s for s in statements if s.startswith("INSERT INTO shopsync_ops.skipped_")]
    assert "'customers' AS stream, 'read_customers' AS missing_scope" in skipped
    assert "WHERE NOT EXISTS" in skipped


def test_a_run_that_skipped_nothing_writes_no_skipped_rows() -> None:
    assert sql.skipped_insert("acme", RUN.run_id, AT, {}) == []
    (one,) = sql.skipped_insert("acme", RUN.run_id, AT, {"orders": ("read_a", "read_b")})
    assert one.count(" UNION ALL ") == 1  # a row per missing scope


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
        views.rls_rules([("x'); DROP TABLE t; --", "acme")])


def test_add_columns_only_for_missing_ones() -> None:
    spec = TABLES["products"]
    have = [n for n in spec.column_names if n != "vendor"]
    assert sql.add_columns(sql.DUCKDB, "acme", spec, have) == [
        "ALTER TABLE shop_acme.products ADD COLUMN vendor VARCHAR"
    ]


def test_rls_rules_are_multi_row_inserts_in_chunks() -> None:
    rules = [(f"group-{i:03d}", f"tenant_{i:03d}") for i in range(450)]
    statements = views.rls_rules([*reversed(rules), rules[0]])  # order and duplicates do not matter
    assert statements[0] == "DELETE FROM reporting.rls_rules"
    inserts = statements[1:]
    assert [s.count("), (") + 1 for s in inserts] == [200, 200, 50]
    assert all(
        s.startswith("INSERT INTO reporting.rls_rules (groupname, tenant_id) VALUES (")
        for s in inserts
    )
    # The statements run as generated on DuckDB (Redshift documents the same multi-row form).
    con = duckdb.connect()
    for statement in [*sql.ops_ddl(sql.DUCKDB), *statements]:
        con.execute(statement)
    stored = con.execute("SELECT groupname, tenant_id FROM reporting.rls_rules ORDER BY 1")
    assert stored.fetchall() == rules


def test_rls_rules_without_rules_only_empty_the_table() -> None:
    assert views.rls_rules([]) == ["DELETE FROM reporting.rls_rules"]


def test_a_chunk_of_the_longest_rules_stays_far_below_the_data_api_statement_limit() -> None:
    rules = [("g" * 127 + f"{i % 10}", f"t{i:039d}") for i in range(views.RLS_ROWS_PER_INSERT)]
    (insert,) = views.rls_rules(rules)[1:]
    assert len(insert.encode()) < 50_000  # the Data API takes a statement of up to 100 KB
