"""``shopsync tenants ...`` (filled in by the tenant registry work)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Validate, list, show and add tenant files.", no_args_is_help=True)
