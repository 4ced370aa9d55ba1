from __future__ import annotations

from collections import Counter

from shopsync.state import RunStatus
from shopsync.streams import DECLARATIONS

from .harness import SMALL, TENANT, Harness

STREAMS = [d.name for d in DECLARATIONS]


def test_first_sync_lands_exactly_the_ground_truth(harness: Harness) -> None:
    result = harness.run()
    assert result.status == "succeeded", result.message
    manifest = harness.manifest(result)
    assert set(manifest.streams) == set(STREAMS)
    for stream in STREAMS:
        rows = harness.landed(result, stream)
        ids = [str(r["id"]) for r in rows]
        assert Counter(ids).most_common(1)[0][1] == 1 if ids else True, f"{stream}: duplicates"
        assert set(ids) == harness.truth_ids(stream), stream
        assert manifest.streams[stream].records == len(rows)
        assert all(r["_shopsync"]["run_id"] == result.run_id for r in rows)
    assert len(harness.landed(result, "products")) == SMALL.products
    state = harness.services.state.get_tenant(TENANT)
    assert state.last_status == RunStatus.SUCCEEDED
    assert state.lease is None
    cursors = harness.services.state.get_streams(TENANT)
    assert cursors["orders"].cursor is not None
