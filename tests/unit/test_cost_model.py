"""docs/COST.md shows what docs/cost_model.py computes, and the model behaves as it says."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
from types import ModuleType

from tests.support.paths import REPO_ROOT


def _model() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cost_model", REPO_ROOT / "docs/cost_model.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["cost_model"] = module
    spec.loader.exec_module(module)
    return module


def test_the_document_shows_the_script_s_table() -> None:
    model = _model()
    out = io.StringIO()
    argv, sys.argv = sys.argv, ["cost_model.py"]
    try:
        with contextlib.redirect_stdout(out):
            model.main()
    finally:
        sys.argv = argv
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("USD per month"))
    table = lines[start : lines.index(next(x for x in lines if x.startswith("per store"))) + 1]
    text = (REPO_ROOT / "docs/COST.md").read_text()
    assert "\n".join(table) in text, "docs/COST.md is stale: run docs/cost_model.py"


def test_the_cost_per_store_falls_with_the_fleet_and_every_service_costs_something() -> None:
    model = _model()
    store = model.Store()
    per_store = [sum(model.monthly(n, store).values()) / n for n in (10, 100, 1000)]
    assert per_store[0] > per_store[1] > per_store[2] > 0
    assert all(v > 0 for v in model.monthly(100, store).values())
    busier = model.Store(orders_per_day=1000)
    assert sum(model.monthly(100, busier).values()) > sum(model.monthly(100, store).values())
