"""Which shops to simulate: the tenant registry, or a plain list of (tenant_id, shop, plan)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from shopsync.tenants import load_registry
from shopsync_simulator.store.config import PLANS, Plan, ShopSpec, StoreSize

TenantLike = ShopSpec | tuple[str, str] | tuple[str, str, str]


def specs_from_list(items: Iterable[TenantLike], size: StoreSize | None = None) -> list[ShopSpec]:
    size = size or StoreSize()
    specs: list[ShopSpec] = []
    for item in items:
        if isinstance(item, ShopSpec):
            specs.append(item)
            continue
        tenant_id, shop, *rest = item
        specs.append(ShopSpec(tenant_id, shop, _plan(rest[0] if rest else "standard"), size))
    return specs


def _plan(value: Any) -> Plan:
    value = getattr(value, "value", value)
    for plan in PLANS:
        if value == plan:
            return plan
    raise ValueError(f"unknown plan {value!r}; expected one of {', '.join(PLANS)}")


def specs_from_tenants_dir(tenants_dir: Path, size: StoreSize | None = None) -> list[ShopSpec]:
    """Every enabled tenant of the registry in ``tenants_dir`` (raises TenantConfigError)."""
    registry = load_registry(tenants_dir)
    rows = [(t.id, t.shop, _plan(t.plan)) for t in registry.tenants if t.enabled]
    return specs_from_list(rows, size)
