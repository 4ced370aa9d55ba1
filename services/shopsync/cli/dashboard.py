"""``shopsync dashboard [--port P]``: the local dashboard over the DuckDB warehouse, on
127.0.0.1, with QuickSight's row-level security (``reporting.rls_rules``)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from shopsync.cli.common import EXIT_FAILED, TenantsDirOption, bad_input, console, make_settings
from shopsync.settings import Settings
from shopsync.tenants import Registry, TenantConfigError, load_registry


def print_logins(created: dict[str, str], users_file: str) -> None:
    """The passwords of the users just created: shown this once, stored only hashed."""
    if not created:
        console.print(f"logins: the users in {users_file} (passwords were printed when created)")
        return
    table = Table("user", "password", title="dashboard logins")
    for user, password in created.items():
        table.add_row(user, password)
    console.print(table)
    console.print(f"passwords shown this once, stored hashed; users and groups: {users_file}")


def dashboard(
    port: Annotated[
        int, typer.Option("--port", help="Port on 127.0.0.1.", min=0, max=65535)
    ] = 8050,
    tenants_dir: TenantsDirOption = None,
) -> None:
    """Serve the dashboard on 127.0.0.1 until Ctrl-C."""

    settings = make_settings(tenants_dir, "local")
    try:
        registry = load_registry(settings.tenants_dir)
    except TenantConfigError as exc:
        bad_input("invalid tenant files:\n  " + "\n  ".join(exc.errors))
    serve_dashboard(settings, registry, port, hint="", failed="[red]error:[/red]")


def serve_dashboard(
    settings: Settings, registry: Registry, port: int, *, hint: str, failed: str
) -> None:
    """Create the logins the users file lacks and print them, then serve until Ctrl-C.
    ``hint`` follows the address; ``failed`` starts the message when the port is taken."""
    from shopsync.dashboard.serve import PortInUseError, prepare, serve, users_path
    from shopsync.dashboard.users import UsersFileError

    try:
        app, created = prepare(settings, registry)
    except UsersFileError as exc:
        bad_input(str(exc))
    print_logins(created, str(users_path(settings)))
    console.print(f"dashboard on http://127.0.0.1:{port}/{hint} (Ctrl-C stops it)")
    try:
        serve(app, port)
    except PortInUseError as exc:
        console.print(f"{failed} {exc}")
        raise typer.Exit(EXIT_FAILED) from None
