"""Options and helpers shared by every ``shopsync`` command.

Exit codes (ARCHITECTURE §6): 0 success, 1 a run or check failed, 2 bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from shopsync.settings import Settings, Target

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

console = Console()
err_console = Console(stderr=True)

TenantsDirOption = Annotated[
    Path | None,
    typer.Option(
        "--tenants-dir",
        envvar="SHOPSYNC_TENANTS_DIR",
        help="Directory of tenant YAML files.",
        show_default="tenants/",
    ),
]
TargetOption = Annotated[
    str | None,
    typer.Option("--target", envvar="SHOPSYNC_TARGET", help="local or aws.", show_default="local"),
]


def make_settings(tenants_dir: Path | None = None, target: str | None = None) -> Settings:
    """Settings from explicit options first, then the environment, then defaults."""
    overrides: dict[str, Any] = {}
    if tenants_dir is not None:
        overrides["tenants_dir"] = tenants_dir
    if target is not None:
        if target not in ("local", "aws"):
            bad_input(f"--target: expected 'local' or 'aws', got {target!r}")
        chosen: Target = "aws" if target == "aws" else "local"
        overrides["target"] = chosen
    return Settings(**overrides)


def bad_input(message: str) -> NoReturn:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def failed(message: str) -> NoReturn:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    raise typer.Exit(EXIT_FAILED)
