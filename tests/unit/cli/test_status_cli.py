"""``shopsync status``: locally from DuckDB, and with ``--target aws`` through the Redshift Data
API (a botocore Stubber that checks the exact SQL, and the DuckDB-backed Data API twin for
local/aws equality)."""

# ruff: noqa: S608 - the SQL the Data API is expected to receive

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import duckdb
import pytest
from botocore.exceptions import NoCredentialsError
from botocore.stub import Stubber
from typer.testing import CliRunner

from shopsync.cli import app
from shopsync.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, console, err_console
from shopsync.runtime import AwsRuntime
from shopsync.settings import Settings
from shopsync.state.sqlite import SqliteStateStore
from shopsync.warehouse.specs import TABLES
from tests.support.tenants import write_tenant_file

from ..warehouse.status_data import R2, populate
from ..warehouse.twin import TwinDataApi, to_duckdb

WORKGROUP, DATABASE = "shopsync-prod", "shopsync"
SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift!shopsync-admin-AbCdEf"


@pytest.fixture(autouse=True)
def _wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    for con in (console, err_console):
        monkeypatch.setattr(con, "_width", 250)


@pytest.fixture(autouse=True)
def tenants_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "tenants"
    directory.mkdir()
    for tid in ("acme", "acme_corp"):
        write_tenant_file(directory, tid)
    monkeypatch.setenv("SHOPSYNC_TENANTS_DIR", str(directory))
    return directory


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPSYNC_REDSHIFT_WORKGROUP", WORKGROUP)
    monkeypatch.setenv("SHOPSYNC_REDSHIFT_DATABASE", DATABASE)
    monkeypatch.setenv("SHOPSYNC_REGION", "eu-west-1")


def _use_client(monkeypatch: pytest.MonkeyPatch, client: Any) -> list[Settings]:
    asked: list[Settings] = []

    def data_api(runtime: AwsRuntime) -> Any:
        asked.append(runtime.settings)
        return client

    monkeypatch.setattr(AwsRuntime, "data_api", data_api)
    return asked


# -- the Data API, stubbed: the exact SQL, and results as Redshift types them ------------------

EXISTING_SQL = (
    "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = "
    "'BASE TABLE' AND table_schema IN ('shopsync_ops', 'shop_acme', 'shop_acme_corp')"
)
LAST_RUNS_SQL = (
    "SELECT r.tenant_id, r.last_run_id, MAX(l.loaded_at) AS loaded_at, r.runs FROM ("
    "SELECT tenant_id, MAX(run_id) AS last_run_id, COUNT(DISTINCT run_id) AS runs "
    "FROM shopsync_ops.load_ledger WHERE tenant_id IN ('acme', 'acme_corp') GROUP BY tenant_id) "
    "AS r JOIN shopsync_ops.load_ledger l ON l.tenant_id = r.tenant_id AND l.run_id = "
    "r.last_run_id GROUP BY r.tenant_id, r.last_run_id, r.runs ORDER BY r.tenant_id"
)
CURSORS_SQL = (
    "SELECT tenant_id, stream, MAX(cursor_to) FROM shopsync_ops.load_ledger "
    "WHERE tenant_id IN ('acme', 'acme_corp') AND cursor_to IS NOT NULL "
    "GROUP BY tenant_id, stream ORDER BY tenant_id, stream"
)
SKIPPED_SQL = (
    "SELECT s.tenant_id, s.stream, s.missing_scope FROM shopsync_ops.skipped_streams s JOIN ("
    "SELECT tenant_id, MAX(run_id) AS last_run_id FROM shopsync_ops.load_ledger WHERE tenant_id "
    "IN ('acme', 'acme_corp') GROUP BY tenant_id) AS r ON s.tenant_id = r.tenant_id AND "
    "s.run_id = r.last_run_id ORDER BY s.tenant_id, s.stream, s.missing_scope"
)
CHECKS_SQL = (
    "SELECT tenant_id, run_id, table_name, check_name, detail, checked_at FROM ("
    "SELECT tenant_id, run_id, table_name, check_name, status, detail, checked_at, "
    "ROW_NUMBER() OVER (PARTITION BY tenant_id, table_name, check_name "
    "ORDER BY checked_at DESC, run_id DESC NULLS LAST) AS n FROM shopsync_ops.checks "
    "WHERE tenant_id IN ('acme', 'acme_corp')) AS latest WHERE n = 1 AND status = 'failed' "
    "ORDER BY tenant_id, table_name NULLS LAST, check_name"
)
COUNTS_SQL = " UNION ALL ".join(
    f"SELECT {i} AS pair, COUNT(CASE WHEN _deleted_at IS NULL THEN 1 END) AS live, "
    f"COUNT(_deleted_at) AS deleted, MAX(_synced_at) AS newest_synced_at FROM shop_acme.{t}"
    for i, t in enumerate(TABLES)
)
LOADED = "2026-11-24 11:05:30.25+00"  # TIMESTAMPTZ as the Data API returns it
SYNCED = "2026-11-24 11:00:01+00"


def _s(value: str) -> dict[str, Any]:
    return {"stringValue": value}


def _n(value: int) -> dict[str, Any]:
    return {"longValue": value}


NULL = {"isNull": True}


def _columns(*names_types: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {"name": n, "label": n, "typeName": t, "nullable": 1, "isCaseSensitive": t == "varchar"}
        for n, t in names_types
    ]


#: (SQL, result pages) of one ``status`` reading of acme (loaded, failing checks) and acme_corp
#: (never loaded: no schema, no ledger rows).
READING: list[tuple[str, list[dict[str, Any]]]] = [
    (
        EXISTING_SQL,
        [
            {
                "Records": [
                    [_s("shopsync_ops"), _s("load_ledger")],
                    [_s("shopsync_ops"), _s("checks")],
                    [_s("shopsync_ops"), _s("skipped_streams")],
                    *([_s("shop_acme"), _s(t)] for t in TABLES),
                ],
                "ColumnMetadata": _columns(("table_schema", "name"), ("table_name", "name")),
                "TotalNumRows": 3 + len(TABLES),
            }
        ],
    ),
    (
        LAST_RUNS_SQL,
        [
            {
                "Records": [[_s("acme"), _s(R2), _s(LOADED), _n(2)]],
                "ColumnMetadata": _columns(
                    ("tenant_id", "varchar"),
                    ("last_run_id", "varchar"),
                    ("loaded_at", "timestamptz"),
                    ("runs", "int8"),
                ),
                "TotalNumRows": 1,
            }
        ],
    ),
    (
        CURSORS_SQL,
        [
            {
                "Records": [
                    [_s("acme"), _s("orders"), _s("2026-11-24T09:30:00Z")],
                    [_s("acme"), _s("products"), _s("2026-11-24T10:00:00Z")],
                ],
                "ColumnMetadata": _columns(
                    ("tenant_id", "varchar"), ("stream", "varchar"), ("max", "varchar")
                ),
                "TotalNumRows": 2,
            }
        ],
    ),
    (
        SKIPPED_SQL,
        [
            {
                "Records": [[_s("acme"), _s("orders"), _s("read_orders")]],
                "ColumnMetadata": _columns(
                    ("tenant_id", "varchar"), ("stream", "varchar"), ("missing_scope", "varchar")
                ),
                "TotalNumRows": 1,
            }
        ],
    ),
    (
        CHECKS_SQL,
        [
            {
                "Records": [
                    [
                        _s("acme"),
                        _s(R2),
                        _s("orders"),
                        _s("pk_unique"),
                        _s("2 duplicate keys"),
                        _s(LOADED),
                    ],
                    [
                        _s("acme"),
                        _s(R2),
                        NULL,
                        _s("freshness"),
                        _s("newest row 49h old"),
                        _s(LOADED),
                    ],
                ],
                "ColumnMetadata": _columns(
                    ("tenant_id", "varchar"),
                    ("run_id", "varchar"),
                    ("table_name", "varchar"),
                    ("check_name", "varchar"),
                    ("detail", "varchar"),
                    ("checked_at", "timestamptz"),
                ),
                "TotalNumRows": 2,
            }
        ],
    ),
    (
        COUNTS_SQL,
        [  # two pages
            {
                "Records": [
                    [_n(0), _n(2), _n(1), _s(SYNCED)],  # products
                    [_n(1), _n(0), _n(0), NULL],
                    [_n(2), _n(0), _n(0), NULL],
                ],
                "NextToken": "page-2",
                "TotalNumRows": len(TABLES),
            },
            {
                "Records": [
                    [_n(i), _n(1), _n(0), _s(SYNCED)]
                    if t == "orders"
                    else [_n(i), _n(0), _n(0), NULL]
                    for i, t in enumerate(TABLES)
                    if i >= 3
                ],
                "TotalNumRows": len(TABLES),
            },
        ],
    ),
]


def _expect(
    stubber: Stubber,
    sql: str,
    pages: list[dict[str, Any]],
    *,
    n: int,
    secret_arn: str | None = SECRET_ARN,
) -> None:
    sid = f"0a1b2c3d-0000-4000-8000-{n:012d}"
    target = {"Database": DATABASE, "WorkgroupName": WORKGROUP}
    if secret_arn is not None:
        target["SecretArn"] = secret_arn
    at = datetime(2026, 11, 24, 12, tzinfo=UTC)
    stubber.add_response(
        "execute_statement", {"Id": sid, "CreatedAt": at, **target}, {"Sql": sql, **target}
    )
    stubber.add_response(
        "describe_statement",
        {"Id": sid, "Status": "FINISHED", "HasResultSet": True, "QueryString": sql},
        {"Id": sid},
    )
    for index, page in enumerate(pages):
        params = {"Id": sid, **({"NextToken": pages[index - 1]["NextToken"]} if index else {})}
        stubber.add_response("get_statement_result", page, params)


@pytest.fixture
def data_api(aws_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Stubber]:
    monkeypatch.setenv("SHOPSYNC_REDSHIFT_SECRET_ARN", SECRET_ARN)
    client = boto3.client("redshift-data", region_name="eu-west-1")
    _use_client(monkeypatch, client)
    # The last syncs come from the state store (DynamoDB on AWS): an empty one here.
    state = SqliteStateStore(tmp_path / "state.sqlite")
    monkeypatch.setattr(AwsRuntime, "_state_store", lambda runtime: state)
    with Stubber(client) as stubber:
        yield stubber


def test_aws_status_json_sends_the_shared_sql_and_parses_data_api_types(
    data_api: Stubber,
) -> None:
    for n, (sql, pages) in enumerate(READING):
        _expect(data_api, sql, pages, n=n)
    result = CliRunner().invoke(app, ["status", "--target", "aws", "--json"])
    data_api.assert_no_pending_responses()
    assert result.exit_code == EXIT_FAILED, result.output  # acme has failed checks
    empty = {"rows": 0, "deleted": 0, "newest_synced_at": None}
    synced = "2026-11-24T11:00:01Z"
    assert json.loads(result.stdout) == [
        {
            "tenant_id": "acme",
            "last_run_id": R2,
            "last_loaded_at": "2026-11-24T11:05:30.250000Z",
            "runs_loaded": 2,
            "cursors": {"orders": "2026-11-24T09:30:00Z", "products": "2026-11-24T10:00:00Z"},
            "skipped": {"orders": ["read_orders"]},
            "tables": [
                {"table": t, "rows": 2, "deleted": 1, "newest_synced_at": synced}
                if t == "products"
                else {"table": t, "rows": 1, "deleted": 0, "newest_synced_at": synced}
                if t == "orders"
                else {"table": t, **empty}
                for t in TABLES
            ],
            "missing_tables": [],
            "failed_checks": [
                {
                    "run_id": R2,
                    "table": "orders",
                    "check": "pk_unique",
                    "detail": "2 duplicate keys",
                    "checked_at": "2026-11-24T11:05:30.250000Z",
                },
                {
                    "run_id": R2,
                    "table": None,
                    "check": "freshness",
                    "detail": "newest row 49h old",
                    "checked_at": "2026-11-24T11:05:30.250000Z",
                },
            ],
            "ingestion": None,
            "ok": False,
            "loaded": True,
        },
        {
            "tenant_id": "acme_corp",
            "last_run_id": None,
            "last_loaded_at": None,
            "runs_loaded": 0,
            "cursors": {},
            "skipped": {},
            "tables": [],
            "missing_tables": list(TABLES),
            "failed_checks": [],
            "ingestion": None,
            "ok": True,
            "loaded": False,
        },
    ]
    assert SECRET_ARN not in result.output


def test_aws_status_text_says_who_was_never_loaded(data_api: Stubber) -> None:
    for n, (sql, pages) in enumerate(READING):
        _expect(data_api, sql, pages, n=n)
    result = CliRunner().invoke(app, ["status", "--target", "aws"])
    data_api.assert_no_pending_responses()
    assert result.exit_code == EXIT_FAILED
    lines = result.stdout.splitlines()
    assert lines[0].startswith("acme FAILED CHECKS  last run " + R2)
    assert any("failed pk_unique on orders" in line for line in lines)
    assert "  skipped: orders (missing read_orders)" in lines
    assert lines[-1].startswith("acme_corp not loaded yet  last run -")
    assert result.stderr == ""  # one tenant loaded: no hint about grants


def test_the_target_comes_from_the_environment_like_every_command(
    data_api: Stubber, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPSYNC_TARGET", "aws")
    _expect(data_api, EXISTING_SQL.replace(", 'shop_acme_corp'", ""), [{"Records": []}], n=0)
    result = CliRunner().invoke(app, ["status", "--tenant", "acme", "--json"])
    data_api.assert_no_pending_responses()
    assert result.exit_code == EXIT_OK, result.output
    (acme,) = json.loads(result.stdout)
    assert acme["loaded"] is False
    assert acme["missing_tables"] == list(TABLES)
    # Nothing visible at all may be a database user without grants: said, on stderr.
    assert "may lack SELECT on shopsync_ops" in result.stderr
    assert "SHOPSYNC_REDSHIFT_SECRET_ARN" in result.stderr


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SHOPSYNC_REDSHIFT_WORKGROUP, SHOPSYNC_REDSHIFT_DATABASE"),
        ({"SHOPSYNC_REDSHIFT_WORKGROUP": WORKGROUP}, "SHOPSYNC_REDSHIFT_DATABASE"),
        (
            {"SHOPSYNC_REDSHIFT_WORKGROUP": "", "SHOPSYNC_REDSHIFT_DATABASE": DATABASE},
            "SHOPSYNC_REDSHIFT_WORKGROUP",
        ),
    ],
)
def test_missing_settings_are_bad_input_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], missing: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    asked = _use_client(monkeypatch, object())
    result = CliRunner().invoke(app, ["status", "--target", "aws"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"set {missing}\n" in result.stderr
    assert asked == []  # nothing was asked of AWS
    assert "Traceback" not in result.output


def test_a_failed_statement_is_a_clean_error(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = boto3.client("redshift-data", region_name="eu-west-1")
    _use_client(monkeypatch, client)
    sid = "0a1b2c3d-0000-4000-8000-000000000000"
    target = {"Database": DATABASE, "WorkgroupName": WORKGROUP}  # no secret: IAM identity
    error = "ERROR: permission denied for schema shopsync_ops"
    with Stubber(client) as stubber:
        stubber.add_response("execute_statement", {"Id": sid}, {"Sql": EXISTING_SQL, **target})
        stubber.add_response(
            "describe_statement",
            {"Id": sid, "Status": "FAILED", "Error": error, "QueryString": EXISTING_SQL},
            {"Id": sid},
        )
        result = CliRunner().invoke(app, ["status", "--target", "aws"])
        stubber.assert_no_pending_responses()
    assert result.exit_code == EXIT_FAILED
    assert result.stderr == (
        f"error: reading status from Redshift workgroup {WORKGROUP}, database {DATABASE} "
        f"failed: Redshift: {error}\n"
    )
    assert result.stdout == ""
    assert isinstance(result.exception, SystemExit)


class _Unreachable:
    def execute_statement(self, **_kwargs: Any) -> dict[str, Any]:
        raise NoCredentialsError()


@pytest.mark.parametrize("fault", ["client_error", "no_credentials"])
def test_data_api_errors_are_clean_errors(
    aws_env: None, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    client = boto3.client("redshift-data", region_name="eu-west-1")
    stubber = Stubber(client)
    stubber.add_client_error(
        "execute_statement",
        service_error_code="ResourceNotFoundException",
        service_message=f"Workgroup {WORKGROUP} not found",
        http_status_code=400,
    )
    stubber.activate()
    _use_client(monkeypatch, client if fault == "client_error" else _Unreachable())
    result = CliRunner().invoke(app, ["status", "--target", "aws"])
    stubber.deactivate()
    assert result.exit_code == EXIT_FAILED
    assert result.stderr.startswith(f"error: reading status from Redshift workgroup {WORKGROUP}")
    reason = "not found" if fault == "client_error" else "Unable to locate credentials"
    assert reason in result.stderr
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


# -- the same data, read locally and through the Data API twin: the same JSON ----------------


class _RecordingTwin(TwinDataApi):
    def __init__(self) -> None:
        super().__init__(pending_polls=0, page_size=3)
        self.sent: list[str] = []

    def execute_statement(self, *, Sql: str, **kwargs: Any) -> dict[str, str]:
        self.sent.append(Sql)
        return super().execute_statement(Sql=Sql, **kwargs)


def _local_warehouse() -> None:
    path = Settings().warehouse_path
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    populate(con)
    con.close()


def test_local_and_aws_print_the_same_json_for_the_same_data(
    monkeypatch: pytest.MonkeyPatch, tenants_dir: Path
) -> None:
    write_tenant_file(tenants_dir, "globex")
    _local_warehouse()
    twin = _RecordingTwin()
    populate(twin.con)
    monkeypatch.setenv("SHOPSYNC_REDSHIFT_WORKGROUP", "shopsync")
    monkeypatch.setenv("SHOPSYNC_REDSHIFT_DATABASE", "dev")  # the twin's database
    _use_client(monkeypatch, twin)

    local = CliRunner().invoke(app, ["status", "--json"])
    aws = CliRunner().invoke(app, ["status", "--json", "--target", "aws"])

    assert local.exit_code == aws.exit_code == EXIT_FAILED, (local.output, aws.output)
    assert json.loads(aws.stdout) == json.loads(local.stdout)
    assert aws.stdout == local.stdout
    # What local shows is the data: acme failing, acme_corp lacking a table, globex never loaded.
    acme, corp, globex = json.loads(local.stdout)
    assert (acme["tenant_id"], acme["ok"], acme["runs_loaded"]) == ("acme", False, 2)
    assert (corp["tenant_id"], corp["missing_tables"]) == ("acme_corp", ["customers"])
    assert (globex["tenant_id"], globex["loaded"]) == ("globex", False)
    # The twin ran the statements exactly as Redshift would get them: none needed translating.
    assert len(twin.sent) == 6
    assert all(to_duckdb(s) == s for s in twin.sent)


def test_local_status_without_a_warehouse_says_nothing_is_loaded() -> None:
    result = CliRunner().invoke(app, ["status", "--json"])
    assert result.exit_code == EXIT_OK, result.output
    statuses = json.loads(result.stdout)
    assert [(s["tenant_id"], s["loaded"], s["ok"]) for s in statuses] == [
        ("acme", False, True),
        ("acme_corp", False, True),
    ]
    assert all(s["missing_tables"] == list(TABLES) for s in statuses)
    assert not Settings().warehouse_path.exists()  # reading created nothing


def test_local_status_text_names_tables_not_created_yet(tenants_dir: Path) -> None:
    write_tenant_file(tenants_dir, "globex")
    _local_warehouse()
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == EXIT_FAILED
    lines = result.stdout.splitlines()
    corp = lines.index(next(line for line in lines if line.startswith("acme_corp ok")))
    assert "  no table yet: customers" in lines[corp:]
    assert lines[-1].startswith("globex not loaded yet")
    assert sum("no table yet" in line for line in lines) == 1  # not for globex, nor acme


def test_local_status_text_shows_what_the_latest_run_skipped(tenants_dir: Path) -> None:
    _local_warehouse()
    result = CliRunner().invoke(app, ["status", "--tenant", "acme"])
    assert result.exit_code == EXIT_FAILED  # acme's failed checks; skipping fails nothing
    lines = result.stdout.splitlines()
    assert lines[0].startswith("acme FAILED CHECKS  last run " + R2)
    assert lines[1].startswith("  cursors: ")
    # The latest run's only: the first run's skipped customers are not shown.
    assert lines[2] == "  skipped: orders (missing read_orders)"
    assert sum("skipped" in line for line in lines) == 1
    corp = CliRunner().invoke(app, ["status", "--tenant", "acme_corp"])
    assert corp.exit_code == EXIT_OK, corp.output
    assert "skipped" not in corp.stdout
