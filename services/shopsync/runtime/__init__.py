"""Builds the adapters of the target: the one place that reads ``settings.target``.

The core (ingestion, the scheduler, the load) takes a state store, a raw store, secrets and an
invoker and never asks where it runs; the handlers and the CLI get them from
:func:`for_settings`. Built runtimes are cached per settings, so a warm Lambda reuses its
clients.
"""

from __future__ import annotations

import functools

from shopsync.settings import Settings, Target

from .aws import AwsRuntime
from .base import (
    LoadStarted,
    Runtime,
    RuntimeSettingsError,
    RuntimeUnavailableError,
)
from .local import LocalRuntime

__all__ = [
    "AwsRuntime",
    "LoadStarted",
    "LocalRuntime",
    "Runtime",
    "RuntimeSettingsError",
    "RuntimeUnavailableError",
    "for_settings",
]

BUILDERS: dict[Target, type[Runtime]] = {"aws": AwsRuntime, "local": LocalRuntime}


@functools.cache
def for_settings(settings: Settings) -> Runtime:
    return BUILDERS[settings.target](settings)
