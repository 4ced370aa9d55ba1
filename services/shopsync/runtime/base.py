"""What every target provides. The core takes these adapters and never asks where it runs."""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from typing import Any, ClassVar

from shopsync.extract.config import IngestionConfig
from shopsync.extract.service import Services
from shopsync.schedule.invoker import EntryPoint, Invoker
from shopsync.schedule.payload import IngestionPayload
from shopsync.schedule.service import Adapters
from shopsync.settings import Settings, Target
from shopsync.shopify import SecretSource
from shopsync.state import StateStore
from shopsync.storage import ObjectStore
from shopsync.tenants import Registry, load_registry
from shopsync.warehouse.base import JobSummary
from shopsync.warehouse.status import TenantStatus


class RuntimeUnavailableError(RuntimeError):
    """The target cannot do what was asked now (warehouse busy or unreachable, a load already
    running); the message says why."""


class RuntimeSettingsError(ValueError):
    """A setting the target needs is missing; the message names its environment variable."""


@dataclass(frozen=True)
class LoadStarted:
    """A load handed to the deployed job, which runs on its own."""

    job: str
    job_run: str


class Runtime(ABC):
    """The adapters of one target, each built once: a warm Lambda reuses its clients."""

    target: ClassVar[Target]
    #: Without a configured Shopify endpoint, ``shopsync sync`` serves the tenants' shops from
    #: the embedded simulator (a local convenience; a deployed stack always talks to Shopify).
    embeds_simulator: ClassVar[bool] = False
    #: Printed by ``shopsync status`` when no tenant has a loaded run: what else it may mean.
    never_loaded_hint: ClassVar[str | None] = None

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def state(self) -> StateStore:
        return self._state_store()

    @cached_property
    def raw_store(self) -> ObjectStore:
        return self._raw_store()

    @cached_property
    def secrets(self) -> SecretSource:
        return self._secrets(IngestionConfig())

    def services(self) -> Services:
        """What one ingestion run needs; the tenant files are read again for every run, so a
        long-running scheduler sees a store added since it started."""
        return Services(
            state=self.state,
            store=self.raw_store,
            registry=load_registry(self.settings.tenants_dir),
            secrets=self.secrets,
        )

    def tenant_services(self, tenant_id: str, run_id: str) -> Services:
        """What one run of ``tenant_id`` needs, able to reach only that store's data where
        the target can enforce it (AWS: :mod:`.tenant_scope`); here, :meth:`services`."""
        del tenant_id, run_id
        return self.services()

    def entry_point(self) -> EntryPoint:
        """``settings.local_ingestion_entry`` (``module:function``), called with the settings
        and this runtime's services: what the local invoker runs for each payload."""
        module_name, _, attr = self.settings.local_ingestion_entry.partition(":")
        function = getattr(importlib.import_module(module_name), attr)

        def run(payload: IngestionPayload) -> Any:
            return function(payload, settings=self.settings, services=self.services())

        return run

    def scheduler(self) -> Adapters:
        return Adapters(self.state, self.invoker())

    @abstractmethod
    def _state_store(self) -> StateStore: ...

    @abstractmethod
    def _raw_store(self) -> ObjectStore: ...

    @abstractmethod
    def _secrets(self, config: IngestionConfig) -> SecretSource: ...

    @abstractmethod
    def invoker(self, entry_point: EntryPoint | None = None) -> Invoker:
        """Starts ingestion runs without waiting for them."""

    @abstractmethod
    def load(
        self,
        registry: Registry,
        *,
        tenant_id: str | None = None,
        older_than: timedelta | None = None,
    ) -> LoadStarted | JobSummary:
        """Load the pending manifests (of one tenant, or only those waiting ``older_than``):
        started on the deployed job, or run here to the end."""

    @abstractmethod
    def warehouse_status(self, tenant_ids: Sequence[str]) -> list[TenantStatus]:
        """Per tenant, what the warehouse holds (:mod:`shopsync.warehouse.status`)."""
