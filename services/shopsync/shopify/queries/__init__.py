"""The GraphQL documents shopsync sends, one per ``.graphql`` file (validated by a test)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    """The text of ``<name>.graphql`` in this package."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"invalid query name {name!r}")
    return resources.files(__name__).joinpath(f"{name}.graphql").read_text(encoding="utf-8")


def names() -> list[str]:
    return sorted(
        p.name.removesuffix(".graphql")
        for p in resources.files(__name__).iterdir()
        if p.name.endswith(".graphql")
    )
