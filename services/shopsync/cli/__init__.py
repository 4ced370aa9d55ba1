"""The ``shopsync`` command line (ARCHITECTURE §6)."""

from __future__ import annotations

import typer

from shopsync.cli import fanout, tenants

app = typer.Typer(
    name="shopsync",
    help="Keep a data warehouse in step with many Shopify stores.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(tenants.app, name="tenants")
fanout.register(app)


def main() -> None:
    app()
