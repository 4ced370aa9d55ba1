"""Tenants: one YAML file per Shopify store, validated into a :class:`Registry`.

>>> registry = load_registry(Path("tenants"))          # doctest: +SKIP
>>> registry.get("acme_outdoor").shop                  # doctest: +SKIP
'acme-outdoor.myshopify.com'
"""

from shopsync.tenants.loader import (
    TenantConfigError,
    check_new_tenant,
    load_registry,
    load_tenants_leniently,
)
from shopsync.tenants.models import Plan, Tenant
from shopsync.tenants.registry import Registry, UnknownTenantError
from shopsync.tenants.render import render_tenant_yaml
from shopsync.tenants.schema import tenant_json_schema, tenant_json_schema_text

__all__ = [
    "Plan",
    "Registry",
    "Tenant",
    "TenantConfigError",
    "UnknownTenantError",
    "check_new_tenant",
    "load_registry",
    "load_tenants_leniently",
    "render_tenant_yaml",
    "tenant_json_schema",
    "tenant_json_schema_text",
]
