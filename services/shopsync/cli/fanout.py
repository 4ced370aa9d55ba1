"""``shopsync schedule`` and ``shopsync resync``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the fan-out commands to the top-level app."""
