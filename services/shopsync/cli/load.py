"""``shopsync load [--tenant ID]``: run the load job on every pending manifest."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

import typer

from shopsync import runtime
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
from shopsync.runtime import LoadStarted, RuntimeUnavailableError
from shopsync.tenants import TenantConfigError, UnknownTenantError, load_registry


def load(
    tenant: Annotated[
        str | None, typer.Option("--tenant", help="Load only this tenant's pending runs.")
    ] = None,
    older_than_minutes: Annotated[
        float | None,
        typer.Option(
            "--older-than-minutes",
            min=0,
            help="Only manifests that have waited this long (the safety net for lost events).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    tenants_dir: TenantsDirOption = None,
    target: TargetOption = None,
) -> None:
    """Load pending manifests (in _manifests/ but not in the load ledger) into the warehouse."""
    settings = make_settings(tenants_dir, target)
    try:
        registry = load_registry(settings.tenants_dir)
        if tenant is not None:
            registry.get(tenant)
    except (TenantConfigError, UnknownTenantError) as exc:
        bad_input(str(exc))
    older = timedelta(minutes=older_than_minutes) if older_than_minutes else None
    try:
        summary = runtime.for_settings(settings).load(registry, tenant_id=tenant, older_than=older)
    except RuntimeUnavailableError as exc:
        failed(str(exc))
    if isinstance(summary, LoadStarted):  # the deployed job runs on its own
        console.print(
            f"started {summary.job} run {summary.job_run}", highlight=False, soft_wrap=True
        )
        return
    loaded = [r for r in summary.loaded if not r.skipped]
    if as_json:
        console.print_json(
            json.dumps(
                {
                    "loaded": [
                        {"tenant_id": r.tenant_id, "run_id": r.run_id, "rows": dict(r.rows)}
                        for r in loaded
                    ],
                    "failed_checks": [
                        {
                            "tenant_id": c.tenant_id,
                            "table": c.table,
                            "check": c.name,
                            "detail": c.detail,
                        }
                        for c in summary.failed_checks
                    ],
                    "errors": summary.errors,
                }
            )
        )
    else:
        for r in loaded:
            rows = ", ".join(f"{t}={n}" for t, n in r.rows.items())
            console.print(f"loaded {r.tenant_id} {r.run_id}: {rows}", highlight=False)
        if not loaded and not summary.errors:
            console.print("nothing pending", highlight=False)
        for c in summary.failed_checks:
            err_console.print(
                f"check failed: {c.tenant_id} {c.table} {c.name}: {c.detail}", highlight=False
            )
        for error in summary.errors:
            err_console.print(f"load failed: {error}", highlight=False)
    if not summary.ok:
        raise typer.Exit(EXIT_FAILED)
