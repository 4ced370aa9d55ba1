"""Builds the adapters for a target: the core never asks "am I local?", this module does.

Built objects are cached per settings so a warm Lambda reuses its clients.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

import boto3

from shopsync.fanout.invoker import EntryPoint, Invoker, LambdaInvoker, LocalInvoker
from shopsync.fanout.payload import IngestionPayload
from shopsync.settings import Settings
from shopsync.state import StateStore, make_state_store


@functools.cache
def state_store(settings: Settings) -> StateStore:
    return make_state_store(settings)


@functools.cache
def glue(settings: Settings) -> Any:
    """The Glue client of the deployed stack (the scheduler's safety net starts the load job)."""
    return boto3.client("glue", region_name=settings.region)


def local_entry_point(settings: Settings) -> EntryPoint:
    """Resolve ``settings.local_ingestion_entry`` (``module:function``) and bind ``settings``."""
    module_name, _, attr = settings.local_ingestion_entry.partition(":")
    function = getattr(importlib.import_module(module_name), attr)

    def run(payload: IngestionPayload) -> Any:
        return function(payload, settings=settings)

    return run


def make_invoker(settings: Settings, *, entry_point: EntryPoint | None = None) -> Invoker:
    """Lambda async invoke for ``aws``; a local thread pool running ingestion otherwise."""
    if settings.target == "aws":
        return LambdaInvoker(settings.ingestion_function, region=settings.region)
    return LocalInvoker(
        entry_point or local_entry_point(settings), max_workers=settings.local_workers
    )
