"""The ``shopsync`` command line (ARCHITECTURE §6)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.logging import RichHandler

from shopsync.cli import demo, schedule, simulator, tenants
from shopsync.cli.common import err_console
from shopsync.cli.dashboard import dashboard
from shopsync.cli.load import load
from shopsync.cli.status import status
from shopsync.cli.sync import sync

app = typer.Typer(
    name="shopsync",
    help="Keep a data warehouse in step with many Shopify stores.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _configure(
    log_level: Annotated[
        str,
        typer.Option(
            "--log-level",
            envvar="SHOPSYNC_LOG_LEVEL",
            help="DEBUG, INFO, WARNING or ERROR (logs go to stderr).",
        ),
    ] = "WARNING",
) -> None:
    """Keep a data warehouse in step with many Shopify stores."""
    level = logging.getLevelName(log_level.upper())
    if not isinstance(level, int):
        raise typer.BadParameter(f"unknown log level {log_level!r}", param_hint="--log-level")
    root = logging.getLogger("shopsync")
    if not any(isinstance(h, RichHandler) for h in root.handlers):
        handler = RichHandler(console=err_console, show_path=False, rich_tracebacks=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
        root.addHandler(handler)
    root.setLevel(level)


app.add_typer(tenants.app, name="tenants")
app.add_typer(simulator.app, name="simulator")
app.command("sync")(sync)
schedule.register(app)
app.command("load")(load)
app.command("status")(status)
app.command("demo")(demo.demo)
app.command("dashboard")(dashboard)


def main() -> None:
    app()
