"""Minimal valid tenant files for tests that need a tenants directory on disk."""

from __future__ import annotations

from pathlib import Path

TENANT_YAML = """\
id: {id}
name: {id}
shop: {shop}.myshopify.com
auth:
  secret: shopsync/tenants/{id}
schedule: rate(1 hour)
start_date: 2024-01-01
quicksight:
  groups: [{id}-analysts]
"""


def write_tenant_file(directory: Path, tenant_id: str) -> Path:
    """``<directory>/<tenant_id>.yaml``; the shop is the id with dashes, its group
    ``<tenant_id>-analysts``."""
    path = directory / f"{tenant_id}.yaml"
    path.write_text(TENANT_YAML.format(id=tenant_id, shop=tenant_id.replace("_", "-")))
    return path
