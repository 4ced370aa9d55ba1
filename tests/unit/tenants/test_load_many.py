"""1,000 tenant files load into one registry (the time it takes is measured by bench/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopsync.tenants import load_registry
from tests.support.tenants import TODAY, write

SCHEDULES = ("rate(1 hour)", "rate(15 minutes)", "cron(0/15 * * * ? *)", "cron(30 6 ? * MON-FRI *)")


@pytest.mark.slow
def test_loading_1000_tenant_files(tmp_path: Path) -> None:
    directory = tmp_path / "tenants"
    for i in range(1000):
        tenant_id = f"store_{i:05d}"
        write(
            directory,
            f"{tenant_id}.yaml",
            "# yaml-language-server: $schema=./tenant.schema.json\n"
            f"id: {tenant_id}\nname: Store {i}\nshop: store-{i:05d}.myshopify.com\n"
            f"enabled: true\nplan: plus\nauth:\n  secret: shopsync/tenants/{tenant_id}\n"
            f"schedule: {SCHEDULES[i % len(SCHEDULES)]}\n"
            "streams: [products, inventory, orders, customers]\nstart_date: 2024-01-01\n"
            f"quicksight:\n  groups: [store-{i:05d}-analysts]\n",
        )
    registry = load_registry(directory, today=TODAY)
    assert len(registry) == 1000
    assert registry.get("store_00999").shop == "store-00999.myshopify.com"
