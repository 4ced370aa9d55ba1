"""The deployed pattern files against built events, and the local bus's Glue batching."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shopsync.events import (
    CLOUDTRAIL_PATTERN,
    PATTERNS_DIR,
    S3_NATIVE_PATTERN,
    Batching,
    EventingObjectStore,
    LocalBus,
    WorkflowRun,
    cloudtrail_object_event,
    load_pattern,
    matches,
    object_key,
    s3_object_created_event,
)
from shopsync.storage import LocalObjectStore

BUCKET = "shopsync-raw"
MANIFEST = "_manifests/tenant=acme/run=20261124T201500Z-1a2b3c4d.json"
PART = (
    "tenant=acme/stream=products/date=2026-11-24/run=20261124T201500Z-1a2b3c4d/part-00000.jsonl.gz"
)


@pytest.fixture
def cloudtrail() -> dict[str, Any]:
    return load_pattern(CLOUDTRAIL_PATTERN, raw_bucket=BUCKET)


@pytest.mark.parametrize("name", ["PutObject", "CompleteMultipartUpload", "CopyObject"])
def test_cloudtrail_pattern_matches_manifest_writes(cloudtrail: dict[str, Any], name: Any) -> None:
    assert matches(cloudtrail, cloudtrail_object_event(BUCKET, MANIFEST, event_name=name))


@pytest.mark.parametrize(
    ("bucket", "key", "error"),
    [
        (BUCKET, PART, None),  # a raw part: not the commit point
        ("other-bucket", MANIFEST, None),
        (BUCKET, "tenant=acme/_manifests/x.json", None),
        (BUCKET, MANIFEST, "AccessDenied"),  # a failed PutObject is logged too
    ],
)
def test_cloudtrail_pattern_ignores_other_objects(
    cloudtrail: dict[str, Any], bucket: str, key: str, error: str | None
) -> None:
    assert not matches(cloudtrail, cloudtrail_object_event(bucket, key, error_code=error))


def test_cloudtrail_pattern_ignores_reads(cloudtrail: dict[str, Any]) -> None:
    event = cloudtrail_object_event(BUCKET, MANIFEST)
    event["detail"]["eventName"] = "GetObject"
    assert not matches(cloudtrail, event)


def test_native_pattern_matches_object_created_only() -> None:
    pattern = load_pattern(S3_NATIVE_PATTERN, raw_bucket=BUCKET)
    assert matches(pattern, s3_object_created_event(BUCKET, MANIFEST))
    assert not matches(pattern, s3_object_created_event(BUCKET, PART))
    assert not matches(pattern, s3_object_created_event("elsewhere", MANIFEST))
    assert not matches(pattern, cloudtrail_object_event(BUCKET, MANIFEST))


def test_pattern_files_are_terraform_templates() -> None:
    for name in (CLOUDTRAIL_PATTERN, S3_NATIVE_PATTERN):
        text = (PATTERNS_DIR / name).read_text()
        assert '"${raw_bucket}"' in text
        json.loads(text)  # valid JSON even before templating


def test_object_key_reads_both_shapes() -> None:
    assert object_key(cloudtrail_object_event(BUCKET, MANIFEST)) == MANIFEST
    assert object_key(s3_object_created_event(BUCKET, MANIFEST)) == MANIFEST
    assert object_key({"detail": {}}) is None


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_batch_starts_when_size_is_reached(cloudtrail: dict[str, Any]) -> None:
    clock = FakeClock()
    started: list[WorkflowRun] = []
    bus = LocalBus(cloudtrail, started.append, batching=Batching(3, 60), clock=clock)
    events = [cloudtrail_object_event(BUCKET, MANIFEST, event_id=f"e{i}") for i in range(7)]
    for event in events:
        bus.publish(event)
    assert [r.event_ids for r in started] == [["e0", "e1", "e2"], ["e3", "e4", "e5"]]
    assert json.loads(started[0].run_properties["aws:eventIds"]) == ["e0", "e1", "e2"]
    assert bus.pending == 1
    assert bus.tick() is None  # window not over
    clock.now += 60
    assert bus.tick() is not None
    assert started[-1].event_ids == ["e6"]
    assert bus.pending == 0


def test_window_counts_from_the_first_event(cloudtrail: dict[str, Any]) -> None:
    clock = FakeClock()
    started: list[WorkflowRun] = []
    bus = LocalBus(cloudtrail, started.append, batching=Batching(100, 10), clock=clock)
    bus.publish(cloudtrail_object_event(BUCKET, MANIFEST, event_id="a"))
    clock.now += 9
    bus.publish(cloudtrail_object_event(BUCKET, MANIFEST, event_id="b"))
    bus.tick()
    assert started == []
    clock.now += 1
    bus.tick()
    assert [r.event_ids for r in started] == [["a", "b"]]


def test_unmatched_events_never_start_the_workflow(cloudtrail: dict[str, Any]) -> None:
    started: list[WorkflowRun] = []
    bus = LocalBus(cloudtrail, started.append, batching=Batching(1, 1), clock=FakeClock())
    assert not bus.publish(cloudtrail_object_event(BUCKET, PART))
    assert bus.drain() is None
    assert started == []
    assert (bus.matched, bus.ignored) == (0, 1)


def test_a_failing_workflow_does_not_break_the_bus(cloudtrail: dict[str, Any]) -> None:
    calls: list[str] = []

    def trigger(run: WorkflowRun) -> None:
        calls.append(run.run_id)
        raise RuntimeError("job failed")

    bus = LocalBus(cloudtrail, trigger, batching=Batching(1, 1), clock=FakeClock())
    bus.publish(cloudtrail_object_event(BUCKET, MANIFEST))
    bus.publish(cloudtrail_object_event(BUCKET, MANIFEST))
    assert len(calls) == 2


def test_background_worker_runs_every_batch_on_close(cloudtrail: dict[str, Any]) -> None:
    started: list[WorkflowRun] = []
    with LocalBus(cloudtrail, started.append, batching=Batching(2, 900)) as bus:
        bus.start()
        for i in range(5):
            bus.publish(cloudtrail_object_event(BUCKET, MANIFEST, event_id=str(i)))
    assert [r.event_ids for r in started] == [["0", "1"], ["2", "3"], ["4"]]


@pytest.mark.parametrize(("size", "window"), [(0, 1), (101, 1), (1, 0), (1, 901)])
def test_batching_limits_are_glues(size: int, window: float) -> None:
    with pytest.raises(ValueError, match="batch"):
        Batching(size, window)


def test_eventing_store_announces_each_completed_write(
    cloudtrail: dict[str, Any], tmp_path: Path
) -> None:
    started: list[WorkflowRun] = []
    bus = LocalBus(cloudtrail, started.append, batching=Batching(1, 1), clock=FakeClock())
    store = EventingObjectStore(LocalObjectStore(tmp_path), bus.publish, bucket=BUCKET)
    with store.open_write(PART) as out:
        out.write(b"x")
    store.put_bytes(MANIFEST, b"{}")
    with pytest.raises(RuntimeError), store.open_write(MANIFEST + ".2") as out:
        raise RuntimeError("aborted write: no object, no event")
    assert [object_key(r.events[0]) for r in started] == [MANIFEST]
    assert (bus.matched, bus.ignored) == (1, 1)
    assert store.get(MANIFEST) == b"{}"
