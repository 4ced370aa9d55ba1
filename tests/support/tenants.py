"""Tenants for tests and benchmarks: :class:`Tenant` objects, tenant files and tenant YAML.

:func:`make_tenant` is the one way a test builds a tenant: every field has a default derived
from the id, and any field can be overridden by keyword. :func:`write_tenant_file` writes the
same tenant to ``<directory>/<id>.yaml``. The hand-written YAML (:data:`FULL`, :func:`minimal`,
:func:`edit`) is for the tests of the tenant file format itself.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from shopsync.tenants import Tenant

#: "today" for every test that validates start_date (passed as the validation context).
TODAY = date(2026, 1, 15)


def tenant_data(tenant_id: str = "acme", **fields: Any) -> dict[str, Any]:
    """A tenant file's content: the required keys derived from ``tenant_id``, then ``fields``.

    The shop is the id with dashes (``acme_corp`` -> ``acme-corp.myshopify.com``), the name
    the id in title case, the secret ``shopsync/tenants/<id>``.
    """
    data: dict[str, Any] = {
        "id": tenant_id,
        "name": tenant_id.replace("_", " ").title(),
        "shop": f"{tenant_id.replace('_', '-')}.myshopify.com",
        "auth": {"secret": f"shopsync/tenants/{tenant_id}"},
        "schedule": "rate(1 hour)",
        "start_date": "2024-01-01",
    }
    return data | fields


def make_tenant(tenant_id: str = "acme", **fields: Any) -> Tenant:
    """A validated tenant (its start_date checked against :data:`TODAY`); see tenant_data."""
    return Tenant.model_validate(tenant_data(tenant_id, **fields), context={"today": TODAY})


def analysts(tenant_id: str) -> dict[str, list[str]]:
    """The ``quicksight`` block granting ``<tenant_id>-analysts``."""
    return {"groups": [f"{tenant_id}-analysts"]}


def write_tenant_file(directory: Path, tenant_id: str = "acme", **fields: Any) -> Path:
    """``<directory>/<tenant_id>.yaml`` for :func:`tenant_data`, granting ``<id>-analysts``."""
    fields.setdefault("quicksight", analysts(tenant_id))
    text = yaml.safe_dump(tenant_data(tenant_id, **fields), sort_keys=False)
    return write(directory, f"{tenant_id}.yaml", text)


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
    """The required keys only, as hand-written YAML (plus ``extra`` top-level lines, verbatim)."""
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
