"""An object store that announces its writes, the way CloudTrail and S3 do on AWS.

Wrap the local raw store with :class:`EventingObjectStore` and every completed write
publishes a CloudTrail-shaped (or native ``Object Created``) event to a :class:`LocalBus`.
The bus, not the store, decides what matters: only the pattern file's keys start a workflow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Literal

from shopsync.storage import ObjectStore, ReadableStream, WritableStream

from .builders import cloudtrail_object_event, s3_object_created_event

Publish = Callable[[Mapping[str, Any]], object]
EventShape = Literal["cloudtrail", "s3"]


class EventingObjectStore:
    """Delegates to ``inner``; after each completed write, publishes one event."""

    def __init__(
        self,
        inner: ObjectStore,
        publish: Publish,
        *,
        bucket: str,
        shape: EventShape = "cloudtrail",
        region: str = "eu-west-1",
    ) -> None:
        self.inner = inner
        self.publish = publish
        self.bucket = bucket
        self.shape = shape
        self.region = region

    def _announce(self, key: str, size: int, multipart: bool) -> None:
        if self.shape == "s3":
            event = s3_object_created_event(
                self.bucket,
                key,
                size=size,
                reason="CompleteMultipartUpload" if multipart else "PutObject",
                region=self.region,
            )
        else:
            event = cloudtrail_object_event(
                self.bucket,
                key,
                event_name="CompleteMultipartUpload" if multipart else "PutObject",
                region=self.region,
            )
        self.publish(event)

    def put_bytes(self, key: str, data: bytes) -> None:
        self.inner.put_bytes(key, data)
        self._announce(key, len(data), multipart=False)

    @contextmanager
    def open_write(self, key: str) -> Iterator[WritableStream]:
        with self.inner.open_write(key) as out:
            yield out
        self._announce(key, 0, multipart=True)

    def get(self, key: str) -> bytes:
        return self.inner.get(key)

    def open_read(self, key: str) -> AbstractContextManager[ReadableStream]:
        return self.inner.open_read(key)

    def list(self, prefix: str = "", *, start_after: str | None = None) -> Iterator[str]:
        return self.inner.list(prefix, start_after=start_after)

    def list_prefixes(self, prefix: str) -> Iterator[str]:
        return self.inner.list_prefixes(prefix)

    def exists(self, key: str) -> bool:
        return self.inner.exists(key)

    def uri(self, key: str) -> str:
        return self.inner.uri(key)
