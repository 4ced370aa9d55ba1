"""The Shopify Admin API simulator: the local Shopify that the demo, tests and benchmarks use.

- :class:`Simulator` / :func:`running_simulator`: the HTTP server over every tenant's shop.
- :class:`Store` (``store.activity``): the deterministic store and the changes made to it.
- :mod:`shopsync.simulator.truth`: the live records per stream (ground truth).
"""

from shopsync.simulator.running import running_simulator
from shopsync.simulator.server import Simulator, SimulatorOptions
from shopsync.simulator.shop import ShopRuntime
from shopsync.simulator.store import ShopSpec, Store, StoreSize
from shopsync.simulator.store.clock import Clock

__all__ = [
    "Clock",
    "ShopRuntime",
    "ShopSpec",
    "Simulator",
    "SimulatorOptions",
    "Store",
    "StoreSize",
    "running_simulator",
]
