"""Generated SQL: golden files for Redshift, and the guards on identifiers and literals.

Regenerate the golden files after an intended change with ``UPDATE_GOLDEN=1 pytest ...``
and review the diff.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import duckdb
import pytest

from shopsync.reporting import finance
from shopsync.reporting import tables as reporting_tables
from shopsync.warehouse import sql
from shopsync.warehouse.base import (
    Deletions,
    RunLoad,
    TableLoad,
    batch_stages,
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
    assert [len(b) for b in batches] == [40, 12, 37]  # set-up, then the stages and the changes
    text = "\n".join(
        f"-- batch {i} of {len(batches)}\n" + ";\n\n".join(b) + ";\n"
        for i, b in enumerate(batches, 1)
    )
    _check_golden("load_run.sql", [text.removesuffix(";\n")])


def test_the_changes_of_a_full_run_go_by_whole_tables_with_the_ledger_last() -> None:
    """Every table a complete snapshot, deleted products, orders and customers, columns added
    to every table: each part fits the Data API's 40 statements and each statement its 100 KB;
    a table's changes (guard, MERGE, its reporting rows) are never split; the deletions come
    after every MERGE, a table they reach with its reporting rows after them; the ledger and
    the skipped streams come last."""
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
    assert max(len(s.encode()) for b in batches for s in b) < 20_000
    changes = [b for b in batches if any(s.startswith("MERGE INTO") for s in b)]
    first = batches.index(changes[0])
    ddl = ("COPY", "CREATE TABLE", "CREATE SCHEMA", "ALTER")  # set-up apart; stages may share
    assert not any(s.startswith(ddl) for b in changes for s in b)
    assert sum(s.startswith("MERGE INTO") for b in changes for s in b) == len(TABLES)
    flat = [s for b in batches for s in b]
    deletions = [i for i, s in enumerate(flat) if "FROM stage_deletions d" in s]
    assert len(deletions) == sum(t.deleted_with is not None for t in TABLES.values())
    merges = [i for i, s in enumerate(flat) if s.startswith("MERGE INTO")]
    assert max(merges) < min(deletions)
    # Each table's reporting rows once, after the last statement that changed it.
    for name in TABLES:
        refreshed = [
            i for i, s in enumerate(flat) if s.startswith(f"INSERT INTO reporting.{name} ")
        ]
        changed = [
            i
            for i, s in enumerate(flat)
            if s.split()[:3]
            in (["MERGE", "INTO", f"shop_acme.{name}"], ["UPDATE", f"shop_acme.{name}", "SET"])
        ]
        assert len(refreshed) == 1, name
        assert max(changed) < refreshed[0], name
    for batch in batches:  # whole tables: its reporting rows in its MERGE's batch
        for statement in batch:
            if statement.startswith("MERGE INTO"):
                name = statement.split()[2].removeprefix("shop_acme.")
                reached = TABLES[name].deleted_with is not None
                assert reached or any(s.startswith(f"INSERT INTO reporting.{name} ") for s in batch)
    last = batches[-1]
    ledger = flat.index(next(s for s in last if s.startswith("INSERT INTO shopsync_ops.load")))
    assert max(deletions) < ledger
    assert sum(s.startswith("INSERT INTO shopsync_ops.load_ledger") for s in last) == 1
    earlier = [s for b in batches[:-1] for s in b]
    assert not any(s.startswith("INSERT INTO shopsync_ops.load_ledger") for s in earlier)
    stages = ("CREATE TEMP TABLE", "INSERT INTO stage_", "DROP TABLE IF EXISTS stage_")
    assert not [s for b in batches[first + 1 :] for s in b if s.startswith(stages)]
    # The same statements as the one-transaction form (DuckDB's), less the staging of the
    # batch's tables, which a session does once for every run of the batch.
    one = load_statements(sql.REDSHIFT, run, loaded_at=AT, existing_columns=existing, iam_role=ROLE)
    staged = batch_stages(sql.REDSHIFT, run, tables, iam_role=ROLE)
    staging = {s for _, ss in staged.values() for s in ss}
    assert sorted(flat) == sorted(s for s in one if s not in staging)
    with pytest.raises(ValueError, match=r"at most 2$"):
        load_batches(sql.REDSHIFT, run, loaded_at=AT, max_statements=2)


def test_redshift_reporting_and_rls() -> None:
    stage, swap = reporting_tables.refresh_statements(
        sql.REDSHIFT, [("corp-analysts", "acme_corp"), ("acme-analysts", "acme")]
    )
    layout = reporting_tables.layout_statements(sql.REDSHIFT, {"orders": ["tenant_id", "id"]})
    statements = [
        *[s for s in layout if " reporting.products " in s or "reporting.orders " in s],
        *reporting_tables.run_refresh("acme", RUN.run_id, TABLES["products"]),
        *reporting_tables.backfill("acme_corp", ["products"]),
        *stage,
        *swap,
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
        reporting_tables.rls_rules(sql.DUCKDB, [("x'); DROP TABLE t; --", "acme")])


def test_add_columns_only_for_missing_ones() -> None:
    spec = TABLES["products"]
    have = [n for n in spec.column_names if n != "vendor"]
    assert sql.add_columns(sql.DUCKDB, "acme", spec, have) == [
        "ALTER TABLE shop_acme.products ADD COLUMN vendor VARCHAR"
    ]


def test_rls_rules_are_staged_in_multi_row_inserts_then_swapped_in() -> None:
    rules = [(f"group-{i:04d}", f"tenant_{i:04d}") for i in range(3000)]
    stage, swap = reporting_tables.rls_rules(sql.DUCKDB, [*reversed(rules), rules[0]])
    inserts = [s for s in stage if s.startswith("INSERT INTO rls_rules_next")]
    assert len(inserts) == 2  # ~30 bytes a rule: 64 KB hold ~2,000
    assert all(len(s.encode()) <= reporting_tables.MAX_STATEMENT_BYTES for s in inserts)
    assert swap == [
        "DELETE FROM reporting.rls_rules",
        "INSERT INTO reporting.rls_rules (groupname, tenant_id) SELECT groupname, tenant_id "
        "FROM rls_rules_next",
        "DROP TABLE rls_rules_next",
    ]
    # The statements run as generated on DuckDB (Redshift documents the same multi-row form).
    con = duckdb.connect()
    for statement in [*sql.ops_ddl(sql.DUCKDB), *stage, *swap]:
        con.execute(statement)
    stored = con.execute("SELECT groupname, tenant_id FROM reporting.rls_rules ORDER BY 1")
    assert stored.fetchall() == rules


def test_rls_rules_without_rules_empty_the_table() -> None:
    stage, swap = reporting_tables.rls_rules(sql.DUCKDB, [])
    assert not [s for s in stage if s.startswith("INSERT")]
    assert swap[0] == "DELETE FROM reporting.rls_rules"


def test_the_longest_rules_stay_below_the_data_api_statement_limit() -> None:
    rules = [("g" * 127 + f"{i % 10}", f"t{i:039d}") for i in range(5000)]
    stage, _ = reporting_tables.rls_rules(sql.REDSHIFT, rules)
    assert max(len(s.encode()) for s in stage) <= 64_000  # the Data API takes up to 100 KB
