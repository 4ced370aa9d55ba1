"""``shopsync status [--tenant ID] [--json]``: per tenant, what the warehouse holds."""

from __future__ import annotations

import json
from typing import Annotated

import duckdb
import typer
from rich.table import Table

from shopsync.cli.common import (
    EXIT_FAILED,
    TenantsDirOption,
    bad_input,
    console,
    failed,
    make_settings,
)
from shopsync.tenants import TenantConfigError, UnknownTenantError, load_registry
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse
from shopsync.warehouse.status import TenantStatus, tenant_status


def _render(status: TenantStatus) -> None:
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
    for check in status.failed_checks:
        console.print(
            f"  [red]failed[/red] {check.check} on {check.table} ({check.run_id}): {check.detail}",
            highlight=False,
        )


def status(
    tenant: Annotated[str | None, typer.Option("--tenant", help="Only this tenant.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    tenants_dir: TenantsDirOption = None,
) -> None:
    """Per tenant: last run, cursors, rows per table, freshness, failed checks."""
    settings = make_settings(tenants_dir)
    try:
        registry = load_registry(settings.tenants_dir)
        ids = [registry.get(tenant).id] if tenant is not None else list(registry.ids)
    except (TenantConfigError, UnknownTenantError) as exc:
        bad_input(str(exc))
    warehouse = DuckDBWarehouse(settings.warehouse_path)
    if warehouse.path.exists():
        try:
            with warehouse.connect(read_only=True) as con:
                statuses = tenant_status(con, ids)
        except (duckdb.IOException, duckdb.ConnectionException) as exc:  # held by a load
            failed(f"the warehouse is busy ({warehouse.path}); try again: {exc}")
    else:
        statuses = [TenantStatus(tenant_id=t) for t in ids]
    if as_json:
        print(json.dumps([s.model_dump(mode="json") | {"ok": s.ok} for s in statuses], indent=2))
    else:
        for s in statuses:
            _render(s)
    if not all(s.ok for s in statuses):
        raise typer.Exit(EXIT_FAILED)
