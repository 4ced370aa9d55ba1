"""A running simulator on a free loopback port, for the length of a test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from shopsync_simulator import Simulator, SimulatorOptions, StoreSize, running_simulator
from tests.integration.simulator.client import Client

TENANTS = [
    ("acme", "acme.myshopify.com", "standard"),
    ("acme_corp", "acme-corp.myshopify.com", "plus"),  # a look-alike of acme
]
SMALL = StoreSize(products=30, variants_per_product=2, locations=2, customers=20, orders=25)


@pytest.fixture
def start_simulator() -> Callable[..., AbstractContextManager[Simulator]]:
    """``with start_simulator(options=...) as sim:`` for tests that need their own options."""

    def start(**kwargs: Any) -> AbstractContextManager[Simulator]:
        kwargs.setdefault("size", SMALL)
        return running_simulator(kwargs.pop("tenants", TENANTS), **kwargs)

    return start


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    with running_simulator(TENANTS, size=SMALL, options=SimulatorOptions(speed=50)) as sim:
        yield sim


@pytest.fixture
def acme(simulator: Simulator) -> Client:
    return Client(simulator, "acme")
