"""``shopsync sync``: run ingestion for some or all tenants now, with live progress."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Annotated

import typer
from rich.progress import Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from shopsync.cli.common import (
    EXIT_FAILED,
    TargetOption,
    TenantsDirOption,
    bad_input,
    console,
    make_settings,
)
from shopsync.extract.config import IngestionConfig
from shopsync.extract.parallel import SyncRequest, sync_tenants
from shopsync.extract.result import RunResult
from shopsync.runtime import Runtime, for_settings
from shopsync.streams import UnknownStreamError, parse_groups
from shopsync.tenants import Tenant, TenantConfigError, UnknownTenantError, load_registry
from shopsync_simulator import running_simulator


@contextmanager
def shopify_endpoint(runtime: Runtime, tenants: Sequence[Tenant]) -> Iterator[IngestionConfig]:
    """The config to sync with: as configured, or (a runtime that embeds the simulator and no
    ``SHOPSYNC_SHOPIFY_BASE_URL``) pointing at a simulator serving ``tenants`` for the block."""
    config = IngestionConfig()
    if not runtime.embeds_simulator or "shopify_base_url" in config.model_fields_set:
        yield config
        return
    specs = [(t.id, t.shop, t.plan.value) for t in tenants]
    with running_simulator(specs, secrets_path=runtime.settings.secrets_path) as sim:
        yield config.model_copy(update={"shopify_base_url": f"{sim.url}/shops/{{shop}}"})


class _Bars:
    """One bar per tenant and stream (records, pages) plus one per tenant (points, waits)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[tuple[str, str], TaskID] = {}
        self.pages: dict[tuple[str, str], int] = {}
        self.lock = threading.Lock()

    def _task(self, key: tuple[str, str], label: str) -> TaskID:
        if key not in self.tasks:
            self.tasks[key] = self.progress.add_task(label, total=None, stats="")
            self.pages[key] = 0
        return self.tasks[key]

    def __call__(self, tenant: str, stream: str, records: int, stats: Mapping[str, float]) -> None:
        with self.lock:
            key = (tenant, stream)
            task = self._task(key, f"{tenant} {stream}")
            self.pages[key] += 1
            self.progress.update(
                task, advance=records, stats=f"{self.pages[key]} pages", refresh=False
            )
            total = self._task((tenant, ""), f"{tenant} [b]total[/b]")
            self.progress.update(
                total,
                advance=records,
                stats=(
                    f"{stats.get('requests', 0):.0f} req  {stats.get('points', 0):.0f} pts  "
                    f"{stats.get('throttled', 0):.0f} throttled  "
                    f"{stats.get('waited_seconds', 0):.1f}s waited"
                ),
            )


def _summary(results: list[RunResult]) -> Table:
    table = Table(title="sync")
    for column in ("tenant", "status", "stream", "records", "pages", "parts", "snapshot"):
        table.add_column(column)
    for result in results:
        if not result.streams and not result.skipped:
            table.add_row(result.tenant_id, result.status, "", "", "", "", result.message)
        for name, s in result.streams.items():
            table.add_row(
                result.tenant_id,
                result.status,
                name,
                str(s.records),
                str(s.pages),
                str(s.parts),
                "yes" if s.complete_snapshot else "",
            )
        for name, missing in result.skipped.items():
            table.add_row(
                result.tenant_id, result.status, name, f"skipped: missing {', '.join(missing)}"
            )
    return table


def sync(
    tenant: Annotated[
        list[str] | None, typer.Option("--tenant", help="Tenant id (repeatable); default all.")
    ] = None,
    stream: Annotated[
        list[str] | None, typer.Option("--stream", help="Stream group (repeatable).")
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="Full snapshot instead of changes.")] = False,
    tenants_dir: TenantsDirOption = None,
    target: TargetOption = None,
) -> None:
    """Sync tenants now, in parallel. Locally, without SHOPSYNC_SHOPIFY_BASE_URL, the
    embedded simulator serves the tenants' shops."""
    settings = make_settings(tenants_dir, target)
    try:
        registry = load_registry(settings.tenants_dir)
        chosen = [registry.get(t) for t in tenant] if tenant else list(registry.enabled())
        groups = parse_groups(stream) if stream else None
    except (TenantConfigError, UnknownTenantError, UnknownStreamError) as exc:
        bad_input(str(exc))
    request = SyncRequest(chosen, groups, "full" if full else "incremental")
    runtime = for_settings(settings)
    with shopify_endpoint(runtime, chosen) as config:
        services = replace(runtime.services(), config=config)
        columns = (
            *Progress.get_default_columns()[:1],
            TextColumn("{task.completed:>8.0f} records"),
        )
        with Progress(
            *columns, TextColumn("{task.fields[stats]}"), TimeElapsedColumn(), console=console
        ) as progress:
            results = sync_tenants(
                request, settings=settings, services=services, progress=_Bars(progress)
            )
    console.print(_summary(results))
    failures = [r for r in results if r.status == "failed"]
    for r in failures:
        console.print(f"[red]{r.tenant_id}[/red]: {r.message}", highlight=False)
    if failures:
        raise typer.Exit(EXIT_FAILED)
