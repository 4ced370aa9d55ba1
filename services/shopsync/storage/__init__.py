"""Object storage for the raw lake: S3 on AWS, a directory tree locally, the same keys
(:mod:`shopsync.runtime` picks one)."""

from __future__ import annotations

from shopsync.lake.keys import InvalidKeyError

from .base import (
    ObjectNotFoundError,
    ObjectStore,
    ObjectStoreError,
    ReadableStream,
    WritableStream,
)
from .directory import LocalObjectStore
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
]
