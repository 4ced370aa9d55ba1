"""``shopsync tenants validate|list|show|add|schema`` (ARCHITECTURE §2, §6).

Exit codes: ``validate`` exits 1 when a file is invalid (the check failed); ``list``, ``show``
and ``add`` exit 2 on invalid tenant files, an unknown id or a bad option (bad input).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from shopsync.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    TenantsDirOption,
    bad_input,
    console,
    err_console,
    make_settings,
)
from shopsync.settings import Settings
from shopsync.tenants import (
    Plan,
    Registry,
    Tenant,
    TenantConfigError,
    UnknownTenantError,
    check_new_tenant,
    load_registry,
    render_tenant_yaml,
    tenant_json_schema_text,
)
from shopsync.tenants.loader import validation_errors
from shopsync.tenants.models import utc_today

app = typer.Typer(help="Validate, list, show and add tenant files.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

#: model field -> the ``tenants add`` argument that sets it, for error messages.
_ADD_OPTIONS = {
    "id": "ID",
    "name": "--name",
    "shop": "--shop",
    "plan": "--plan",
    "api_version": "--api-version",
    "auth.secret": "--secret",
    "schedule": "--schedule",
    "streams": "--streams",
    "start_date": "--start-date",
    "quicksight.groups": "--group",
}


def _print_errors(errors: Iterable[str]) -> None:
    for line in errors:
        err_console.print(line, markup=False, highlight=False, soft_wrap=True)


def _registry_or_exit(settings: Settings) -> Registry:
    try:
        return load_registry(settings.tenants_dir)
    except TenantConfigError as exc:
        _print_errors(exc.errors)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@app.command()
def validate(tenants_dir: TenantsDirOption = None) -> None:
    """Check every tenant file; list every problem at once (exit 1 if any)."""
    settings = make_settings(tenants_dir)
    try:
        registry = load_registry(settings.tenants_dir)
    except TenantConfigError as exc:
        _print_errors(exc.errors)
        err_console.print(
            f"{_plural(len(exc.errors), 'error')} in {settings.tenants_dir}",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(EXIT_FAILED) from None
    console.print(f"{_plural(len(registry), 'tenant')} OK", markup=False, highlight=False)


@app.command("list")
def list_tenants(as_json: JsonOption = False, tenants_dir: TenantsDirOption = None) -> None:
    """List the tenants (id, name, shop, plan, schedule, streams, enabled)."""
    registry = _registry_or_exit(make_settings(tenants_dir))
    if as_json:
        typer.echo(json.dumps([t.model_dump(mode="json") for t in registry], indent=2))
        return
    table = Table()
    for column in ("id", "name", "shop", "plan", "schedule", "streams", "enabled"):
        table.add_column(column, overflow="fold")  # fold, never cut an id or a shop
    for t in registry:
        cells = (t.id, t.name, t.shop, t.plan.value, t.schedule, ", ".join(t.streams))
        table.add_row(*(Text(c) for c in cells), Text("yes" if t.enabled else "no"))
    console.print(table)


@app.command()
def show(
    tenant_id: Annotated[str, typer.Argument(metavar="ID", help="The tenant id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of YAML.")] = False,
    tenants_dir: TenantsDirOption = None,
) -> None:
    """Print one tenant as validated (defaults filled in), as YAML or JSON."""
    registry = _registry_or_exit(make_settings(tenants_dir))
    try:
        tenant = registry.get(tenant_id)
    except UnknownTenantError as exc:
        bad_input(escape(str(exc)))
    if as_json:
        typer.echo(json.dumps(tenant.model_dump(mode="json"), indent=2))
    else:
        typer.echo(render_tenant_yaml(tenant), nl=False)


@app.command()
def add(
    tenant_id: Annotated[
        str, typer.Argument(metavar="ID", help="New tenant id, e.g. acme_outdoor.")
    ],
    shop: Annotated[str, typer.Option("--shop", help="The store's <name>.myshopify.com domain.")],
    name: Annotated[
        str | None, typer.Option("--name", help="Display name; default: from the id.")
    ] = None,
    plan: Annotated[Plan, typer.Option("--plan", help="Shopify plan (pacing hint).")] = (
        Plan.STANDARD
    ),
    schedule: Annotated[
        str, typer.Option("--schedule", help="rate(...) or cron(...), AWS syntax.")
    ] = "rate(1 hour)",
    streams: Annotated[
        list[str] | None,
        typer.Option("--streams", help="Stream groups, comma-separated or repeated; default all."),
    ] = None,
    groups: Annotated[
        list[str] | None, typer.Option("--group", help="QuickSight group (repeatable).")
    ] = None,
    start_date: Annotated[
        str | None, typer.Option("--start-date", help="Backfill floor YYYY-MM-DD; default today.")
    ] = None,
    api_version: Annotated[
        str | None, typer.Option("--api-version", help="Pin a Shopify API version (YYYY-MM).")
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option("--secret", help="Secrets Manager secret NAME; default <prefix><id>."),
    ] = None,
    disabled: Annotated[bool, typer.Option("--disabled", help="Add it paused.")] = False,
    tenants_dir: TenantsDirOption = None,
) -> None:
    """Add tenants/<ID>.yaml after the same checks as validate; writes nothing on error."""
    settings = make_settings(tenants_dir)
    directory = settings.tenants_dir
    _registry_or_exit(settings)  # an invalid registry is reported before anything else
    today = utc_today()
    data: dict[str, Any] = {
        "id": tenant_id,
        "name": name if name is not None else tenant_id.replace("_", " ").title(),
        "shop": shop,
        "enabled": not disabled,
        "plan": plan.value,
        "auth": {"secret": secret if secret is not None else settings.secret_prefix + tenant_id},
        "schedule": schedule,
        "start_date": start_date if start_date is not None else today.isoformat(),
        "quicksight": {"groups": groups or []},
    }
    if api_version is not None:
        data["api_version"] = api_version
    if streams:
        data["streams"] = [s.strip() for item in streams for s in item.split(",") if s.strip()]
    tenant = _validated(data, today)
    file_name = f"{tenant.id}.yaml"  # only built from a validated id
    text = render_tenant_yaml(tenant)
    try:
        check_new_tenant(directory, file_name, text, today=today)
    except TenantConfigError as exc:
        _print_errors(exc.errors)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    _write_new_file(directory / file_name, text)
    console.print(
        f"added {directory.name}/{file_name}; store the shop's credentials in the secret "
        f"{tenant.secret_name!r}",
        markup=False,
        highlight=False,
    )


def _validated(data: dict[str, Any], today: date) -> Tenant:
    try:
        return Tenant.model_validate(data, context={"today": today})
    except ValidationError as exc:
        for where, message in validation_errors(exc):
            option = _ADD_OPTIONS.get(where.split("[", 1)[0], where)
            err_console.print(f"error: {option}: {message}", markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _write_new_file(target: Path, text: str) -> None:
    """Write ``target`` atomically and never over an existing file: a temp file in the same
    directory (not *.yaml, so loaders ignore it), fsynced, then hard-linked into place."""
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, target)
        except FileExistsError:
            bad_input(escape(f"{target} already exists"))
        except OSError:  # no hard links on this filesystem
            if target.exists():
                bad_input(escape(f"{target} already exists"))
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


@app.command()
def schema(tenants_dir: TenantsDirOption = None) -> None:
    """Print the tenant file's JSON Schema (make schema writes tenants/tenant.schema.json)."""
    del tenants_dir  # accepted like every command's; the schema does not depend on it
    typer.echo(tenant_json_schema_text(), nl=False)
