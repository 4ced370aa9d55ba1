"""``shopsync tenants ...`` through typer's CliRunner: output, exit codes, files written."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from shopsync.cli import app
from shopsync.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, console, err_console
from shopsync.tenants import load_registry, tenant_json_schema_text
from shopsync.tenants.models import utc_today
from tests.support.tenants import FULL, edit, minimal, write

TOKEN = "shpat_" + "0123456789abcdef" * 2


@pytest.fixture(autouse=True)
def _wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide terminal, so that tables and errors are not folded mid-word."""
    for con in (console, err_console):
        monkeypatch.setattr(con, "_width", 250)


@pytest.fixture
def tenants_dir(tmp_path: Path, example_tenants_dir: Path) -> Path:
    """A copy of the example tenants, free to be written to."""
    directory = tmp_path / "tenants"
    shutil.copytree(example_tenants_dir, directory)
    return directory


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, ["tenants", *args], env=env)


def snapshot(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(directory.iterdir())}


# --- validate ----------------------------------------------------------------------------


def test_validate_ok(tenants_dir: Path) -> None:
    result = run("validate", "--tenants-dir", str(tenants_dir))
    assert result.exit_code == EXIT_OK, result.output
    assert result.stdout.strip() == "3 tenants OK"


def test_validate_reads_the_environment(tenants_dir: Path) -> None:
    result = run("validate", env={"SHOPSYNC_TENANTS_DIR": str(tenants_dir)})
    assert result.exit_code == EXIT_OK, result.output
    assert "3 tenants OK" in result.stdout


def test_validate_lists_every_error_and_exits_1(tenants_dir: Path) -> None:
    write(tenants_dir, "bad_one.yaml", edit("id: acme", "id: Bad-One"))
    write(tenants_dir, "bad_two.yaml", minimal("bad_two", colour="red"))
    result = run("validate", "--tenants-dir", str(tenants_dir))
    assert result.exit_code == EXIT_FAILED
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("tenants/")]
    assert len(errors) == 2
    assert errors[0].startswith("tenants/bad_one.yaml: id: must be lowercase")
    assert errors[1].startswith("tenants/bad_two.yaml: colour: unknown key")
    assert "2 errors in " in result.stderr


def test_validate_never_prints_a_token(tenants_dir: Path) -> None:
    write(tenants_dir, "leaky.yaml", minimal("leaky", access_token=TOKEN))
    result = run("validate", "--tenants-dir", str(tenants_dir))
    assert result.exit_code == EXIT_FAILED
    assert "tenants/leaky.yaml: access_token: looks like a Shopify access token" in result.stderr
    assert TOKEN[6:] not in result.output


def test_validate_missing_directory(tmp_path: Path) -> None:
    result = run("validate", "--tenants-dir", str(tmp_path / "nope"))
    assert result.exit_code == EXIT_FAILED
    assert "tenants directory not found" in result.stderr


# --- list and show -------------------------------------------------------------------------


def test_list_table(tenants_dir: Path) -> None:
    result = run("list", "--tenants-dir", str(tenants_dir))
    assert result.exit_code == EXIT_OK, result.output
    for expected in ("acme_outdoor", "bluebird-books.myshopify.com", "cron(0/15 * * * ? *)"):
        assert expected in result.stdout
    assert "products, inventory, orders" in result.stdout


def test_list_json(tenants_dir: Path) -> None:
    result = run("list", "--json", "--tenants-dir", str(tenants_dir))
    assert result.exit_code == EXIT_OK, result.output
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["acme_outdoor", "bluebird_books", "coral_cosmetics"]
    assert rows[1]["plan"] == "advanced"
    assert rows[1]["streams"] == ["products", "orders", "customers"]
    assert rows[0]["start_date"] == "2024-01-01"


def test_list_with_an_invalid_file_exits_2(tenants_dir: Path) -> None:
    write(tenants_dir, "broken.yaml", "")
    result = run("list", "--tenants-dir", str(tenants_dir))
    assert result.exit_code == EXIT_BAD_INPUT
    assert "tenants/broken.yaml: (file): file is empty" in result.stderr
    assert result.stdout == ""


def test_show_yaml_and_json(tenants_dir: Path) -> None:
    result = run("show", "coral_cosmetics", "--tenants-dir", str(tenants_dir))
    assert result.exit_code == EXIT_OK, result.output
    assert "shop: coral-cosmetics.myshopify.com\n" in result.stdout
    assert "plan: plus\n" in result.stdout
    as_json = run("show", "coral_cosmetics", "--json", "--tenants-dir", str(tenants_dir))
    assert json.loads(as_json.stdout)["quicksight"] == {
        "groups": ["coral-analysts", "coral-finance"]
    }


@pytest.mark.parametrize("tenant_id", ["acme", "acme_outdoor_eu", "coral_cosmetic"])
def test_show_unknown_or_look_alike_id_exits_2(tenants_dir: Path, tenant_id: str) -> None:
    result = run("show", tenant_id, "--tenants-dir", str(tenants_dir))
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"unknown tenant '{tenant_id}'" in result.stderr
    assert result.stdout == ""


def test_show_suggests_close_matches(tenants_dir: Path) -> None:
    result = run("show", "coral_cosmetic", "--tenants-dir", str(tenants_dir))
    assert "did you mean coral_cosmetics?" in result.stderr


# --- add -----------------------------------------------------------------------------------


def test_add_writes_a_file_that_loads_back(tenants_dir: Path) -> None:
    result = run(
        "add",
        "delta_dogs",
        "--shop",
        "delta-dogs.myshopify.com",
        "--plan",
        "enterprise",
        "--schedule",
        "cron(0 2 * * ? *)",
        "--streams",
        "orders,products",
        "--streams",
        "orders",
        "--group",
        "delta-analysts",
        "--group",
        "delta-finance",
        "--start-date",
        "2025-05-01",
        "--disabled",
        "--tenants-dir",
        str(tenants_dir),
    )
    assert result.exit_code == EXIT_OK, result.output
    assert "added tenants/delta_dogs.yaml" in result.stdout
    text = (tenants_dir / "delta_dogs.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./tenant.schema.json\nid: delta_dogs\n")
    tenant = load_registry(tenants_dir).get("delta_dogs")
    assert tenant.name == "Delta Dogs"
    assert tenant.shop == "delta-dogs.myshopify.com"
    assert tenant.plan.value == "enterprise"
    assert tenant.enabled is False
    assert tenant.schedule == "cron(0 2 * * ? *)"
    assert tenant.streams == ("products", "orders")
    assert tenant.quicksight.groups == ("delta-analysts", "delta-finance")
    assert tenant.start_date.isoformat() == "2025-05-01"
    assert tenant.secret_name == "shopsync/tenants/delta_dogs"
    assert [p.name for p in tenants_dir.iterdir() if p.name.startswith(".")] == []


def test_add_defaults(tenants_dir: Path) -> None:
    result = run("add", "eel", "--shop", "eel.myshopify.com", "--tenants-dir", str(tenants_dir))
    assert result.exit_code == EXIT_OK, result.output
    tenant = load_registry(tenants_dir).get("eel")
    assert tenant.schedule == "rate(1 hour)"
    assert tenant.plan.value == "standard"
    assert tenant.enabled is True
    assert tenant.start_date == utc_today()
    assert tenant.streams == ("products", "inventory", "orders", "customers")
    assert tenant.quicksight.groups == ()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ["acme_outdoor", "--shop", "acme-outdoor-2.myshopify.com"],
            "tenants/acme_outdoor.yaml: id: tenant 'acme_outdoor' already exists",
            id="existing id",
        ),
        pytest.param(
            ["acme_two", "--shop", "acme-outdoor.myshopify.com"],
            "duplicate shop acme-outdoor.myshopify.com: tenants/acme_outdoor.yaml",
            id="existing shop",
        ),
        pytest.param(["Bad-Id", "--shop", "bad.myshopify.com"], "ID: must be lowercase", id="id"),
        pytest.param(["../evil", "--shop", "e.myshopify.com"], "ID: an id is", id="path id"),
        pytest.param(["newco", "--shop", "https://newco.myshopify.com"], "--shop: ", id="shop"),
        pytest.param(
            ["newco", "--shop", "n.myshopify.com", "--schedule", "hourly"], "--schedule: "
        ),
        pytest.param(
            ["newco", "--shop", "n.myshopify.com", "--streams", "products,refunds"],
            "--streams: unknown stream 'refunds'",
            id="stream",
        ),
        pytest.param(
            ["newco", "--shop", "n.myshopify.com", "--start-date", "2999-01-01"],
            "--start-date: 2999-01-01 is in the future",
            id="future",
        ),
        pytest.param(
            ["newco", "--shop", "n.myshopify.com", "--start-date", "01/02/2024"],
            "--start-date: expected a date like 2024-01-01",
            id="date format",
        ),
        pytest.param(
            ["newco", "--shop", "n.myshopify.com", "--group", "bad group"], "--group: ", id="group"
        ),
        pytest.param(
            ["newco", "--shop", "n.myshopify.com", "--secret", "has space"], "--secret: ", id="sec"
        ),
        pytest.param(
            ["newco", "--shop", "n.myshopify.com", "--name", f"New {TOKEN}"],
            "tenants/newco.yaml: name: looks like a Shopify access token",
            id="token in the name",
        ),
        pytest.param(["newco", "--shop", "n.myshopify.com", "--plan", "gold"], "gold", id="plan"),
    ],
)
def test_add_refuses_and_writes_nothing(tenants_dir: Path, args: list[str], expected: str) -> None:
    before = snapshot(tenants_dir)
    result = run("add", *args, "--tenants-dir", str(tenants_dir))
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert expected in result.stderr
    assert TOKEN[6:] not in result.output
    assert snapshot(tenants_dir) == before
    assert not (tenants_dir.parent / "evil.yaml").exists()


def test_add_into_an_invalid_registry_is_refused(tenants_dir: Path) -> None:
    write(tenants_dir, "broken.yaml", FULL.replace("rate(1 hour)", "rate(1 fortnight)"))
    before = snapshot(tenants_dir)
    result = run("add", "newco", "--shop", "newco.myshopify.com", "--tenants-dir", str(tenants_dir))
    assert result.exit_code == EXIT_BAD_INPUT
    assert "tenants/broken.yaml: schedule: " in result.stderr
    assert snapshot(tenants_dir) == before


def test_add_to_a_missing_directory_is_refused(tmp_path: Path) -> None:
    result = run(
        "add", "newco", "--shop", "newco.myshopify.com", "--tenants-dir", str(tmp_path / "x")
    )
    assert result.exit_code == EXIT_BAD_INPUT
    assert not (tmp_path / "x").exists()


def test_add_then_show(tenants_dir: Path) -> None:
    start = (utc_today() - timedelta(days=30)).isoformat()
    args = ["--shop", "fig.myshopify.com", "--start-date", start, "--api-version", "2025-10"]
    assert run("add", "fig_tree", *args, "--tenants-dir", str(tenants_dir)).exit_code == EXIT_OK
    shown = run("show", "fig_tree", "--tenants-dir", str(tenants_dir))
    assert shown.stdout == (tenants_dir / "fig_tree.yaml").read_text(encoding="utf-8")
    assert 'api_version: "2025-10"' in shown.stdout


# --- schema --------------------------------------------------------------------------------


def test_schema_prints_the_committed_schema(example_tenants_dir: Path) -> None:
    result = run("schema")
    assert result.exit_code == EXIT_OK
    assert result.stdout == tenant_json_schema_text()
    assert result.stdout == (example_tenants_dir / "tenant.schema.json").read_text(encoding="utf-8")
