"""The HTTP control endpoint, ground truth, and ``shopsync simulator truth``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from typer.testing import CliRunner

from shopsync.cli.simulator import app
from shopsync_simulator import Simulator, StoreSize, running_simulator
from tests.integration.simulator.client import Client


def test_truth_and_dump_over_http(acme: Client, simulator: Simulator) -> None:
    acme.control("delete_product", product=1)
    truth = requests.get(f"{simulator.url}/_simulator/tenants/acme/truth", timeout=10).json()
    assert truth["counts"]["products"] == 29
    assert truth["counts"]["events"] == 1
    dump = requests.get(f"{simulator.url}/_simulator/tenants/acme/dump/orders", timeout=10)
    lines = [json.loads(x) for x in dump.text.splitlines()]
    assert len(lines) == 25
    assert all("lineItems" in x and "_lines" not in x for x in lines)


@pytest.mark.parametrize(
    ("body", "status"),
    [({"action": "nope"}, 400), ({"action": "delete_product", "product": 999}, 404),
     ({"action": "update_product_title"}, 400), ({"action": "advance_clock", "seconds": -5}, 400)],
)  # fmt: skip
def test_control_errors(simulator: Simulator, body: dict[str, object], status: int) -> None:
    resp = requests.post(f"{simulator.url}/_simulator/tenants/acme/activity", json=body, timeout=10)
    assert resp.status_code == status
    assert (
        requests.get(f"{simulator.url}/_simulator/tenants/ghost/truth", timeout=10).status_code
        == 404
    )


def test_random_activity_over_http(acme: Client) -> None:
    done = acme.control("random_activity", steps=30, seed=4)
    assert sum(done.values()) > 0


def test_cli_truth_generated_and_live(example_tenants_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["truth", "--tenant", "acme_outdoor", "--json", "--tenants-dir", str(example_tenants_dir),  # noqa: E501
            "--products", "12", "--orders", "7"]  # fmt: skip
    generated = runner.invoke(app, args)
    assert generated.exit_code == 0, generated.output
    counts = json.loads(generated.output)["counts"]
    assert counts["products"] == 12
    assert counts["orders"] == 7
    assert counts["product_variants"] == 36
    size = StoreSize(products=12, orders=7)
    with running_simulator(tenants_dir=example_tenants_dir, size=size) as sim:
        Client(sim, "acme_outdoor").control("delete_product", product=0)
        live = runner.invoke(app, [*args, "--url", sim.url, "--dump", str(tmp_path / "d")])
        assert live.exit_code == 0, live.output
        assert json.loads(live.output)["counts"]["products"] == 11
        products = (tmp_path / "d" / "products.jsonl").read_text().splitlines()
        assert len(products) == 11
    unknown = runner.invoke(
        app, ["truth", "--tenant", "nope", "--tenants-dir", str(example_tenants_dir)]
    )
    assert unknown.exit_code == 2


def test_cli_activity(simulator: Simulator) -> None:
    runner = CliRunner()
    args = ["activity", "--tenant", "acme", "--url", simulator.url]
    done = runner.invoke(app, [*args, "update_product_title", "product=2", "title=Shiny"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["title"] == "Shiny"
    assert simulator.store("acme").products.get(2)["title"] == "Shiny"  # type: ignore[index]
    bad = runner.invoke(app, [*args, "delete_product", "product=999"])
    assert bad.exit_code == 2
