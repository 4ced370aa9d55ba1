"""``shopsync status [--tenant ID] [--json] [--target local|aws]``: per tenant, what the
warehouse holds.

Locally it reads DuckDB (``$SHOPSYNC_HOME/warehouse.duckdb``); with ``--target aws`` it reads
Redshift Serverless through the Data API. Both run the same SQL (:mod:`shopsync.warehouse.status`).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
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
from shopsync.lake.manifest import describe_skipped
from shopsync.runtime import RuntimeSettingsError, RuntimeUnavailableError, for_settings
from shopsync.settings import Settings
from shopsync.tenants import TenantConfigError, UnknownTenantError, load_registry
from shopsync.warehouse.status import IngestionStatus, TenantStatus, ingestion_status


def _sync_line(run: IngestionStatus) -> str:
    """``  last sync: <run> (<mode>) <status> at <time>, <n> API points: <error>``."""
    line = f"  last sync: {run.run_id} ({run.mode}) {run.status}"
    if run.finished_at is not None:
        line += f" at {run.finished_at}"
    if run.points is not None:
        line += f", {run.points:,.0f} API points"
    if run.error:
        line += f": {run.error}"
    return line


def _render(status: TenantStatus) -> None:
    run = status.ingestion
    if run is not None and run.failed:
        verdict = "[red]LAST SYNC FAILED[/red]"
    elif not status.loaded and not status.tables:
        verdict = "[yellow]not loaded yet[/yellow]"
    else:
        verdict = "[green]ok[/green]" if status.ok else "[red]FAILED CHECKS[/red]"
    console.print(
        f"[bold]{status.tenant_id}[/bold] {verdict}  last run {status.last_run_id or '-'} "
        f"(loaded {status.last_loaded_at or '-'}, {status.runs_loaded} runs)"
    )
    if run is not None and run.run_id is not None:
        console.print(_sync_line(run), highlight=False)
    if status.cursors:
        console.print(
            "  cursors: " + ", ".join(f"{s}={c}" for s, c in status.cursors.items()),
            highlight=False,
        )
    if status.skipped:
        console.print("  skipped: " + describe_skipped(status.skipped), highlight=False)
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


def _read(settings: Settings, ids: list[str]) -> list[TenantStatus]:
    runtime = for_settings(settings)
    try:
        statuses = runtime.warehouse_status(ids)
    except RuntimeSettingsError as exc:
        bad_input(str(exc))
    except RuntimeUnavailableError as exc:
        failed(str(exc))
    if ids and not any(s.loaded for s in statuses) and runtime.never_loaded_hint:
        err_console.print(f"note: {runtime.never_loaded_hint}", highlight=False)
    try:
        runs = runtime.state.get_tenants(ids)
    except Exception as exc:  # the warehouse's figures are still worth showing
        err_console.print(f"note: the last syncs are unknown ({exc})", highlight=False)
        return statuses
    return [
        s.model_copy(update={"ingestion": ingestion_status(runs.get(s.tenant_id))})
        for s in statuses
    ]


def status(
    tenant: Annotated[str | None, typer.Option("--tenant", help="Only this tenant.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    tenants_dir: TenantsDirOption = None,
    target: TargetOption = None,
) -> None:
    """Per tenant: last sync (and why it failed), last load, cursors, skipped streams, rows
    per table, freshness, failed checks."""
    settings = make_settings(tenants_dir, target)
    try:
        registry = load_registry(settings.tenants_dir)
        ids = [registry.get(tenant).id] if tenant is not None else list(registry.ids)
    except (TenantConfigError, UnknownTenantError) as exc:
        bad_input(str(exc))
    statuses = _read(settings, ids)
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
