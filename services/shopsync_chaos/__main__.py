"""``python -m shopsync_chaos`` (``make chaos``): every chaos scenario, then one table.

    python -m shopsync_chaos [--quick] [--seed N] [--only NAME ...] [--markdown FILE] [--keep DIR]

``--quick`` is the variant ``make test`` runs (fewer cycles, fewer stores); the full run is
what the README's table shows. Exit status 1 if any scenario lost, duplicated or leaked
anything, or a cursor got ahead of its data.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from shopsync_simulator.faults import PROFILES

from . import scenarios
from .scenarios import Row


@dataclass(frozen=True)
class Plan:
    """How hard each scenario tries."""

    #: SIGKILLed processes per stage (sync, load)
    kills: int
    event_cycles: int
    concurrency_rounds: int
    soak_stores: int
    soak_cycles: int


FULL = Plan(kills=30, event_cycles=6, concurrency_rounds=3, soak_stores=50, soak_cycles=10)
QUICK = Plan(kills=2, event_cycles=2, concurrency_rounds=1, soak_stores=6, soak_cycles=2)
FAULTS = [name for name in PROFILES if name != "none"]

Scenario = Callable[[Path, random.Random, Plan], list[Row]]
SCENARIOS: dict[str, Scenario] = {
    "faults": lambda root, rng, plan: scenarios.fault_profiles(root, rng, FAULTS),
    "kills": lambda root, rng, plan: [scenarios.kills(root, rng, plan.kills)],
    "events": lambda root, rng, plan: [scenarios.events(root, rng, plan.event_cycles)],
    "concurrency": lambda root, rng, plan: [
        scenarios.concurrency(root, rng, plan.concurrency_rounds)
    ],
    "soak": lambda root, rng, plan: [scenarios.soak(root, rng, plan.soak_stores, plan.soak_cycles)],
    "bad-data": lambda root, rng, plan: [scenarios.bad_data(root, rng)],
}
COLUMNS = (
    "scenario",
    "runs",
    "kills",
    "records expected",
    "records loaded",
    "duplicates",
    "lost",
    "max cursor lead",
    "seconds",
    "result",
)


def run(
    root: Path, *, plan: Plan, seed: int, only: list[str] | None = None, log: Console | None = None
) -> list[Row]:
    """Runs the scenarios (each in its own directory under ``root``), in order."""
    rows: list[Row] = []
    for name, scenario in SCENARIOS.items():
        if only and name not in only:
            continue
        started = time.monotonic()
        if log is not None:
            log.print(f"[bold]{name}[/bold] ...")
        rng = random.Random(f"{seed}:{name}")
        found = scenario(root / name, rng, plan)
        rows += found
        if log is not None:
            bad = [r.scenario for r in found if not r.ok]
            verdict = f"[red]failed: {', '.join(bad)}[/red]" if bad else "[green]ok[/green]"
            log.print(f"  {name}: {verdict} ({time.monotonic() - started:.0f}s)")
    return rows


def cells(row: Row) -> list[str]:
    lead = row.tally.cursor_lead
    return [
        row.scenario,
        str(row.runs),
        str(row.kills),
        f"{row.tally.expected:,}",
        f"{row.tally.loaded:,}",
        str(row.tally.duplicates),
        str(row.tally.lost),
        "none" if lead <= 0 else f"{lead:.0f}s",
        f"{row.seconds:.0f}",
        "ok" if row.ok else "FAILED",
    ]


def markdown(rows: list[Row], *, plan: Plan, seed: int, seconds: float) -> str:
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
        *("| " + " | ".join(cells(r)) + " |" for r in rows),
        "",
        f"Seed {seed}; {seconds / 60:.1f} minutes on this machine. " + coverage(rows),
    ]
    return "\n".join(lines) + "\n"


def coverage(rows: list[Row]) -> str:
    points: dict[str, int] = {}
    for row in rows:
        for point, n in row.points.items():
            points[point] = points.get(point, 0) + n
    memory = {
        f"{stage} {mib:.0f} MiB"
        for row in rows
        if row.scenario.startswith("soak")
        for stage, mib in row.peak_rss_mib.items()
    }
    text = "Faults, kills and events: "
    text += ", ".join(f"{p} {n}" for p, n in sorted(points.items())) + "."
    if memory:
        text += " Peak RSS per process (soak, with its Spark JVM): " + ", ".join(sorted(memory))
        text += "."
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the short variant make test runs")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", action="append", choices=list(SCENARIOS))
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    console = Console(stderr=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="shopsync-chaos-") as tmp:
        root = args.keep or Path(tmp)
        rows = run(root, plan=plan, seed=args.seed, only=args.only, log=console)
    seconds = time.monotonic() - started
    table = Table(title=f"shopsync chaos ({'quick' if args.quick else 'full'}, seed {args.seed})")
    for column in COLUMNS:
        table.add_column(column, justify="left" if column == "scenario" else "right")
    for row in rows:
        table.add_row(*cells(row))
    out = Console(width=max(Console().width, 150))
    out.print(table)
    out.print(coverage(rows))
    for row in rows:
        for note in row.notes:
            out.print(f"[red]{row.scenario}[/red]: {note}")
    if args.markdown:
        args.markdown.write_text(markdown(rows, plan=plan, seed=args.seed, seconds=seconds))
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
