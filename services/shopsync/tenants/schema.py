"""The tenant file's JSON Schema, generated from the models (``make schema`` commits it as
``tenants/tenant.schema.json`` for editors and CI)."""

from __future__ import annotations

import json
from typing import Any

from shopsync.tenants.models import Tenant

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def tenant_json_schema() -> dict[str, Any]:
    """JSON Schema of a tenant file: titles, descriptions, patterns, enums, and
    ``additionalProperties: false`` on every object."""
    return {"$schema": JSON_SCHEMA_DIALECT, **Tenant.model_json_schema(mode="validation")}


def tenant_json_schema_text() -> str:
    """The schema as committed: pretty-printed with a trailing newline."""
    return json.dumps(tenant_json_schema(), indent=2, ensure_ascii=False) + "\n"
