"""One tenant's shop inside the simulator: its store, buckets, token, bulk operations, faults.

The server (:mod:`shopsync.simulator.server`) builds one per tenant and routes requests to it;
the control endpoint (:mod:`shopsync.simulator.control`) reads and changes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopsync.simulator.bulk.runner import BulkManager
from shopsync.simulator.faults import FaultInjector
from shopsync.simulator.graphql.bucket import LeakyBucket
from shopsync.simulator.graphql.schema import DEFAULT_SCOPES
from shopsync.simulator.store.config import ShopSpec
from shopsync.simulator.store.store import Store


@dataclass
class ShopRuntime:
    spec: ShopSpec
    store: Store
    bucket: LeakyBucket
    token: str
    bulks: BulkManager
    rest_bucket: LeakyBucket
    faults: FaultInjector
    scopes: frozenset[str] = DEFAULT_SCOPES
    requests: int = 0
