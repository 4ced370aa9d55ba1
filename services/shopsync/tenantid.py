"""Tenant ids: 3-40 characters, a lowercase letter then lowercase letters, digits or
underscores, e.g. ``acme_outdoor``. An id names S3 prefixes (``tenant=<id>/``) and the
warehouse schema (``shop_<id>``), so whatever takes one checks it here first."""

from __future__ import annotations

import re

TENANT_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{2,39}$")


def is_tenant_id(value: object) -> bool:
    return isinstance(value, str) and TENANT_ID_PATTERN.fullmatch(value) is not None
