"""Test support: one factory per test object, shared by the tests and ``bench/``.

- :mod:`tests.support.paths`: where things are in the repository.
- :mod:`tests.support.tenants`: :class:`~shopsync.tenants.Tenant` objects and tenant files.
- :mod:`tests.support.clients`: a :class:`~shopsync.shopify.ShopifyClient` over any session.
- :mod:`tests.support.simulator`: a running simulator with ingestion services pointed at it.

Conftest fixtures wrap these; tests import from here, never from a ``conftest`` module.
"""
