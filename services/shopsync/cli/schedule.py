"""``shopsync schedule`` (scheduler ticks) and ``shopsync resync`` (one store, now)."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.table import Table

from shopsync import runtime
from shopsync.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    TargetOption,
    TenantsDirOption,
    bad_input,
    console,
    err_console,
    failed,
    make_settings,
)
from shopsync.schedule.invoker import InvokeError, LocalInvoker, LocalRun
from shopsync.schedule.payload import ResyncRequest
from shopsync.schedule.resync import ResyncRefused, RunInProgress, start_resync
from shopsync.schedule.service import Adapters, tick
from shopsync.schedule.tick import TickSummary
from shopsync.streams import UnknownStreamError, parse_groups
from shopsync.tenants import TenantConfigError, UnknownTenantError, load_registry


def parse_instant(value: str, option: str) -> datetime:
    """ISO 8601; a value without an offset is read as UTC."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        bad_input(
            f"{option}: {value!r} is not an ISO 8601 date or time (e.g. 2026-11-24T10:00:00Z)"
        )
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def schedule(
    once: Annotated[bool, typer.Option("--once", help="Run one tick and exit.")] = False,
    now: Annotated[
        str | None, typer.Option("--now", help="Pretend it is this time (ISO 8601, UTC).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print each tick as JSON.")] = False,
    tenants_dir: TenantsDirOption = None,
    target: TargetOption = None,
) -> None:
    """Start ingestion for every tenant that is due; without --once, tick every minute."""
    settings = make_settings(tenants_dir, target)
    fixed_now = parse_instant(now, "--now") if now else None
    adapters = runtime.for_settings(settings).scheduler()
    try:
        while True:
            summary = tick(settings, adapters, fixed_now)
            runs = _wait_local(adapters)
            _print_tick(summary, runs, as_json)
            if once:
                failures = summary.failed or [r for r in runs if r.future.exception()]
                raise typer.Exit(EXIT_FAILED if failures else EXIT_OK)
            time.sleep(settings.tick_seconds)
    except KeyboardInterrupt:
        err_console.print("stopped")
    finally:
        if isinstance(adapters.invoker, LocalInvoker):
            adapters.invoker.close()


def resync(
    tenant: Annotated[str, typer.Option("--tenant", help="The tenant id to resync.")],
    stream: Annotated[
        list[str] | None,
        typer.Option("--stream", help="A stream group to resync (repeatable); default: all."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only records updated since this date; default: full."),
    ] = None,
    tenants_dir: TenantsDirOption = None,
    target: TargetOption = None,
) -> None:
    """Resync one store now: a full snapshot of its streams, or everything since a date."""
    settings = make_settings(tenants_dir, target)
    try:
        streams = parse_groups(stream) if stream else None
        registry = load_registry(settings.tenants_dir)
    except UnknownStreamError as exc:
        bad_input(f"--stream: {exc}")
    except TenantConfigError as exc:
        bad_input("invalid tenant files:\n  " + "\n  ".join(exc.errors))
    since_value: date | datetime | None = None
    if since:
        since_value = parse_instant(since, "--since")
    request = ResyncRequest(action="resync", tenant_id=tenant, streams=streams, since=since_value)
    adapters = runtime.for_settings(settings).scheduler()
    try:
        payload = start_resync(registry, adapters.state, adapters.invoker, request)
    except (UnknownTenantError, ResyncRefused) as exc:
        bad_input(str(exc))
    except (RunInProgress, InvokeError) as exc:
        failed(str(exc))
    console.print(
        f"resync of [bold]{payload.tenant_id}[/bold] started: run {payload.run_id}, "
        f"streams {', '.join(payload.streams)}, "
        f"{'since ' + payload.since.isoformat() if payload.since else 'full snapshot'}"
        f" ({settings.target})"
    )
    runs = _wait_local(adapters)
    for run in runs:
        error = run.future.exception()
        if error is not None:
            failed(f"tenant {run.payload.tenant_id}: run {run.payload.run_id} failed: {error}")
        console.print(f"run {run.payload.run_id} finished")


def _wait_local(adapters: Adapters) -> list[LocalRun]:
    if isinstance(adapters.invoker, LocalInvoker):
        runs = adapters.invoker.wait()
        adapters.invoker.runs.clear()
        return runs
    return []


def _print_tick(summary: TickSummary, runs: list[LocalRun], as_json: bool) -> None:
    outcome = {r.payload.tenant_id: r.future.exception() for r in runs}
    if as_json:
        document = summary.as_dict()
        document["outcome"] = {t: ("failed: " + str(e)) if e else "ok" for t, e in outcome.items()}
        console.print_json(json.dumps(document))
        return
    table = Table(title=f"scheduler tick at {summary.now.isoformat()}")
    for column in ("tenant", "decision", "detail"):
        table.add_column(column)
    for tenant_id, run_id in summary.invoked.items():
        error = outcome.get(tenant_id)
        detail = f"run {run_id}" + (f" failed: {error}" if error else "")
        table.add_row(tenant_id, "[red]failed[/red]" if error else "[green]invoked[/green]", detail)
    for tenant_id, reason in summary.skipped.items():
        table.add_row(tenant_id, "skipped", reason)
    for tenant_id, problem in summary.failed.items():
        table.add_row(tenant_id, "[red]failed[/red]", problem)
    console.print(table)
    console.print(f"{len(summary.due)} due, {summary.not_due} not due")


def register(app: typer.Typer) -> None:
    """Add the fan-out commands to the top-level app."""
    app.command("schedule")(schedule)
    app.command("resync")(resync)
