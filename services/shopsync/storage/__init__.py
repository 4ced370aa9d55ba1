"""Object storage for the raw lake: S3 on AWS, a directory tree locally, the same keys."""

from __future__ import annotations

from shopsync.settings import Settings

from .base import (
    ObjectNotFoundError,
    ObjectStore,
    ObjectStoreError,
    ReadableStream,
    WritableStream,
)
from .directory import LocalObjectStore
from .keys import InvalidKeyError
from .s3 import S3ObjectStore

__all__ = [
    "InvalidKeyError",
    "LocalObjectStore",
    "ObjectNotFoundError",
    "ObjectStore",
    "ObjectStoreError",
    "ReadableStream",
    "S3ObjectStore",
    "WritableStream",
    "make_raw_store",
]


def make_raw_store(settings: Settings) -> ObjectStore:
    """The raw bucket: ``s3://<raw_bucket>`` for ``aws``, ``<home>/lake/<raw_bucket>`` locally."""
    if settings.target == "aws":
        return S3ObjectStore(settings.raw_bucket, region=settings.region)
    return LocalObjectStore(settings.lake_path / settings.raw_bucket)
