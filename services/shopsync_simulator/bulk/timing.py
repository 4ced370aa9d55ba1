"""How fast a bulk operation produces its results: a documented model, scaled by ``--speed``.

Without it an operation finishes as fast as the simulator's CPU allows, and a benchmark of a
bulk path measures the simulator. Shopify publishes no production rate; what is published
(gathered 2026-12-07):

* start-up: a bulk query of a small store (494 nodes) completed 5.6 s after it was created,
  polling included (gatsby-source-shopify PR #15): :attr:`BulkTiming.startup_seconds` 5 s in
  ``CREATED`` before ``RUNNING``;
* rate: ~10,000 products with their variants took 2-3 hours in 2021 (shopify-api-ruby issue
  #876: ~1 product a second, 10-30 objects a second with its children); Shopify's admin CSV
  order export takes ~4 hours for 400,000 items (help.shopify.com, exporting orders: ~28 a
  second); in June 2026 Shopify announced bulk queries "up to 4X faster" (shopify.dev
  changelog, "Bulk queries now execute faster"): :attr:`BulkTiming.objects_per_second` 100
  objects (JSONL lines) a second per operation;
* concurrency: from 2026-01 five operations may run at once per shop and app ("Split large
  imports and exports into parallel jobs and complete them faster", shopify.dev changelog,
  "Faster bulk operations"); a connector that moved to it found it "quite a bit better… not
  5x" (estuary/connectors PR #3751): :attr:`BulkTiming.shop_objects_per_second` 300, shared
  by the operations running at once (each gets at most its own 100).

Every figure is an option (``shopsync simulator serve --bulk-rate/--bulk-startup``); simulated
seconds are wall seconds divided by ``--speed``, like every delay of the simulator.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BulkTiming:
    #: Simulated seconds an operation stays ``CREATED`` before it runs.
    startup_seconds: float = 5.0
    #: Objects (JSONL lines) a second one operation produces; 0: as fast as it can.
    objects_per_second: float = 100.0
    #: Objects a second the shop produces for all its running operations together.
    shop_objects_per_second: float = 300.0

    def rate(self, running: int) -> float:
        """Objects a simulated second for one of ``running`` operations (0: unpaced)."""
        if self.objects_per_second <= 0:
            return 0.0
        shared = self.shop_objects_per_second / max(running, 1)
        return min(self.objects_per_second, shared) if shared > 0 else self.objects_per_second


#: What Shopify's published figures suggest (the module's sources).
REALISTIC = BulkTiming()
#: As fast as the simulator can: what the tests use unless they time bulk operations.
INSTANT = BulkTiming(startup_seconds=0.0, objects_per_second=0.0, shop_objects_per_second=0.0)
