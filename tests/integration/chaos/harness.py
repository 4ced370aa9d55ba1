"""The quick chaos variant ``make test`` runs: one scenario per test file (so the workers
share them), each judged as ``make chaos`` judges it, with every note shown on failure."""

from __future__ import annotations

from pathlib import Path

from shopsync_chaos.__main__ import QUICK, SCENARIOS, cells
from shopsync_chaos.scenarios import Row

SEED = 2026


def run_quick(name: str, root: Path) -> list[Row]:
    """Scenario ``name`` at the quick plan; asserts every row is exact, with its notes."""
    import random

    rows = SCENARIOS[name](root, random.Random(f"{SEED}:{name}"), QUICK)
    report = "\n".join(" | ".join(cells(r)) + "".join(f"\n  {n}" for n in r.notes) for r in rows)
    assert rows, name
    assert all(r.ok for r in rows), report
    assert all(r.tally.expected > 0 and r.tally.loaded == r.tally.expected for r in rows), report
    return rows
