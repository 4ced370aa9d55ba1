"""load_registry: every rejection names its file and field, and all errors come at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopsync.tenants import TenantConfigError, load_registry, load_tenants_leniently
from tests.support.tenants import FULL, TODAY, edit, minimal, write


def errors_for(directory: Path) -> list[str]:
    with pytest.raises(TenantConfigError) as info:
        load_registry(directory, today=TODAY)
    return info.value.errors


@pytest.fixture
def tenants_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "tenants"
    directory.mkdir()
    return directory


def test_the_full_template_and_the_minimal_file_are_valid(tenants_dir: Path) -> None:
    write(tenants_dir, "acme.yaml", FULL)
    write(tenants_dir, "beta.yaml", minimal("beta"))
    registry = load_registry(tenants_dir, today=TODAY)
    assert [t.id for t in registry] == ["acme", "beta"]
    assert registry.get("acme").api_version == "2026-10"
    assert registry.get("beta").streams == ("products", "inventory", "orders", "customers")


def test_unquoted_api_version_and_quoted_dates_are_read_as_meant(tenants_dir: Path) -> None:
    text = edit('api_version: "2026-10"', "api_version: 2026-10")
    write(
        tenants_dir, "acme.yaml", edit("start_date: 2024-01-01", 'start_date: "2024-02-03"', text)
    )
    tenant = load_registry(tenants_dir, today=TODAY).get("acme")
    assert tenant.api_version == "2026-10"
    assert tenant.start_date.isoformat() == "2024-02-03"


def _drop(line: str) -> str:
    return edit(line, "")


LONG_ID = "a" * 41
# (case, file text, expected "<field>: <message fragment>") for tenants/acme.yaml
REJECTIONS = [
    ("missing id", _drop("id: acme"), "id: required field is missing"),
    ("missing name", _drop("name: Acme"), "name: required field is missing"),
    ("missing shop", _drop("shop: acme.myshopify.com"), "shop: required field is missing"),
    ("missing schedule", _drop("schedule: rate(1 hour)"), "schedule: required field is missing"),
    (
        "missing start_date",
        _drop("start_date: 2024-01-01"),
        "start_date: required field is missing",
    ),
    (
        "missing auth",
        _drop("  secret: shopsync/tenants/acme").replace("auth:\n", ""),
        "auth: required field is missing",
    ),
    (
        "missing auth.secret",
        _drop("  secret: shopsync/tenants/acme").replace("auth:\n", "auth: {}\n"),
        "auth.secret: required field is missing",
    ),
    ("unknown key", FULL + "colour: red\n", "colour: unknown key; allowed keys: id, name, shop"),
    (
        "unknown nested key",
        edit("  secret: shopsync/tenants/acme", "  secret: shopsync/tenants/acme\n  region: eu"),
        "auth.region: unknown key; allowed keys: secret",
    ),
    ("id uppercase", edit("id: acme", "id: Acme"), "id: must be lowercase"),
    ("id hyphen", edit("id: acme", "id: ac-me"), "id: an id is 3-40 characters"),
    ("id quote", edit("id: acme", 'id: "ac\'me"'), "id: an id is 3-40 characters"),
    ("id semicolon", edit("id: acme", 'id: "acme;drop"'), "id: an id is 3-40 characters"),
    ("id space", edit("id: acme", 'id: "ac me"'), "id: an id is 3-40 characters"),
    ("id digit first", edit("id: acme", "id: 1acme"), "id: an id is 3-40 characters"),
    ("id newline", edit("id: acme", 'id: "acme\\n"'), "id: an id is 3-40 characters"),
    ("id too long", edit("id: acme", f"id: {LONG_ID}"), "id: too long (41 characters)"),
    ("id too short", edit("id: acme", "id: ab"), "id: too short"),
    ("id not a string", edit("id: acme", "id: no"), "id: expected a string"),
    ("shop scheme", edit("shop: acme.myshopify.com", "shop: https://acme.myshopify.com"), "shop: "),
    ("shop path", edit("shop: acme.myshopify.com", "shop: acme.myshopify.com/admin"), "shop: "),
    ("shop port", edit("shop: acme.myshopify.com", "shop: acme.myshopify.com:443"), "shop: "),
    ("shop domain", edit("shop: acme.myshopify.com", "shop: acme.example.com"), "shop: "),
    ("shop suffix", edit("shop: acme.myshopify.com", "shop: acme.myshopify.com.evil.io"), "shop: "),
    ("shop uppercase", edit("shop: acme.myshopify.com", "shop: Acme.myshopify.com"), "shop: "),
    ("shop underscore", edit("shop: acme.myshopify.com", "shop: ac_me.myshopify.com"), "shop: "),
    ("shop hyphen first", edit("shop: acme.myshopify.com", "shop: -acme.myshopify.com"), "shop: "),
    ("shop bare", edit("shop: acme.myshopify.com", "shop: myshopify.com"), "shop: "),
    ("shop space", edit("shop: acme.myshopify.com", 'shop: "acme.myshopify.com "'), "shop: "),
    (
        "schedule cron fields",
        edit("schedule: rate(1 hour)", "schedule: cron(0 * * * *)"),
        "schedule: cron(...) needs 6 fields",
    ),
    (
        "schedule rate unit",
        edit("schedule: rate(1 hour)", "schedule: rate(1 hours)"),
        "schedule: rate(1 ...) needs the singular unit",
    ),
    ("schedule prose", edit("schedule: rate(1 hour)", "schedule: every hour"), "schedule: "),
    (
        "unknown stream",
        edit("streams: [products, orders]", "streams: [products, orders, refunds]"),
        "streams[2]: unknown stream 'refunds'; expected one of: products, inventory",
    ),
    ("no streams", edit("streams: [products, orders]", "streams: []"), "streams: needs at least"),
    ("streams not a list", edit("streams: [products, orders]", "streams: orders"), "streams: "),
    (
        "start_date in the future",
        edit("start_date: 2024-01-01", "start_date: 2026-01-16"),
        "start_date: 2026-01-16 is in the future (today is 2026-01-15)",
    ),
    (
        "start_date month 13",
        edit("start_date: 2024-01-01", "start_date: 2024-13-01"),
        "start_date: ",
    ),
    ("start_date number", edit("start_date: 2024-01-01", "start_date: 20240101"), "start_date: "),
    (
        "start_date timestamp",
        edit("start_date: 2024-01-01", "start_date: 2024-01-01T10:00:00"),
        "start_date: expected a date like 2024-01-01, not a timestamp",
    ),
    ("plan", edit("plan: standard", "plan: gold"), "plan: expected one of 'standard'"),
    (
        "api_version month",
        edit('api_version: "2026-10"', 'api_version: "2026-11"'),
        "api_version: ",
    ),
    ("api_version number", edit('api_version: "2026-10"', "api_version: 202610"), "api_version: "),
    (
        "secret name charset",
        edit("  secret: shopsync/tenants/acme", "  secret: shopsync tenants acme"),
        "auth.secret: expected a Secrets Manager secret NAME",
    ),
    (
        "secret name too long",
        edit("  secret: shopsync/tenants/acme", "  secret: " + "s" * 513),
        "auth.secret: expected a Secrets Manager secret NAME",
    ),
    ("auth not a mapping", FULL.replace("auth:\n  secret:", "auth:"), "auth: expected a mapping"),
    ("enabled", edit("enabled: true", "enabled: sometimes"), "enabled: expected true or false"),
    ("name blank", edit("name: Acme", "name: '  '"), "name: must not be empty"),
    (
        "quicksight group",
        edit("  groups: [acme-analysts]", "  groups: [acme-analysts, bad group]"),
        "quicksight.groups[1]: expected a QuickSight group name",
    ),
    ("empty file", "", "(file): file is empty"),
    ("comments only", "# nothing here yet\n", "(file): file is empty"),
    ("a list", "- id: acme\n", "(file): expected a mapping of tenant fields, got a YAML list"),
    ("a string", "acme\n", "(file): expected a mapping of tenant fields, got a YAML string"),
    ("two documents", FULL + "---\n" + FULL, "(file): 2 YAML documents"),
    ("YAML syntax", edit("name: Acme", "name: [Acme"), "line 4: invalid YAML: "),
    ("YAML mapping", edit("name: Acme", "name: a: b"), "line 3: invalid YAML: mapping values"),
    (
        "duplicate key",
        FULL + "shop: b.myshopify.com\n",
        "line 15: invalid YAML: duplicate key 'shop'",
    ),
    ("python tag", edit("name: Acme", "name: !!python/object:os.system x"), "line 3: invalid YAML"),
    ("non-string key", FULL + "1: x\n", "1: keys must be strings"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [pytest.param(t, e, id=case) for case, t, e in REJECTIONS]
)
def test_rejections_name_the_file_and_the_field(
    tenants_dir: Path, text: str, expected: str
) -> None:
    write(tenants_dir, "acme.yaml", text)
    errors = errors_for(tenants_dir)
    wanted = f"tenants/acme.yaml: {expected}"
    assert any(e.startswith(wanted) for e in errors), errors


@pytest.mark.parametrize(
    ("text", "n"),
    [
        pytest.param(edit("id: acme", "id: Acme"), 1, id="bad id"),
        pytest.param(edit("schedule: rate(1 hour)", "schedule: rate(0 hours)"), 1, id="schedule"),
        pytest.param(minimal("acme", colour="red", size="xl"), 2, id="two unknown keys"),
    ],
)
def test_one_error_per_problem(tenants_dir: Path, text: str, n: int) -> None:
    write(tenants_dir, "acme.yaml", text)
    assert len(errors_for(tenants_dir)) == n


def test_every_error_in_every_file_is_reported_at_once(tenants_dir: Path) -> None:
    write(tenants_dir, "acme.yaml", edit("plan: standard", "plan: gold"))
    write(tenants_dir, "beta.yaml", minimal("beta", colour="red").replace("rate(1 hour)", "x"))
    write(tenants_dir, "gamma.yaml", "")
    write(tenants_dir, "delta.yaml", minimal("delta"))  # valid: not mentioned
    errors = errors_for(tenants_dir)
    assert errors == [
        "tenants/acme.yaml: plan: expected one of 'standard', 'advanced', 'plus' or 'enterprise'",
        errors[1],
        "tenants/beta.yaml: colour: unknown key; allowed keys: id, name, shop, enabled, plan, "
        "api_version, auth, schedule, streams, start_date, quicksight",
        "tenants/gamma.yaml: (file): file is empty; expected a tenant mapping "
        "(id, name, shop, ...)",
    ]
    assert errors[1].startswith("tenants/beta.yaml: schedule: ")


def test_file_name_must_be_the_id(tenants_dir: Path) -> None:
    write(tenants_dir, "acme_inc.yaml", FULL)
    assert errors_for(tenants_dir) == [
        "tenants/acme_inc.yaml: id: the file must be named after the id: rename it to acme.yaml"
    ]


def test_yml_files_must_be_renamed(tenants_dir: Path) -> None:
    write(tenants_dir, "acme.yml", FULL)
    write(tenants_dir, "beta.YAML", minimal("beta"))
    assert errors_for(tenants_dir) == [
        "tenants/acme.yml: (file): tenant files end in .yaml; rename it to acme.yaml",
        "tenants/beta.YAML: (file): tenant files end in .yaml; rename it to beta.yaml",
    ]


def test_other_files_and_directories_are_ignored(tenants_dir: Path) -> None:
    write(tenants_dir, "acme.yaml", FULL)
    write(tenants_dir, "README.md", "not yaml: [")
    write(tenants_dir, "tenant.schema.json", "{}")
    (tenants_dir / "archive.yaml").mkdir()
    assert load_registry(tenants_dir, today=TODAY).ids == ("acme",)


def test_two_files_with_the_same_id_are_both_named(tenants_dir: Path) -> None:
    write(tenants_dir, "acme.yaml", FULL)
    write(tenants_dir, "acme_copy.yaml", minimal("acme", shop="acme-copy.myshopify.com"))
    errors = errors_for(tenants_dir)
    assert (
        "tenants/acme_copy.yaml: id: duplicate id 'acme': tenants/acme.yaml has the same id"
        in errors
    )


def test_two_files_with_the_same_shop_are_both_named(tenants_dir: Path) -> None:
    write(tenants_dir, "acme.yaml", FULL)
    write(tenants_dir, "acme_eu.yaml", minimal("acme_eu", shop="acme.myshopify.com"))
    assert errors_for(tenants_dir) == [
        "tenants/acme_eu.yaml: shop: duplicate shop acme.myshopify.com: "
        "tenants/acme.yaml syncs the same store"
    ]


def test_look_alike_ids_are_distinct_tenants(tenants_dir: Path) -> None:
    write(tenants_dir, "acme.yaml", minimal("acme"))
    write(tenants_dir, "acme_corp.yaml", minimal("acme_corp"))
    registry = load_registry(tenants_dir, today=TODAY)
    assert registry.ids == ("acme", "acme_corp")
    assert registry.get("acme").shop == "acme.myshopify.com"
    assert registry.get("acme_corp").shop == "acme-corp.myshopify.com"


def test_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TenantConfigError, match="tenants directory not found"):
        load_registry(tmp_path / "nope")


def test_empty_directory_is_an_empty_registry(tenants_dir: Path) -> None:
    assert len(load_registry(tenants_dir)) == 0


def test_display_path_is_relative_to_the_directorys_parent(tmp_path: Path) -> None:
    directory = tmp_path / "deep" / "stores"
    write(directory, "acme.yaml", "")
    with pytest.raises(TenantConfigError) as info:
        load_registry(directory)
    assert info.value.errors[0].startswith("stores/acme.yaml: (file): ")
    assert str(tmp_path) not in str(info.value)


def test_not_utf8(tenants_dir: Path) -> None:
    (tenants_dir / "acme.yaml").write_bytes(b"name: \xff\xfe\n")
    assert errors_for(tenants_dir) == ["tenants/acme.yaml: (file): not UTF-8 text"]


def test_error_str_lists_every_error(tenants_dir: Path) -> None:
    write(tenants_dir, "acme.yaml", "")
    write(tenants_dir, "beta.yaml", "")
    with pytest.raises(TenantConfigError) as info:
        load_registry(tenants_dir)
    text = str(info.value)
    assert text.startswith("2 errors in tenant files:\n")
    assert "tenants/acme.yaml" in text
    assert "tenants/beta.yaml" in text


def test_lenient_load_keeps_the_valid_tenants(tenants_dir: Path) -> None:
    write(tenants_dir, "acme.yaml", FULL)
    write(tenants_dir, "beta.yaml", minimal("beta").replace("rate(1 hour)", "hourly"))
    write(tenants_dir, "gamma.yaml", minimal("gamma", shop="acme.myshopify.com"))
    write(tenants_dir, "delta.yaml", minimal("delta"))
    tenants, errors = load_tenants_leniently(tenants_dir, today=TODAY)
    assert [t.id for t in tenants] == ["acme", "delta"]
    assert sorted(errors) == ["tenants/beta.yaml", "tenants/gamma.yaml"]
    assert errors["tenants/beta.yaml"].startswith("schedule: ")
    assert "duplicate shop" in errors["tenants/gamma.yaml"]


def test_lenient_load_of_a_missing_directory(tmp_path: Path) -> None:
    tenants, errors = load_tenants_leniently(tmp_path / "nope")
    assert tenants == ()
    assert list(errors.values()) == [f"{tmp_path / 'nope'}: tenants directory not found"]
