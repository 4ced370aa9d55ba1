"""Hand-written tenant YAML for the tenant and CLI tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

#: "today" for every test that validates start_date (passed as the validation context).
TODAY = date(2026, 1, 15)

#: A tenant file that uses every key; tests derive broken variants with :func:`edit`.
FULL = """\
# yaml-language-server: $schema=./tenant.schema.json
id: acme
name: Acme
shop: acme.myshopify.com
enabled: true
plan: standard
api_version: "2026-10"
auth:
  secret: shopsync/tenants/acme
schedule: rate(1 hour)
streams: [products, orders]
start_date: 2024-01-01
quicksight:
  groups: [acme-analysts]
"""


def minimal(tenant_id: str = "acme", shop: str | None = None, **extra: str) -> str:
    """The required keys only (plus ``extra`` top-level lines, written verbatim)."""
    lines = [
        f"id: {tenant_id}",
        f"name: {tenant_id.title()}",
        f"shop: {shop or tenant_id.replace('_', '-') + '.myshopify.com'}",
        "auth:",
        f"  secret: shopsync/tenants/{tenant_id}",
        "schedule: rate(1 hour)",
        "start_date: 2024-01-01",
        *(f"{key}: {value}" for key, value in extra.items()),
    ]
    return "\n".join(lines) + "\n"


def edit(old: str, new: str, text: str = FULL) -> str:
    """``text`` with the one line ``old`` replaced by ``new`` ("" drops the line)."""
    lines = text.splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.rstrip("\n") == old]
    assert len(hits) == 1, f"{old!r} is not exactly one line of the template"
    lines[hits[0]] = f"{new}\n" if new else ""
    return "".join(lines)


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
