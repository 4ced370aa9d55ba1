"""The README's table of streams, their access scopes and tables is the declarations': the
requirements separated by commas, the scopes of an any-of requirement by "or"."""

from __future__ import annotations

import re

from shopsync.extract.streams import SPECS
from shopsync.streams import DECLARATIONS
from shopsync.streams.scopes import options
from tests.support.paths import REPO_ROOT


def _row(name: str) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    declaration = next(d for d in DECLARATIONS if d.name == name)
    tables = tuple(t.name for t in declaration.tables)
    return name, declaration.group, SPECS[name].scopes, tables


def test_the_readme_lists_every_stream_with_its_scopes_and_tables() -> None:
    text = (REPO_ROOT / "README.md").read_text()
    block = text.split("<!-- scopes:start -->", 1)[1].split("<!-- scopes:end -->", 1)[0]
    listed = []
    for line in block.strip().splitlines()[2:]:
        stream, group, scopes, tables = (c.strip() for c in line.strip("|").split("|"))
        listed.append(
            (
                stream.strip("`"),
                group,
                tuple("|".join(re.findall(r"`(\w+)`", r)) for r in scopes.split(", ")),
                tuple(re.findall(r"`(\w+)`", tables)),
            )
        )
    assert listed == [_row(d.name) for d in DECLARATIONS]


def test_the_readme_lists_every_column_that_needs_a_scope_of_its_own() -> None:
    """The columns read from a declaration's scoped fields, with the scope they need."""
    text = (REPO_ROOT / "README.md").read_text()
    block = text.split("<!-- scoped:start -->", 1)[1].split("<!-- scoped:end -->", 1)[0]
    listed = [
        tuple(c.strip() for c in line.strip("|").split("|"))
        for line in block.strip().splitlines()[2:]
    ]
    expected = []
    for declaration in DECLARATIONS:
        for scoped in declaration.scoped:
            top = scoped.fields.split()[0]  # the field added: its columns read it
            columns = [
                f"`{t.name}.{c.name}`"
                for t in declaration.tables
                for c in t.columns
                if c.path[:1] == (top,)
            ]
            scopes = " or ".join(f"`{s}`" for s in options(scoped.requirement))
            expected.append((f"`{declaration.name}`", ", ".join(columns), scopes))
    assert listed == expected
    assert expected
