"""``shopsync status [--tenant ID] [--json] [--target local|aws]``: per tenant, what the
warehouse holds.

Locally it reads DuckDB (``$SHOPSYNC_HOME/warehouse.duckdb``); with ``--target aws`` it reads
Redshift Serverless through the Data API. Both run the same SQL (:mod:`shopsync.warehouse.status`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import boto3
import typer
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError
from rich.table import Table

from shopsync.cli.common import (
    EXIT_FAILED,
    TargetOption,
    TenantsDirOption,
    bad_input,
    console,
    err_console,
    failed,
    make_settings,
)
from shopsync.settings import Settings, env_name
from shopsync.tenants import TenantConfigError, UnknownTenantError, load_registry
from shopsync.warehouse.base import WarehouseError
from shopsync.warehouse.duckdb_import import duckdb
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse
from shopsync.warehouse.redshift import RedshiftDataApiWarehouse
from shopsync.warehouse.status import TenantStatus, never_loaded, tenant_status

#: What reading Redshift needs; the secret ARN is optional (unset: the caller's IAM identity).
AWS_SETTINGS = ("redshift_workgroup", "redshift_database")
#: A statement still running after this long is cancelled (a paused workgroup resumes well
#: within it).
AWS_TIMEOUT_SECONDS = 300.0


def data_api(settings: Settings) -> Any:
    """The Redshift Data API client of the deployed stack."""
    return boto3.client("redshift-data", region_name=settings.region)


def _render(status: TenantStatus) -> None:
    if not status.loaded and not status.tables:
        verdict = "[yellow]not loaded yet[/yellow]"
    else:
        verdict = "[green]ok[/green]" if status.ok else "[red]FAILED CHECKS[/red]"
    console.print(
        f"[bold]{status.tenant_id}[/bold] {verdict}  last run {status.last_run_id or '-'} "
        f"(loaded {status.last_loaded_at or '-'}, {status.runs_loaded} runs)"
    )
    if status.cursors:
        console.print(
            "  cursors: " + ", ".join(f"{s}={c}" for s, c in status.cursors.items()),
            highlight=False,
        )
    if status.tables:
        table = Table("table", "rows", "deleted", "newest synced", box=None, pad_edge=False)
        for t in status.tables:
            table.add_row(t.table, str(t.rows), str(t.deleted), str(t.newest_synced_at or "-"))
        console.print(table)
        if status.missing_tables:
            console.print("  no table yet: " + ", ".join(status.missing_tables), highlight=False)
    for check in status.failed_checks:
        console.print(
            f"  [red]failed[/red] {check.check} on {check.table} ({check.run_id}): {check.detail}",
            highlight=False,
        )


def _local(settings: Settings, ids: list[str]) -> list[TenantStatus]:
    warehouse = DuckDBWarehouse(settings.warehouse_path)
    if not warehouse.path.exists():
        return [never_loaded(t) for t in ids]
    try:
        with warehouse.connect(read_only=True) as con:
            return tenant_status(con, ids)
    except (duckdb.IOException, duckdb.ConnectionException) as exc:  # held by a load
        failed(f"the warehouse is busy ({warehouse.path}); try again: {exc}")


def _aws(settings: Settings, ids: list[str]) -> list[TenantStatus]:
    missing = settings.missing(*AWS_SETTINGS)
    if missing:
        bad_input(f"--target aws reads Redshift through the Data API: set {', '.join(missing)}")
    where = (
        f"Redshift workgroup {settings.redshift_workgroup}, database {settings.redshift_database}"
    )
    try:
        warehouse = RedshiftDataApiWarehouse(
            database=str(settings.redshift_database),
            workgroup=str(settings.redshift_workgroup),
            secret_arn=settings.redshift_secret_arn or None,
            client=data_api(settings),
            timeout_seconds=AWS_TIMEOUT_SECONDS,
        )
        statuses = tenant_status(warehouse.execute, ids)
    except WarehouseError as exc:
        # The message without the failing statement: the SQL is long and says nothing the
        # error does not.
        reason = str(exc).partition("\n-- failing statement:")[0]
        failed(f"reading status from {where} failed: {reason}")
    except (BotoCoreError, ClientError) as exc:
        failed(f"reading status from {where} failed: {exc}")
    except ValidationError as exc:
        failed(f"reading status from {where}: unexpected result: {exc}")
    if ids and not any(s.loaded for s in statuses):
        # The catalog shows a database user only the tables it may read: a user without
        # SELECT on shopsync_ops and the tenant schemas sees a warehouse that was never loaded.
        err_console.print(
            "note: no tenant has a loaded run in this warehouse. If loads have run, the "
            "Data API's database user may lack SELECT on shopsync_ops and the shop_* schemas "
            f"(check {env_name('redshift_secret_arn')}).",
            highlight=False,
        )
    return statuses


def status(
    tenant: Annotated[str | None, typer.Option("--tenant", help="Only this tenant.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    tenants_dir: TenantsDirOption = None,
    target: TargetOption = None,
) -> None:
    """Per tenant: last run, cursors, rows per table, freshness, failed checks."""
    settings = make_settings(tenants_dir, target)
    try:
        registry = load_registry(settings.tenants_dir)
        ids = [registry.get(tenant).id] if tenant is not None else list(registry.ids)
    except (TenantConfigError, UnknownTenantError) as exc:
        bad_input(str(exc))
    statuses = _aws(settings, ids) if settings.target == "aws" else _local(settings, ids)
    if as_json:
        print(
            json.dumps(
                [s.model_dump(mode="json") | {"ok": s.ok, "loaded": s.loaded} for s in statuses],
                indent=2,
            )
        )
    else:
        for s in statuses:
            _render(s)
    if not all(s.ok for s in statuses):
        raise typer.Exit(EXIT_FAILED)
