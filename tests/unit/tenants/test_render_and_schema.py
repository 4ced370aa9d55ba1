"""Writing tenant files, the committed JSON Schema, and the example tenants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopsync.streams import STREAM_GROUPS
from shopsync.tenantid import TENANT_ID_PATTERN
from shopsync.tenants import (
    Plan,
    Tenant,
    load_registry,
    render_tenant_yaml,
    tenant_json_schema,
    tenant_json_schema_text,
)
from shopsync.tenants.render import SCHEMA_COMMENT
from tests.support.tenants import TODAY, write

SCHEMA_FILE = "tenant.schema.json"


def _round_trip(tmp_path: Path, tenant: Tenant) -> Tenant:
    directory = tmp_path / "tenants"
    write(directory, f"{tenant.id}.yaml", render_tenant_yaml(tenant))
    return load_registry(directory, today=TODAY).get(tenant.id)


def test_examples_round_trip(tmp_path: Path, example_tenants_dir: Path) -> None:
    examples = load_registry(example_tenants_dir)
    for tenant in examples:
        assert _round_trip(tmp_path / tenant.id, tenant) == tenant


def test_unusual_values_round_trip(tmp_path: Path) -> None:
    tenant = Tenant.model_validate(
        {
            "id": "cafe_munoz",
            "name": "Café Muñoz: \"#1\" [shop] & co, 'yes'",
            "shop": "cafe-munoz.myshopify.com",
            "enabled": False,
            "plan": "enterprise",
            "api_version": "2025-01",
            "auth": {"secret": "shopsync/tenants/cafe_munoz+eu=1@x"},
            "schedule": "cron(30 6 ? * MON-FRI *)",
            "streams": ["customers", "orders"],
            "start_date": "2025-02-28",
            "quicksight": {"groups": ["no", "null", "1.5"]},
        },
        context={"today": TODAY},
    )
    assert _round_trip(tmp_path, tenant) == tenant


def test_rendered_key_order_matches_the_architecture(example_tenants_dir: Path) -> None:
    tenant = load_registry(example_tenants_dir).get("bluebird_books")
    lines = render_tenant_yaml(tenant).splitlines()
    assert lines[0] == SCHEMA_COMMENT
    keys = [line.split(":", 1)[0] for line in lines[1:]]
    assert keys == [
        "id",
        "name",
        "shop",
        "enabled",
        "plan",
        "api_version",
        "auth",
        "  secret",
        "schedule",
        "streams",
        "start_date",
        "quicksight",
        "  groups",
    ]


def test_optional_blocks_are_left_out_when_empty(example_tenants_dir: Path) -> None:
    tenant = load_registry(example_tenants_dir).get("acme_outdoor")
    bare = tenant.model_copy(update={"api_version": None, "quicksight": type(tenant.quicksight)()})
    text = render_tenant_yaml(bare)
    assert "api_version" not in text
    assert "quicksight" not in text


def test_committed_schema_matches_the_models(example_tenants_dir: Path) -> None:
    committed = (example_tenants_dir / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == tenant_json_schema_text(), (
        f"tenants/{SCHEMA_FILE} is out of date with the tenant models: run `make schema`"
    )


def test_schema_contents() -> None:
    schema = tenant_json_schema()
    assert schema["title"] == "shopsync tenant"
    assert schema["additionalProperties"] is False
    for definition in ("Auth", "QuickSight"):
        assert schema["$defs"][definition]["additionalProperties"] is False
    props = schema["properties"]
    assert props["id"]["pattern"] == TENANT_ID_PATTERN.pattern
    assert props["streams"]["items"]["enum"] == list(STREAM_GROUPS)
    assert schema["$defs"]["Plan"]["enum"] == [p.value for p in Plan]
    assert set(schema["required"]) == {"id", "name", "shop", "auth", "schedule", "start_date"}
    for name, prop in props.items():
        assert prop.get("description"), f"{name} has no description"
        required = name in schema["required"]
        assert prop["description"].startswith("Required." if required else "Optional."), name


def test_schema_text_is_pretty_json_with_a_trailing_newline() -> None:
    text = tenant_json_schema_text()
    assert text.endswith("}\n")
    assert json.loads(text) == tenant_json_schema()
    assert text.splitlines()[1].startswith('  "')


def test_examples_validate_with_different_plans_and_schedules(example_tenants_dir: Path) -> None:
    registry = load_registry(example_tenants_dir)
    assert registry.ids == ("acme_outdoor", "bluebird_books", "coral_cosmetics")
    assert {t.plan for t in registry} == {Plan.STANDARD, Plan.ADVANCED, Plan.PLUS}
    schedules = {t.schedule.split("(")[0] for t in registry}
    assert schedules == {"rate", "cron"}
    assert len({t.streams for t in registry}) == 3
    assert all(t.quicksight.groups for t in registry)


@pytest.mark.parametrize("name", ["acme_outdoor", "bluebird_books", "coral_cosmetics"])
def test_example_files_start_with_the_schema_comment(example_tenants_dir: Path, name: str) -> None:
    first = (example_tenants_dir / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == SCHEMA_COMMENT
