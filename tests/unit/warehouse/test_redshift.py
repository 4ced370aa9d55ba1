"""The Redshift Data API warehouse, executed on its DuckDB twin; polling and failures; the
reporting user, its grants and the password kept out of errors and logs."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from botocore.exceptions import ClientError
from pydantic import SecretStr

from shopsync.reporting import finance, grants
from shopsync.reporting import tables as reporting_tables
from shopsync.warehouse import sql
from shopsync.warehouse.base import Deletions, RunLoad, TableLoad, WarehouseError, load_batches
from shopsync.warehouse.checks import checks_insert, load_queries
from shopsync.warehouse.redshift import RedshiftDataApiWarehouse, redact
from shopsync.warehouse.specs import TABLES
from shopsync.warehouse.status import tenant_status

from . import twin
from .twin import TwinDataApi, to_duckdb, write_deletions, write_parquet

R1, R2 = "20261124T100000Z-00000001", "20261124T110000Z-00000002"
T9 = datetime(2026, 11, 24, 9, tzinfo=UTC)
T10 = datetime(2026, 11, 24, 10, tzinfo=UTC)
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def _product(n: int, title: str, updated: datetime, run: str) -> dict[str, Any]:
    return {
        "id": f"gid://shopify/Product/{n}",
        "product_id": n,
        "title": title,
        "updated_at": updated,
        "_tenant_id": "acme",
        "_run_id": run,
        "_synced_at": NOW,
        "_raw": f'{{"id": "gid://shopify/Product/{n}", "title": "{title}"}}',
    }


def _deletions(directory: Path, product: int, at: datetime, run: str) -> Deletions:
    return write_deletions(directory, run, [("PRODUCT", f"gid://shopify/Product/{product}", at)])


def _warehouse(api: TwinDataApi, **kwargs: Any) -> RedshiftDataApiWarehouse:
    return RedshiftDataApiWarehouse(
        database="dev",
        workgroup="shopsync",
        iam_role="arn:aws:iam::123456789012:role/shopsync-redshift-copy",
        client=api,
        sleep=lambda _s: None,
        **kwargs,
    )


def _run(tmp_path: Path, run: str, rows: list[dict[str, Any]], **kw: Any) -> RunLoad:
    location = write_parquet(tmp_path / run / "products", TABLES["products"], rows)
    return RunLoad(
        tenant_id="acme",
        run_id=run,
        mode="incremental",
        started_at=NOW,
        tables=(TableLoad("products", location, records=len(rows), **kw),),
        stream_records={"products": len(rows)},
    )


def test_generated_redshift_sql_loads_merges_and_is_idempotent(tmp_path: Path) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api)
    first = _run(tmp_path, R1, [_product(1, "new", T10, R1), _product(2, "two", T9, R1)])
    assert warehouse.load_run(first, loaded_at=NOW).rows == {"products": 2}
    second = RunLoad(
        tenant_id="acme",
        run_id=R2,
        mode="full",
        started_at=NOW,
        tables=(
            TableLoad(
                "products",
                write_parquet(
                    tmp_path / R2 / "products",
                    TABLES["products"],
                    [_product(1, "stale", T9, R2), _product(3, "three", T9, R2)],
                ),
                records=2,
                complete_snapshot=True,
            ),
        ),
        deletions=_deletions(tmp_path / R2 / "deleted", 3, T10, R2),
        stream_records={"products": 2, "deleted_products": 1},
    )
    result = warehouse.load_run(second, loaded_at=NOW)
    assert result.rows == {"products": 1}  # the stale version of product 1 was not merged
    rows = api.con.execute(
        "SELECT id, title, _deleted_at IS NOT NULL, json_extract_string(_raw, '$.title') "
        "FROM shop_acme.products ORDER BY id"
    ).fetchall()
    assert rows == [
        ("gid://shopify/Product/1", "new", False, "new"),
        ("gid://shopify/Product/2", "two", True, "two"),  # absent from the snapshot
        ("gid://shopify/Product/3", "three", True, "three"),  # deleted product
    ]
    assert warehouse.loaded_runs("acme") == {("acme", R1), ("acme", R2)}
    assert warehouse.load_run(second, loaded_at=NOW).skipped
    # Even a batch that runs twice (a race) adds no second ledger row.
    api.batch_execute_statement(Sqls=api.batches[-1], Database="dev", WorkgroupName="x")
    ledger = api.con.execute("SELECT COUNT(*) FROM shopsync_ops.load_ledger").fetchone()
    assert ledger == (4,)


def test_a_record_fetched_twice_is_merged_once_as_its_latest(tmp_path: Path) -> None:
    """The curated table keeps every fetch; the batch's stage keeps one row per key: the
    newest ``updated_at``, then the later fetch."""
    api = TwinDataApi()
    later = {"_synced_at": NOW + timedelta(seconds=1)}
    rows = [
        _product(1, "old", T9, R1),
        _product(1, "new", T10, R1),
        _product(2, "second fetch", T9, R1) | later,
        _product(2, "first fetch", T9, R1),
    ]
    assert _warehouse(api).load_run(_run(tmp_path, R1, rows), loaded_at=NOW).rows == {"products": 2}
    assert api.con.execute("SELECT id, title FROM shop_acme.products ORDER BY id").fetchall() == [
        ("gid://shopify/Product/1", "new"),
        ("gid://shopify/Product/2", "second fetch"),
    ]


def test_a_run_s_reporting_rows_rls_and_checks(tmp_path: Path) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api)
    run = _run(tmp_path, R1, [_product(1, "a", T9, R1)])
    result = warehouse.load_run(run, loaded_at=NOW)
    warehouse.refresh_reporting([("acme-analysts", "acme")])
    assert api.con.execute("SELECT tenant_id, title FROM reporting.products").fetchall() == [
        ("acme", "a")
    ]
    assert api.con.execute("SELECT * FROM reporting.rls_rules").fetchall() == [
        ("acme-analysts", "acme")
    ]
    checks = warehouse.run_checks(run, result, now=NOW)
    assert {(c.name, c.passed) for c in checks} == {
        ("rows_vs_records", True),
        ("pk_unique", True),
        ("freshness", True),
    }
    stored = api.con.execute("SELECT COUNT(*) FROM shopsync_ops.checks").fetchone()
    assert stored == (3,)


def test_failure_names_the_failing_statement_and_rolls_back(tmp_path: Path) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api)
    run = _run(tmp_path, R1, [_product(1, "a", T9, R1)])
    broken = RunLoad(
        **{**run.__dict__, "tables": (TableLoad("products", str(tmp_path / "missing"), 1),)}
    )
    with pytest.raises(WarehouseError) as info:
        warehouse.load_run(broken, loaded_at=NOW)
    assert info.value.statement is not None
    assert info.value.statement.startswith("COPY batch_products")
    assert "failing statement" in str(info.value)
    assert warehouse.loaded_runs() == set()


def test_bounded_wait_cancels(tmp_path: Path) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api, poll_seconds=5, timeout_seconds=20)
    api.never_finish = True
    with pytest.raises(WarehouseError, match="cancelled"):
        warehouse.execute("SELECT 1")
    assert len(api.cancelled) == 1


def test_polling_starts_short_and_backs_off_to_poll_seconds() -> None:
    """A statement that ends within a fraction of a second costs a fraction of a second."""

    class Slow:
        def __init__(self, describes: int) -> None:
            self.left = describes

        def execute_statement(self, **_: Any) -> dict[str, Any]:
            return {"Id": "s1"}

        def describe_statement(self, **_: Any) -> dict[str, Any]:
            self.left -= 1
            return {"Status": "FINISHED" if self.left <= 0 else "STARTED", "HasResultSet": False}

    slept: list[float] = []
    warehouse = RedshiftDataApiWarehouse(
        database="d", workgroup="w", client=Slow(8), sleep=slept.append, poll_seconds=1.0
    )
    warehouse.execute("SELECT 1")
    assert slept == [0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0]


def test_results_are_paged() -> None:
    api = TwinDataApi(page_size=2)
    rows = _warehouse(api).execute("SELECT * FROM range(5) t(n) ORDER BY n")
    assert rows == [[0], [1], [2], [3], [4]]


def test_needs_exactly_one_target() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        RedshiftDataApiWarehouse(database="dev", iam_role="r")


def _row(table: str, n: int, run: str, **values: Any) -> dict[str, Any]:
    kind = {
        "product_variants": "ProductVariant",
        "inventory_items": "InventoryItem",
        "inventory_levels": "InventoryLevel",
    }[table]
    return {
        "id": f"gid://shopify/{kind}/{n}",
        "updated_at": T9,
        "_tenant_id": "acme",
        "_run_id": run,
        "_synced_at": NOW,
        "_raw": "{}",
        **values,
    }


def test_a_deleted_product_takes_its_variants_items_and_levels(tmp_path: Path) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api)
    product = "gid://shopify/Product/1"
    rows = {
        "products": [_product(1, "gone", T9, R1), _product(2, "kept", T9, R1)],
        "product_variants": [
            _row("product_variants", 1, R1, product_id=product),
            _row("product_variants", 2, R1, product_id="gid://shopify/Product/2"),
        ],
        "inventory_items": [
            _row("inventory_items", 1, R1, variant_id="gid://shopify/ProductVariant/1"),
            _row("inventory_items", 2, R1, variant_id="gid://shopify/ProductVariant/2"),
        ],
        "inventory_levels": [
            _row("inventory_levels", 1, R1, inventory_item_id="gid://shopify/InventoryItem/1"),
            _row("inventory_levels", 2, R1, inventory_item_id="gid://shopify/InventoryItem/2"),
        ],
    }
    first = RunLoad(
        tenant_id="acme",
        run_id=R1,
        mode="full",
        started_at=NOW,
        tables=tuple(
            TableLoad(t, write_parquet(tmp_path / R1 / t, TABLES[t], r), len(r))
            for t, r in rows.items()
        ),
    )
    warehouse.load_run(first, loaded_at=NOW)
    deletion = RunLoad(
        tenant_id="acme",
        run_id=R2,
        mode="incremental",
        started_at=NOW,
        tables=(),
        deletions=_deletions(tmp_path / R2 / "deleted", 1, T10, R2),
        stream_records={"deleted_products": 1},
    )
    warehouse.load_run(deletion, loaded_at=NOW)
    for table in rows:
        deleted = api.con.execute(
            f"SELECT id FROM shop_acme.{table} WHERE _deleted_at IS NOT NULL"  # noqa: S608
        ).fetchall()
        assert [d[0].rsplit("/", 1)[1] for d in deleted] == ["1"], table


def test_tables_arriving_while_the_job_writes_go_in_the_one_batch(tmp_path: Path) -> None:
    """The job hands tables over as Spark finishes them; Redshift still gets one transaction."""
    api = TwinDataApi()
    run = _run(tmp_path, R1, [_product(1, "new", T10, R1)])
    header = RunLoad(
        tenant_id=run.tenant_id,
        run_id=run.run_id,
        mode=run.mode,
        started_at=run.started_at,
        tables=(),
        stream_records=run.stream_records,
    )
    result = _warehouse(api).load_run(header, loaded_at=NOW, arriving=iter(run.tables))
    assert result.rows == {"products": 1}
    load_batches = [b for b in api.batches if any(s.startswith("COPY ") for s in b)]
    assert len(load_batches) == 1
    assert api.con.execute("SELECT title FROM shop_acme.products").fetchall() == [("new",)]


# -- the read-only reporting user -------------------------------------------------------------

USER = "shopsync_reporting"
PASSWORD = "Reporting1Password"
REPORTING = grants.ReportingCredentials(username=USER, password=SecretStr(PASSWORD))
HASH = grants.password_hash(USER, SecretStr(PASSWORD))
RULES = [("acme-analysts", "acme"), ("corp-analysts", "acme_corp")]
_ABOUT_USERS = re.compile(r"\b(USER|GRANT|REVOKE|pg_user|PASSWORD)\b", re.IGNORECASE)


def _tenants(api: TwinDataApi, *tenant_ids: str, tables: Sequence[str] = tuple(TABLES)) -> None:
    """Tenant schemas and tables as loads leave them (without loading anything)."""
    for statement in sql.ops_ddl(sql.DUCKDB):
        api.con.execute(statement)
    for tenant in tenant_ids:
        specs = [TABLES[t] for t in tables]
        for statement in sql.schema_ddl(sql.DUCKDB, tenant, specs):
            api.con.execute(statement)


def _refresh_batch(api: TwinDataApi) -> list[str]:
    """The refresh's batch: the one that swaps the rules in."""
    batches = [b for b in api.batches if "DELETE FROM reporting.rls_rules" in b]
    assert len(batches) == 1, batches
    return batches[0]


def test_refresh_with_reporting_sends_the_user_and_grants_in_the_rules_batch() -> None:
    api = TwinDataApi()
    _tenants(api, "acme", "acme_corp")
    _warehouse(api, reporting=REPORTING).refresh_reporting(RULES)

    batch = _refresh_batch(api)
    stage, apply = reporting_tables.refresh_statements(sql.REDSHIFT, RULES)
    assert batch == [
        *apply,
        *grants.reporting_user(USER, REPORTING.password, exists=False),
        *grants.reporting_grants(USER, ["acme", "acme_corp"]),
    ]
    assert [s for b in api.batches for s in b if s in stage] == stage  # staged before, apart
    assert grants.user_exists(USER) in api.statements  # asked before, outside the batch
    # What committed: the user (hash, no privileges of its own), the grants, views and rules.
    assert api.users() == [(USER, HASH, False, False, "RESTRICTED")]
    assert api.privilege_statements() == grants.reporting_grants(USER, ["acme", "acme_corp"])
    assert f"GRANT USAGE ON SCHEMA reporting TO {USER}" in batch  # no tenant schema
    assert api.con.execute("SELECT * FROM reporting.rls_rules ORDER BY 1").fetchall() == RULES


def test_the_next_refresh_alters_the_existing_user_and_revokes_on_a_new_tenant() -> None:
    api = TwinDataApi()
    _tenants(api, "acme")
    warehouse = _warehouse(api, reporting=REPORTING)
    warehouse.refresh_reporting(RULES[:1])
    _tenants(api, "acme_corp")
    api.batches.clear()
    warehouse.refresh_reporting(RULES)

    batch = _refresh_batch(api)
    assert not any(s.startswith("CREATE USER") for s in batch)
    assert [s for s in batch if s.startswith("ALTER USER")] == grants.reporting_user(
        USER, REPORTING.password, exists=True
    )
    assert api.users() == [(USER, HASH, False, False, "RESTRICTED")]
    revoked = [s for s in batch if s.startswith("REVOKE ALL ON SCHEMA")]
    assert revoked == [
        f"REVOKE ALL ON SCHEMA public, shopsync_ops, reporting, shop_acme, "
        f"shop_acme_corp FROM {USER}"
    ]


def test_refresh_without_reporting_sends_nothing_about_users(tmp_path: Path) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api)
    warehouse.load_run(_run(tmp_path, R1, [_product(1, "a", T9, R1)]), loaded_at=NOW)
    warehouse.refresh_reporting(RULES)

    sent = api.statements + [s for batch in api.batches for s in batch]
    assert not [s for s in sent if _ABOUT_USERS.search(s)]
    assert api.users() == []
    assert api.privilege_statements() == []
    assert len(_refresh_batch(api)) == len(finance.VIEW_COLUMNS) + 3


def test_five_thousand_tenants_refresh_within_the_data_api_limits() -> None:
    """The refresh at 5,000 tenants with two groups each: every statement within 100 KB, the
    one transaction within 40 statements (the union views passed 100 KB at ~93 tenants)."""
    tenant_ids = [f"store_{i:04d}_of_a_long_agency_name" for i in range(5000)]
    rules = [(f"{t}-{role}", t) for t in tenant_ids for role in ("analysts", "managers")]
    stage, apply = reporting_tables.refresh_statements(sql.REDSHIFT, rules)
    apply += grants.reporting_user(USER, REPORTING.password, exists=True)
    apply += grants.reporting_grants(USER, tenant_ids)
    assert len(apply) <= 20
    assert max(len(s) for s in [*stage, *apply]) <= 64_000
    assert len(stage) == 2 + 13  # 10,000 rules of ~83 bytes in statements of 64 KB


def test_three_hundred_tenants_rules_and_grants_on_the_twin() -> None:
    tenant_ids = [f"store_{i:03d}" for i in range(300)]
    rules = [(f"{t}-{role}", t) for t in tenant_ids for role in ("analysts", "managers")]
    api = TwinDataApi()
    _tenants(api, *tenant_ids, tables=["products"])
    _warehouse(api, reporting=REPORTING).refresh_reporting(rules)

    batch = _refresh_batch(api)
    assert len(batch) <= 20
    assert api.con.execute("SELECT COUNT(*) FROM reporting.rls_rules").fetchone() == (600,)
    revoke = next(s for s in batch if s.startswith("REVOKE ALL ON SCHEMA"))
    assert revoke.count("shop_store_") == 300


def test_a_batch_over_the_data_api_limit_fails_before_it_is_sent() -> None:
    api = TwinDataApi()
    with pytest.raises(WarehouseError, match=r"41 statements.*at most 40"):
        _warehouse(api).execute_batch(["SELECT 1"] * 41)
    assert api.batches == []


def test_a_failing_grant_rolls_back_the_rules_and_user() -> None:
    api = TwinDataApi()
    _tenants(api, "acme")
    _warehouse(api).refresh_reporting(RULES[:1])
    _tenants(api, "acme_corp")
    api.faults.append(("GRANT SELECT", "permission denied"))
    with pytest.raises(WarehouseError, match="permission denied") as raised:
        _warehouse(api, reporting=REPORTING).refresh_reporting(RULES)

    assert raised.value.statement == f"GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO {USER}"
    assert api.users() == []  # the CREATE USER before it rolled back
    assert api.privilege_statements() == []
    assert api.con.execute("SELECT * FROM reporting.rls_rules").fetchall() == RULES[:1]


def test_union_views_of_an_earlier_version_become_tables_with_every_tenant_copied_once() -> None:
    api = TwinDataApi()
    _tenants(api, "acme", "acme_corp", tables=["products", "orders"])
    for tenant in ("acme", "acme_corp"):
        api.con.execute(
            f"INSERT INTO shop_{tenant}.products (id, title, _run_id) VALUES "  # noqa: S608
            "('gid://shopify/Product/1', ?, ?)",
            [f"{tenant} hat", R1],
        )
    union = " UNION ALL ".join(
        f"SELECT '{t}' AS tenant_id, * FROM shop_{t}.products"  # noqa: S608
        for t in ("acme", "acme_corp")
    )
    api.con.execute(f"CREATE VIEW reporting.products AS {union}")  # the old layout
    warehouse = _warehouse(api)
    assert warehouse.prepare() == []

    kind = "SELECT table_type FROM information_schema.tables WHERE table_name = 'products' "
    assert api.con.execute(kind + "AND table_schema = 'reporting'").fetchall() == [("BASE TABLE",)]
    assert api.con.execute(
        "SELECT tenant_id, title FROM reporting.products ORDER BY 1"
    ).fetchall() == [
        ("acme", "acme hat"),
        ("acme_corp", "acme_corp hat"),
    ]
    held = api.con.execute("SELECT tenant_id FROM shopsync_ops.reporting_tenants ORDER BY 1")
    assert held.fetchall() == [("acme",), ("acme_corp",)]
    api.batches.clear()
    assert _warehouse(api).prepare() == []
    assert not [s for b in api.batches for s in b if "reporting." in s and "INSERT" in s]


def test_a_tenant_whose_copy_fails_is_named_and_the_others_are_copied() -> None:
    api = TwinDataApi()
    _tenants(api, "acme", "bad", tables=["products"])
    api.faults.append((reporting_tables.backfill("bad", ["products"])[1], "disk full"))
    errors = _warehouse(api).prepare()

    assert len(errors) == 1
    assert errors[0].startswith("bad: copying its rows into the reporting tables failed")
    held = api.con.execute("SELECT tenant_id FROM shopsync_ops.reporting_tenants").fetchall()
    assert held == [("acme",)]
    api.faults.clear()
    assert _warehouse(api).prepare() == []  # tried again next time


class _RacingTwin(TwinDataApi):
    """Another job creates the user between this refresh's check and its batch."""

    def execute_statement(self, *, Sql: str, **kwargs: Any) -> dict[str, str]:
        started = super().execute_statement(Sql=Sql, **kwargs)
        if Sql == grants.user_exists(USER):
            other = grants.reporting_user(USER, SecretStr("Another1Password"), exists=False)
            self.con.execute(to_duckdb(other[0]))
        return started


def _log_everything(caplog: pytest.LogCaptureFixture) -> None:
    """Every record at DEBUG, also where a CLI test left ``shopsync`` at WARNING."""
    for name in (None, "shopsync", "botocore"):
        caplog.set_level(logging.DEBUG, logger=name)


def _assert_no_secret(*texts: str | None) -> None:
    for text in texts:
        assert text is not None
        assert PASSWORD not in text
        assert HASH not in text
        assert not re.search(r"md5[0-9a-f]{32}", text), text


def test_a_failing_create_user_is_redacted_in_the_error_and_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _log_everything(caplog)
    api = _RacingTwin()
    _tenants(api, "acme")
    with pytest.raises(WarehouseError, match=r"(?i)duplicate key") as raised:
        _warehouse(api, reporting=REPORTING).refresh_reporting(RULES[:1])

    error = raised.value
    assert error.statement == (
        f"CREATE USER {USER} PASSWORD '<redacted>' NOCREATEDB NOCREATEUSER SYSLOG ACCESS RESTRICTED"
    )
    assert "-- failing statement:" in str(error)
    _assert_no_secret(str(error), error.statement, repr(error.args), caplog.text)
    # The other job's user stands; this batch committed nothing.
    assert [u[1] for u in api.users()] != [HASH]
    assert api.privilege_statements() == []


def test_an_error_that_quotes_the_statement_is_redacted() -> None:
    api = TwinDataApi()
    _tenants(api, "acme")
    api.faults.append(("CREATE USER", 'syntax error at or near "NOCREATEDB" in: {statement}'))
    with pytest.raises(WarehouseError) as raised:
        _warehouse(api, reporting=REPORTING).refresh_reporting(RULES[:1])
    assert "syntax error" in str(raised.value)
    assert "PASSWORD '<redacted>'" in str(raised.value).partition("-- failing")[0]
    _assert_no_secret(str(raised.value), raised.value.statement)


class _EchoingClient(TwinDataApi):
    """A service error that echoes the request, as validation errors may."""

    def batch_execute_statement(self, *, Sqls: list[str], **kwargs: Any) -> dict[str, str]:
        if any(s.startswith("CREATE USER") for s in Sqls):
            message = f"Value {Sqls!r} at 'sqls' failed to satisfy constraint"
            raise ClientError(
                {"Error": {"Code": "ValidationException", "Message": message}},
                "BatchExecuteStatement",
            )
        return super().batch_execute_statement(Sqls=Sqls, **kwargs)


def test_a_client_error_echoing_the_batch_is_redacted_and_not_chained(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _log_everything(caplog)
    api = _EchoingClient()
    _tenants(api, "acme")
    with pytest.raises(WarehouseError, match="ValidationException") as raised:
        _warehouse(api, reporting=REPORTING).refresh_reporting(RULES[:1])
    _assert_no_secret(str(raised.value), caplog.text)
    assert raised.value.__cause__ is None
    assert raised.value.__context__ is None  # a traceback would print the original


def test_a_client_error_without_secrets_is_raised_as_it_is() -> None:
    api = _EchoingClient()
    with pytest.raises(ClientError, match="CREATE USER x PASSWORD DISABLE"):
        _warehouse(api).execute_batch(["CREATE USER x PASSWORD DISABLE", "SELECT 1"])


def test_the_password_never_reaches_the_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _log_everything(caplog)
    api = TwinDataApi()
    warehouse = _warehouse(api, reporting=REPORTING)
    warehouse.load_run(_run(tmp_path, R1, [_product(1, "a", T9, R1)]), loaded_at=NOW)
    warehouse.refresh_reporting(RULES)
    warehouse.refresh_reporting(RULES)
    assert api.users() == [(USER, HASH, False, False, "RESTRICTED")]
    assert caplog.records  # the load logged something
    _assert_no_secret(caplog.text, repr(warehouse.reporting))


@pytest.mark.parametrize(
    "text",
    [
        f"CREATE USER u PASSWORD '{HASH}' NOCREATEDB",
        f"ALTER USER u PASSWORD '{HASH[:20]}",  # cut short
        f"password \\'{HASH}\\'",  # JSON-escaped
        "ALTER USER u PASSWORD 'sha256|Mypassword1'",
        f"the password is {PASSWORD}",
    ],
)
def test_redact(text: str) -> None:
    _assert_no_secret(redact(text, [HASH, PASSWORD]))
    assert "sha256|" not in redact(text)


def test_the_twin_fails_user_and_privilege_statements_where_redshift_would() -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api)
    create = grants.reporting_user(USER, REPORTING.password, exists=False)
    failing = {
        f"ALTER USER {USER} NOCREATEDB": f'user "{USER}" does not exist',
        f"GRANT USAGE ON SCHEMA public TO {USER}": f'user "{USER}" does not exist',
    }
    for statement, error in failing.items():
        with pytest.raises(WarehouseError, match=error):
            warehouse.execute_batch([statement, "SELECT 1"])
    warehouse.execute_batch(create)
    with pytest.raises(WarehouseError, match=r"(?i)duplicate key"):
        warehouse.execute_batch(create)
    with pytest.raises(WarehouseError, match='schema "shop_nowhere" does not exist'):
        warehouse.execute_batch([f"GRANT USAGE ON SCHEMA public, shop_nowhere TO {USER}"])
    assert api.privilege_statements() == []  # nothing of a failed batch is recorded
    assert warehouse.execute(grants.user_exists(USER)) == [[1]]
    with pytest.raises(AssertionError, match="does not know"):
        to_duckdb(f"CREATE USER {USER} PASSWORD 'Plain1Password'")


# -- the COPY role -----------------------------------------------------------------------------


def test_reads_need_no_iam_role_but_loads_refuse_without_one(tmp_path: Path) -> None:
    api = TwinDataApi()
    reader = RedshiftDataApiWarehouse(
        database="dev", workgroup="shopsync", client=api, sleep=lambda _s: None
    )
    assert reader.iam_role is None
    assert reader.execute("SELECT 1") == [[1]]
    run = _run(tmp_path, R1, [_product(1, "a", T9, R1)])
    with pytest.raises(WarehouseError, match="IAM role"):
        reader.load_run(run, loaded_at=NOW)
    assert api.batches == []
    with pytest.raises(ValueError, match="COPY needs an IAM role"):
        sql.batch_stage_statements(
            sql.REDSHIFT, "products", TABLES["products"].column_types(), "s3://b/p", iam_role=None
        )


def test_a_load_is_set_up_staged_and_applied_in_one_session(tmp_path: Path) -> None:
    """Temporary tables outlive a batch only inside a session: the set-up, the batch's tables
    copied from S3, and the run's stages with its changes are separate batches of one
    session."""
    api = TwinDataApi()
    run = _run(tmp_path, R1, [_product(1, "new", T10, R1)])
    before = len(api.session_calls)
    _warehouse(api).load_run(run, loaded_at=NOW)
    load_sessions = [s for s in api.session_calls[before:] if s is not None]
    assert len(load_sessions) == 3  # set-up, the batch's tables, the run's stages and changes
    assert len(set(load_sessions)) == 1
    # The twin has no clock: the session stays open, as it does until its keep-alive ends.
    assert list(api.sessions) == load_sessions[:1]
    assert api.con.execute("SELECT title FROM shop_acme.products").fetchall() == [("new",)]


def test_a_failing_change_rolls_back_the_whole_run(tmp_path: Path) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api)
    warehouse.load_run(_run(tmp_path, R1, [_product(1, "one", T9, R1)]), loaded_at=NOW)
    api.faults.append(("INSERT INTO shopsync_ops.load_ledger", "disk full"))
    second = _run(tmp_path, R2, [_product(1, "two", T10, R2), _product(2, "new", T10, R2)])
    with pytest.raises(WarehouseError, match="disk full"):
        warehouse.load_run(second, loaded_at=NOW)
    assert api.con.execute("SELECT id, title FROM shop_acme.products").fetchall() == [
        ("gid://shopify/Product/1", "one")
    ]
    assert warehouse.loaded_runs("acme") == {("acme", R1)}
    api.faults.clear()
    assert warehouse.load_run(second, loaded_at=NOW).rows == {"products": 2}


def test_a_run_s_skipped_streams_load_with_its_ledger_and_status_shows_them(
    tmp_path: Path,
) -> None:
    api = TwinDataApi()
    warehouse = _warehouse(api)
    run = _run(tmp_path, R1, [_product(1, "a", T9, R1)])
    run = replace(run, skipped={"orders": ("read_customers", "read_orders")})
    warehouse.load_run(run, loaded_at=NOW)
    rows = f"SELECT run_id, stream, missing_scope FROM {sql.SKIPPED} ORDER BY missing_scope"  # noqa: S608
    expected = [(R1, "orders", "read_customers"), (R1, "orders", "read_orders")]
    assert api.con.execute(rows).fetchall() == expected
    # Replaying the run's transaction (a race) adds no second row.
    api.batch_execute_statement(Sqls=api.batches[-1], Database="dev", WorkgroupName="x")
    assert api.con.execute(rows).fetchall() == expected
    (acme,) = tenant_status(warehouse.execute, ["acme"])
    assert acme.skipped == {"orders": ["read_customers", "read_orders"]}
    # A later run that skipped nothing: status shows what the latest run skipped, nothing.
    warehouse.load_run(_run(tmp_path, R2, [_product(2, "b", T10, R2)]), loaded_at=NOW)
    (acme,) = tenant_status(warehouse.execute, ["acme"])
    assert acme.skipped == {}


def test_a_load_failing_between_its_change_batches_is_replayed_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More changes than one batch holds: the table commits in one batch, the ledger in the
    next. A failure in between leaves no ledger row; the next load replays the run, and the
    warehouse ends as a load that never failed leaves it (no row twice, nothing lost)."""

    def small_batches(*args: Any, **kwargs: Any) -> list[list[str]]:
        return load_batches(*args, **{**kwargs, "max_statements": 5})

    monkeypatch.setattr("shopsync.warehouse.redshift.load_batches", small_batches)
    rows = [_product(1, "one", T10, R1), _product(2, "two", T10, R1)]
    clean = TwinDataApi()
    _warehouse(clean).load_run(
        _run(tmp_path / "clean", R1, rows, complete_snapshot=True), loaded_at=NOW
    )

    api = TwinDataApi()
    warehouse = _warehouse(api)
    run = _run(tmp_path, R1, rows, complete_snapshot=True)
    api.faults.append(("INSERT INTO shopsync_ops.load_ledger", "connection reset"))
    with pytest.raises(WarehouseError, match="connection reset"):
        warehouse.load_run(run, loaded_at=NOW)
    changes = [b for b in api.batches if any(s.startswith("MERGE INTO") for s in b)]
    assert len(changes) == 1
    assert not any("load_ledger" in s for s in changes[0])
    table = "SELECT id, title, _run_id, _deleted_at FROM shop_acme.products ORDER BY id"
    assert len(api.con.execute(table).fetchall()) == 2  # the table's batch committed
    assert warehouse.loaded_runs("acme") == set()

    api.faults.clear()
    assert warehouse.load_run(run, loaded_at=NOW).rows == {"products": 2}
    assert api.con.execute(table).fetchall() == clean.con.execute(table).fetchall()
    shown = "SELECT tenant_id, id, title, _run_id, _deleted_at FROM reporting.products ORDER BY id"
    assert api.con.execute(shown).fetchall() == clean.con.execute(shown).fetchall()
    assert len(api.con.execute(shown).fetchall()) == 2
    ledger = f"SELECT tenant_id, run_id, stream, rows, records FROM {sql.LEDGER} ORDER BY stream"  # noqa: S608
    assert api.con.execute(ledger).fetchall() == clean.con.execute(ledger).fetchall()
    assert warehouse.load_run(run, loaded_at=NOW).skipped


def test_a_batch_s_runs_share_one_session_and_one_copy_per_table(tmp_path: Path) -> None:
    """Inside ``batch()``, the batch's table is copied from S3 once, into a temporary table of
    the one session every run of the batch loads in; each run takes only its own rows."""
    api = TwinDataApi()
    warehouse = _warehouse(api)
    rows = [
        _product(1, "acme's", T9, R1),
        {**_product(1, "corp's", T9, R1), "_tenant_id": "acme_corp"},
        {**_product(2, "corp's too", T9, R1), "_tenant_id": "acme_corp"},
    ]
    location = write_parquet(tmp_path / "batch" / "products", TABLES["products"], rows)
    runs = [
        RunLoad(
            tenant_id=tenant,
            run_id=R1,
            mode="incremental",
            started_at=NOW,
            tables=(TableLoad("products", location, records=n),),
            stream_records={"products": n},
        )
        for tenant, n in (("acme", 1), ("acme_corp", 2))
    ]
    with warehouse.batch():
        results = [warehouse.load_run(run, loaded_at=NOW) for run in runs]
    assert [r.rows["products"] for r in results] == [1, 2]
    copies = [s for batch in api.batches for s in batch if s.startswith("COPY")]
    assert len(copies) == 1
    assert len({s for s in api.session_calls if s is not None}) == 1
    assert api.con.execute("SELECT title FROM shop_acme.products").fetchall() == [("acme's",)]
    assert api.con.execute("SELECT COUNT(*) FROM shop_acme_corp.products").fetchall() == [(2,)]


def test_a_run_of_a_set_up_tenant_costs_three_data_api_calls_with_its_checks(
    tmp_path: Path,
) -> None:
    """Inside a batch, after the batch's one COPY: a query (loaded? layout current?), the load
    in one batch ending with its reads (ledger rows, the checks' inputs: results of that
    batch's last statements), one batch recording the checks; the checks are those
    ``run_checks`` finds on its own."""
    api = TwinDataApi()
    warehouse = _warehouse(api)
    first = _run(tmp_path, R1, [_product(1, "one", T9, R1)])
    assert warehouse.load_run(first, loaded_at=NOW).rows == {"products": 1}  # sets acme up
    second = _run(tmp_path, R2, [_product(1, "two", T10, R2), _product(2, "new", T10, R2)])
    calls = len(api.statements) + len(api.batches)
    with warehouse.batch():
        result = warehouse.load_run(second, loaded_at=NOW, checked_at=NOW)
    sent = api.statements[-1:] + api.batches[-3:]
    assert len(api.statements) + len(api.batches) - calls == 1 + 3  # the COPY's batch, then 3
    assert sent[0] == sql.run_state_query("acme", R2)
    assert sent[1][0].startswith("DROP TABLE IF EXISTS batch_products")  # the batch's COPY
    reads = list(load_queries(sql.REDSHIFT, second, checked=True).values())
    assert sent[2][-len(reads) :] == reads
    assert sent[3] == [checks_insert(result.checks, NOW)]
    assert result.rows == {"products": 2}
    assert {(c.name, c.passed) for c in result.checks} == {
        ("rows_vs_records", True),
        ("pk_unique", True),
        ("freshness", True),
    }
    alone = warehouse.run_checks(second, result, now=NOW)
    assert [(c.name, c.observed, c.expected) for c in alone] == [
        (c.name, c.observed, c.expected) for c in result.checks
    ]


def test_the_twin_refuses_what_redshift_would_a_string_over_65535_bytes(
    tmp_path: Path,
) -> None:
    """The twin holds the load to Redshift's string limit (a COPY of a longer value fails
    with Redshift's message), so a test of the load sees what Redshift would refuse; at the
    limit, with 4-byte characters, quotes and an SQL comment, the row loads as it is."""
    api = TwinDataApi()
    warehouse = _warehouse(api)
    over = _product(1, "x" * (twin.MAX_STRING_BYTES + 1), T10, R1)
    with pytest.raises(WarehouseError, match="String length exceeds DDL length"):
        warehouse.load_run(_run(tmp_path, R1, [over]), loaded_at=NOW)
    assert api.con.execute("SELECT COUNT(*) FROM shopsync_ops.load_ledger").fetchone() == (0,)
    at_limit = "\U0001f600" * (twin.MAX_STRING_BYTES // 4) + "'; -- */"[: twin.MAX_STRING_BYTES % 4]
    assert len(at_limit.encode()) <= twin.MAX_STRING_BYTES
    fine = _product(2, at_limit, T10, R2)
    fine["_raw"] = '{"id": "gid://shopify/Product/2", "title": "it\'s; -- ok"}'
    assert warehouse.load_run(_run(tmp_path, R2, [fine]), loaded_at=NOW).rows == {"products": 1}
    (title,) = api.con.execute("SELECT title FROM shop_acme.products").fetchone()
    assert title == at_limit


def test_the_twin_refuses_to_parse_json_over_the_limit(tmp_path: Path) -> None:
    api = TwinDataApi()
    big = _product(1, "big", T10, R1)
    big["_raw"] = '{"id": "gid://shopify/Product/1", "d": "' + "y" * 70_000 + '"}'
    # The check at COPY comes first: Redshift's COPY of the string into SUPER fails the same.
    with pytest.raises(WarehouseError, match="String length exceeds DDL length"):
        _warehouse(api).load_run(_run(tmp_path, R1, [big]), loaded_at=NOW)
    statement = twin.to_duckdb("SELECT JSON_PARSE(s._raw::VARCHAR(MAX)) FROM t s")
    api.con.execute("CREATE TABLE t (_raw JSON)")
    api.con.execute("INSERT INTO t VALUES (?)", [big["_raw"]])
    with pytest.raises(duckdb.Error, match="JSON_PARSE: input over 65535 bytes"):
        api.con.execute(statement).fetchall()
