"""S3 object store: ``put_object`` for small objects, multipart upload for streamed ones."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from shopsync.lake.keys import check_directory_prefix, check_key, check_prefix

from .base import ObjectNotFoundError, ObjectStoreError, ReadableStream, WritableStream

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef

MIN_PART_SIZE = 5 * 1024 * 1024
DEFAULT_PART_SIZE = 8 * 1024 * 1024
_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


def _is_not_found(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) in _NOT_FOUND


class _MultipartWriter:
    """Buffers up to one part; a stream that never fills a part becomes one ``put_object``."""

    def __init__(self, client: S3Client, bucket: str, key: str, part_size: int) -> None:
        self._client, self._bucket, self._key = client, bucket, key
        self._part_size = part_size
        self._buffer = bytearray()
        self._upload_id: str | None = None
        self._parts: list[CompletedPartTypeDef] = []

    def write(self, data: bytes, /) -> int:
        self._buffer += data
        while len(self._buffer) >= self._part_size:
            chunk = bytes(self._buffer[: self._part_size])
            del self._buffer[: self._part_size]
            self._upload(chunk)
        return len(data)

    def flush(self) -> None:
        """Parts are uploaded as they fill; nothing to do until :meth:`commit`."""

    def _upload(self, chunk: bytes) -> None:
        if self._upload_id is None:
            created = self._client.create_multipart_upload(Bucket=self._bucket, Key=self._key)
            self._upload_id = created["UploadId"]
        number = len(self._parts) + 1
        done = self._client.upload_part(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            PartNumber=number,
            Body=chunk,
        )
        self._parts.append({"ETag": done["ETag"], "PartNumber": number})

    def commit(self) -> None:
        if self._upload_id is None:
            self._client.put_object(Bucket=self._bucket, Key=self._key, Body=bytes(self._buffer))
            return
        if self._buffer:
            self._upload(bytes(self._buffer))
            self._buffer.clear()
        self._client.complete_multipart_upload(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            MultipartUpload={"Parts": self._parts},
        )

    def abort(self) -> None:
        if self._upload_id is not None:
            self._client.abort_multipart_upload(
                Bucket=self._bucket, Key=self._key, UploadId=self._upload_id
            )


class S3ObjectStore:
    """One bucket. The boto3 client is created on first use unless one is passed in."""

    def __init__(
        self,
        bucket: str,
        *,
        client: S3Client | None = None,
        region: str | None = None,
        part_size: int = DEFAULT_PART_SIZE,
    ) -> None:
        if part_size < MIN_PART_SIZE:
            raise ValueError(f"part_size must be at least {MIN_PART_SIZE} bytes")
        self.bucket = bucket
        self._client = client
        self._region = region
        self._part_size = part_size

    @property
    def client(self) -> S3Client:
        if self._client is None:
            self._client = boto3.client("s3", region_name=self._region)
        return self._client

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{check_key(key)}"

    def _fail(self, action: str, key: str, exc: Exception) -> ObjectStoreError:
        return ObjectStoreError(f"{action} {self.uri(key)} failed: {exc}")

    def put_bytes(self, key: str, data: bytes) -> None:
        check_key(key)
        try:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data)
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("put", key, exc) from exc

    @contextmanager
    def open_write(self, key: str) -> Iterator[WritableStream]:
        check_key(key)
        writer = _MultipartWriter(self.client, self.bucket, key, self._part_size)
        try:
            yield writer
            writer.commit()
        except BaseException as exc:
            with contextlib.suppress(ClientError, BotoCoreError):  # the first error matters
                writer.abort()
            if isinstance(exc, ClientError | BotoCoreError):
                raise self._fail("upload", key, exc) from exc
            raise

    def _get_object(self, key: str) -> Any:
        check_key(key)
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _is_not_found(exc):
                raise ObjectNotFoundError(key) from None
            raise self._fail("get", key, exc) from exc
        except BotoCoreError as exc:
            raise self._fail("get", key, exc) from exc

    def get(self, key: str) -> bytes:
        body = self._get_object(key)["Body"]
        try:
            data: bytes = body.read()
        finally:
            body.close()
        return data

    @contextmanager
    def open_read(self, key: str) -> Iterator[ReadableStream]:
        body = self._get_object(key)["Body"]
        try:
            yield body
        finally:
            body.close()

    def exists(self, key: str) -> bool:
        check_key(key)
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _is_not_found(exc):
                return False
            raise self._fail("head", key, exc) from exc
        return True

    def list(self, prefix: str = "", *, start_after: str | None = None) -> Iterator[str]:
        check_prefix(prefix)
        paginator = self.client.get_paginator("list_objects_v2")
        pages = (
            paginator.paginate(Bucket=self.bucket, Prefix=prefix)
            if start_after is None
            else paginator.paginate(Bucket=self.bucket, Prefix=prefix, StartAfter=start_after)
        )
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"]

    def list_prefixes(self, prefix: str) -> Iterator[str]:
        check_directory_prefix(prefix)
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix, Delimiter="/"
        )
        for page in pages:
            for item in page.get("CommonPrefixes", []):
                yield item["Prefix"]
