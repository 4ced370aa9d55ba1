"""Write a tenant back as YAML, in the key order of ARCHITECTURE §2."""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from shopsync.tenants.models import Tenant

SCHEMA_COMMENT = "# yaml-language-server: $schema=./tenant.schema.json"
_NO_WRAP = 1 << 30


def _scalar(value: str) -> str:
    """``value`` as a YAML flow scalar, quoted only when YAML needs it."""
    flow = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=_NO_WRAP)
    return flow.strip()[1:-1]


def _flow_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_scalar(v) for v in values) + "]"


def render_tenant_yaml(tenant: Tenant) -> str:
    """The tenant file for ``tenant``: schema comment first, every field spelled out
    (defaults included) so that the file reads the same as the model."""
    lines = [
        SCHEMA_COMMENT,
        f"id: {tenant.id}",
        f"name: {_scalar(tenant.name)}",
        f"shop: {tenant.shop}",
        f"enabled: {'true' if tenant.enabled else 'false'}",
        f"plan: {tenant.plan.value}",
    ]
    if tenant.api_version is not None:
        lines.append(f'api_version: "{tenant.api_version}"')
    lines += [
        "auth:",
        f"  secret: {_scalar(tenant.auth.secret)}",
        f"schedule: {_scalar(tenant.schedule)}",
        f"streams: {_flow_list(tenant.streams)}",
        f"start_date: {tenant.start_date.isoformat()}",
    ]
    if tenant.quicksight.groups:
        lines += ["quicksight:", f"  groups: {_flow_list(tenant.quicksight.groups)}"]
    return "\n".join(lines) + "\n"
