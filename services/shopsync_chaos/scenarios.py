"""The chaos scenarios. Each builds its own world, tries to break it, lets normal runs recover,
and reports one :class:`Row` per scenario: how many processes ran, how many were killed, the
records the stores hold, the records the warehouse holds exactly, duplicates, losses and the
furthest a cursor got ahead of the data it claims (see :mod:`.audit`).

A scenario never stops at the first problem: what went wrong is listed in the row's ``notes``
and the row fails, so one run of the suite reports every scenario.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shopsync.events import (
    CLOUDTRAIL_PATTERN,
    Batching,
    LocalBus,
    WorkflowRun,
    cloudtrail_object_event,
    load_pattern,
)
from shopsync.state.sqlite import SqliteStateStore
from shopsync.storage import LocalObjectStore
from shopsync.warehouse.specs import MAX_TEXT_BYTES
from shopsync_simulator.faults import PROFILES, profile

from .audit import Tally, compare, manifests, secret_leaks
from .victim import LOAD_POINTS, SYNC_POINTS
from .world import SMALL, Proc, World, world


@dataclass
class Row:
    scenario: str
    runs: int = 0
    kills: int = 0
    tally: Tally = field(default_factory=Tally)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    #: Kills per kill point (for the coverage line under the table).
    points: dict[str, int] = field(default_factory=dict)
    peak_rss_mib: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.tally.exact and not self.notes

    def check(self, world: World, tenants: Sequence[str] | None = None) -> Tally:
        """Compares each tenant with its store; a difference is noted (not raised)."""
        total = Tally()
        for tenant in tenants or world.tenants:
            tally = compare(world, tenant)
            if not tally.exact:
                self.notes.append(
                    f"{tenant}: lost {tally.lost}, duplicates {tally.duplicates}, cursor lead "
                    f"{tally.cursor_lead:.0f}s ({'; '.join(tally.examples)})"
                )
            total += tally
        self.tally.duplicates = max(self.tally.duplicates, total.duplicates)
        self.tally.lost = max(self.tally.lost, total.lost)
        self.tally.cursor_lead = max(self.tally.cursor_lead, total.cursor_lead)
        self.tally.expected, self.tally.loaded = total.expected, total.loaded
        return total

    def ran(self, proc: Proc, *, expect_ok: bool = True, point: str | None = None) -> Proc:
        """Counts a process; a normal one must succeed, a killed one is counted per point."""
        self.runs += 1
        stage = proc.args[0]
        self.peak_rss_mib[stage] = max(self.peak_rss_mib.get(stage, 0.0), proc.peak_rss_mib)
        if proc.killed:
            self.kills += 1
            label = f"{stage}:{point or 'random'}"
            self.points[label] = self.points.get(label, 0) + 1
        elif expect_ok and proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            self.notes.append(f"`shopsync {' '.join(proc.args)}` exited {proc.returncode}: {tail}")
        return proc


def progress(text: str) -> None:
    """A line on stderr while a long scenario runs."""
    print(f"  {text}", file=sys.stderr, flush=True)


@contextmanager
def timed(row: Row) -> Iterator[Row]:
    started = time.monotonic()
    try:
        yield row
    except Exception as exc:  # a scenario that crashes is a failed row, not a lost report
        row.notes.append(f"the scenario itself failed: {type(exc).__name__}: {exc}")
    finally:
        row.seconds = time.monotonic() - started


def wait_for_leases(world: World) -> None:
    """Until every lease a killed run left behind has expired."""
    with SqliteStateStore(world.settings.state_path) as state:
        leases = [state.get_tenant(t).lease for t in world.tenants]
    ends = [lease.expires_at for lease in leases if lease is not None]
    if ends:
        time.sleep(max(0.0, (max(ends) - datetime.now(UTC)).total_seconds()) + 0.2)


def last_sync(world: World) -> dict[str, str | None]:
    """Each tenant's last sync status, as ``shopsync status --json`` shows it."""
    proc = world.shopsync("status", "--json")
    return {
        entry["tenant_id"]: (entry.get("ingestion") or {}).get("status")
        for entry in json.loads(proc.stdout)
    }


# -- fault profiles ----------------------------------------------------------------------------

#: Profiles whose run must fail (and say so); the others must still land everything.
FATAL = {"token-revoked": "Unauthorized", "shop-locked": "Locked"}


def fault_profiles(root: Path, rng: random.Random, names: Sequence[str]) -> list[Row]:
    """One store per profile, each failing its own way, and a calm store beside them: two
    cycles of activity, sync and load under the faults (a full snapshot, so the bulk
    operations fail too, then an incremental run), then the faults stop and one normal cycle
    recovers. Transient faults must leave their store exact while they last; fatal
    ones must fail the store's runs, show in ``shopsync status``, and leave the cursors
    unmoved; the calm store must stay exact throughout."""
    victims = {name: "f_" + name.replace("-", "_") for name in names}
    calm = "calm"
    faults = {tenant: _profile(name) for name, tenant in victims.items()}
    rows = {name: Row(f"faults: {name}") for name in names}
    calm_row = Row("faults: none (beside them)")
    started = time.monotonic()
    every = [*rows.values(), calm_row]
    with world(root, [*victims.values(), calm], faults=faults) as w:
        for cycle in range(2):  # a full snapshot (bulk operations), then changes (pages)
            w.activity(rng)
            w.quiet()
            sync = w.shopsync("sync", "--full") if cycle == 0 else w.sync()
            load = w.load()
            for row in every:
                row.ran(sync, expect_ok=False)  # a failed store fails the command
                row.ran(load)
        seen = last_sync(w)
        for name, tenant in victims.items():
            row = rows[name]
            last = seen.get(tenant)
            if name in FATAL:
                if last != "failed":
                    row.notes.append(f"status shows {last!r} for {tenant}, not failed")
            else:
                if last != "succeeded":
                    row.notes.append(f"a transient fault failed {tenant}: status {last!r}")
                row.check(w, [tenant])
        if seen.get(calm) != "succeeded":
            calm_row.notes.append(f"the calm store's last sync is {seen.get(calm)!r}")
        calm_row.check(w, [calm])
        for name, tenant in victims.items():
            injected = w.sim.by_tenant[tenant].faults.counts
            if not injected:
                rows[name].notes.append("no fault was injected: the row proves nothing")
            rows[name].points = {f"fault {k}": v for k, v in injected.items()}
            w.faults(tenant, "none")
        w.activity(rng)
        w.settle()
        sync, load = w.sync(), w.load()
        for name, tenant in victims.items():
            rows[name].ran(sync)
            rows[name].ran(load)
            rows[name].check(w, [tenant])
        calm_row.ran(sync)
        calm_row.ran(load)
        calm_row.check(w, [calm])
        scan(calm_row, w)
    for row in every:
        row.seconds = time.monotonic() - started
    return [*rows.values(), calm_row]


def _profile(name: str) -> Any:
    if name == "token-revoked":
        return profile(name, revoke_after=15)
    return PROFILES[name]


# -- process kills -----------------------------------------------------------------------------

TENANTS = ("acme", "acme_corp", "store_1")  # look-alike ids on purpose

#: The ``N`` of a named kill point is drawn from ``range(LIMITS[point])``: small enough that
#: most draws are reached by a run of the three small stores.
LIMITS = {
    "response": 20,
    "part": 3,
    "manifest": 3,
    "cursor": 3,
    "after-cursor": 3,
    "bulk-poll": 2,
    "curated": 8,
    "before-transaction": 3,
    "in-transaction": 20,
    "after-commit": 4,
    "reporting": 1,
}


def kills(root: Path, rng: random.Random, target: int) -> Row:
    """Cycles of: store activity; a sync SIGKILLed at a named point or a random moment (every
    third one while the stores keep changing); a normal sync; a load SIGKILLed the same way;
    a normal load; every store compared with the warehouse. Until ``target`` syncs and
    ``target`` loads have really been killed (a draw the run does not reach leaves it alive),
    at most ``3 * target`` cycles."""
    row = Row("process kills (sync and load)")
    sync_points = [*SYNC_POINTS, "random"]
    load_points = [*LOAD_POINTS, "random"]

    def killed(stage: str) -> int:
        return sum(n for p, n in row.points.items() if p.startswith(f"{stage}:"))

    with timed(row), world(root, TENANTS) as w:
        row.ran(w.sync())  # every store's history
        row.ran(w.load())
        cycle = 0
        while min(killed("sync"), killed("load")) < target and cycle < 3 * target:
            w.activity(rng)
            if killed("sync") < target:
                point = sync_points[cycle % len(sync_points)]
                with w.busy(rng) if cycle % 3 == 2 else _nothing():
                    proc = _killed_sync(w, rng, point)
                row.ran(proc, expect_ok=False, point=point)
                wait_for_leases(w)
            w.quiet()  # the last change readable
            row.ran(w.sync())
            if killed("load") < target:
                point = load_points[cycle % len(load_points)]
                row.ran(_killed_load(w, rng, point), expect_ok=False, point=point)
            row.ran(w.load())
            row.check(w)
            cycle += 1
            progress(
                f"kills: cycle {cycle}, {killed('sync')} syncs and {killed('load')} loads killed"
            )
        for stage in ("sync", "load"):
            if killed(stage) < target:
                row.notes.append(f"only {killed(stage)} of {target} {stage} kills happened")
        scan(row, w)
    return row


def _last(w: World, stage: str) -> float:
    """How long the last normal ``stage`` process took (a random kill lands inside one)."""
    done = [p.seconds for p in w.procs if p.args[0] == stage and p.returncode == 0]
    return done[-1] if done else 2.0


def _killed_sync(w: World, rng: random.Random, point: str) -> Proc:
    if point == "random":
        return w.sync(kill_after=rng.uniform(0.2, 0.9) * _last(w, "sync"))
    n = rng.randrange(LIMITS[point])
    if point == "bulk-poll":  # a full snapshot goes through bulk operations
        return w.shopsync("sync", "--full", kill_at=(point, n))
    return w.sync(kill_at=(point, n))


def _killed_load(w: World, rng: random.Random, point: str) -> Proc:
    if point == "random":
        return w.load(kill_after=rng.uniform(0.2, 0.9) * _last(w, "load"))
    return w.load(kill_at=(point, rng.randrange(LIMITS[point])))


@contextmanager
def _nothing() -> Iterator[None]:
    yield


# -- events ------------------------------------------------------------------------------------


@dataclass
class Postman:
    """CloudTrail as an unreliable postman: each event of a new object is dropped, delivered
    three times, or held back to the next round, and each round's deliveries are shuffled."""

    rng: random.Random
    bus: LocalBus
    bucket: str
    seen: set[str] = field(default_factory=set)
    held: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("dropped", "tripled", "delayed", "delivered"), 0)
    )

    def round(self, lake: LocalObjectStore) -> None:
        new = [k for k in lake.list("") if k not in self.seen]
        self.seen.update(new)
        out, self.held = self.held, []
        for key in new:
            event = cloudtrail_object_event(self.bucket, key)
            roll = self.rng.random()
            if roll < 0.2:
                self.counts["dropped"] += 1
            elif roll < 0.4:
                self.counts["tripled"] += 1
                out += [event] * 3
            elif roll < 0.6:
                self.counts["delayed"] += 1
                self.held.append(event)
            else:
                out.append(event)
        self.rng.shuffle(out)
        self.counts["delivered"] += len(out)
        for event in out:
            self.bus.publish(event)
        self.bus.drain()


def events(root: Path, rng: random.Random, cycles: int) -> Row:
    """Syncs whose S3 events reach the load's trigger dropped, tripled, late and out of order
    (a Glue workflow run per batch, each a `shopsync load`); then the safety net (`shopsync
    load --older-than-minutes`) loads what no event announced."""
    row = Row("events: dropped, x3, late, reordered")
    with timed(row), world(root, TENANTS) as w:
        lake = LocalObjectStore(w.settings.lake_path / w.settings.raw_bucket)

        def start(_run: WorkflowRun) -> None:
            row.ran(w.load())

        pattern = load_pattern(CLOUDTRAIL_PATTERN, raw_bucket=w.settings.raw_bucket)
        bus = LocalBus(pattern, start, batching=Batching(size=4, window_seconds=60))
        postman = Postman(rng, bus, w.settings.raw_bucket)
        for _cycle in range(cycles):
            w.activity(rng)
            w.quiet()
            row.ran(w.sync())
            postman.round(lake)
        postman.round(lake)  # the late ones
        row.ran(w.load("--older-than-minutes", "0.01"))
        row.check(w)
        row.points = {f"events {k}": v for k, v in postman.counts.items()}
        if postman.counts["dropped"] == 0:
            row.notes.append("no event was dropped: the safety net was not tried")
        scan(row, w)
    return row


# -- concurrency -------------------------------------------------------------------------------


def _together(*calls: Callable[[], Proc]) -> list[Proc]:
    """The calls at the same moment, each in its own thread; their processes in call order."""
    out: list[Proc | None] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(n: int) -> None:
        barrier.wait()
        out[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [p for p in out if p is not None]


def _overlapping_runs(w: World) -> list[str]:
    """Runs of one store whose [started, finished] overlap, from the manifests."""
    problems = []
    for tenant in w.tenants:
        spans = sorted((m.started_at, m.finished_at, m.run_id) for m in manifests(w, tenant))
        for (_, end, a), (start, _, b) in itertools.pairwise(spans):
            if start < end:
                problems.append(f"{tenant}: runs {a} and {b} overlap")
    return problems


def concurrency(root: Path, rng: random.Random, rounds: int) -> Row:
    """Two schedulers ticking at once, a resync while a sync holds the lease, two loads at
    once: never two runs of one store at a time, never a run loaded twice."""
    row = Row("concurrency: 2 schedulers, resync, 2 loads")
    with timed(row), world(root, TENANTS) as w:
        for _round in range(rounds):
            w.activity(rng)
            for proc in _together(*[lambda: w.shopsync("schedule", "--once")] * 2):
                row.ran(proc, expect_ok=False)
            for proc in _together(w.sync, lambda: w.shopsync("resync", "--tenant", "acme")):
                row.ran(proc, expect_ok=False)  # one of them may find the lease held
            for proc in _together(w.load, w.load):
                row.ran(proc, expect_ok=False)  # one of them may find the warehouse busy
            row.notes += _overlapping_runs(w)
            w.quiet()
        w.settle()
        row.ran(w.sync())
        row.ran(w.load())
        row.check(w)
        scan(row, w)
    return row


# -- soak --------------------------------------------------------------------------------------


def soak(root: Path, rng: random.Random, stores: int, cycles: int) -> Row:
    """``stores`` stores, all synced and loaded together, with activity between the cycles:
    every cycle exact, memory bounded (the peak RSS of each kind of process is reported)."""
    row = Row(f"soak: {stores} stores x {cycles} cycles")
    tenants = [f"soak_{n:02d}" for n in range(stores)]
    with timed(row), world(root, tenants, size=SMALL) as w:
        for cycle in range(cycles):
            row.ran(w.sync())
            row.ran(w.load())
            row.check(w)
            progress(f"soak: cycle {cycle + 1} of {cycles}")
            w.activity(rng)
            w.quiet()
        scan(row, w)
    return row


# -- bad data ----------------------------------------------------------------------------------

#: What the stores hold that the warehouse must survive, as (title, what the warehouse keeps,
#: the columns ``_truncated`` names): text over Redshift's 65,535 bytes with a 4-byte
#: character across the limit, NUL characters, quotes, semicolons and SQL comments.
LIMIT = MAX_TEXT_BYTES
BAD_TITLES: tuple[tuple[str, str | None, str | None], ...] = (
    ("a" * (LIMIT - 1) + "\U0001f600" + "tail", "a" * (LIMIT - 1), "title,_raw"),
    ("nul\x00inside\x00", "nulinside", "title"),
    ("Robert'); DROP TABLE products;-- /* \U0001f3d5\ufe0f */", None, None),
    ('"quoted" \\ back\\slash \u00e9\u00e8', None, None),
)


def bad_data(root: Path, rng: random.Random) -> Row:
    """Product titles Shopify would hand over as they are (see :data:`BAD_TITLES`) and prices
    with many decimals, synced and loaded: every store still loads (none fails), the others are
    untouched, each title is what the warehouse can hold, flagged where it changed."""
    row = Row("bad data: 70 KB text, NUL, SQL in titles")
    with timed(row), world(root, TENANTS) as w:
        row.ran(w.sync())
        row.ran(w.load())
        store = w.sim.store("acme")
        titles = {}
        for n, (title, _kept, _flag) in enumerate(BAD_TITLES):
            titles[store.activity.update_product_title(n, title)["id"]] = n
        store.activity.update_variant_price(0, "19.123456789")
        w.activity(rng, ["acme_corp"])
        w.quiet()
        row.ran(w.sync())
        row.ran(w.load())
        row.check(w)
        found = _titles(w, "acme", list(titles))
        for product, n in titles.items():
            title, kept, flag = BAD_TITLES[n]
            want = (title if kept is None else kept, flag)
            if found.get(product) != want:
                got = found.get(product)
                row.notes.append(f"{product}: {_short(got)} in the warehouse, not {_short(want)}")
        scan(row, w)
    return row


def _titles(w: World, tenant: str, ids: list[str]) -> dict[str, tuple[Any, Any]]:
    import duckdb

    con = duckdb.connect(str(w.settings.warehouse_path), read_only=True)
    try:
        rows = con.execute(
            f"SELECT id, title, _truncated FROM shop_{tenant}.products WHERE id IN "  # noqa: S608
            f"({', '.join('?' for _ in ids)})",
            ids,
        ).fetchall()
    finally:
        con.close()
    return {r[0]: (r[1], r[2]) for r in rows}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 80 else f"{text[:60]}... ({len(text)} chars)"


# -- the secrets -------------------------------------------------------------------------------


def scan(row: Row, w: World) -> None:
    for leak in secret_leaks(w):
        row.notes.append(f"a secret appears in {leak}")
