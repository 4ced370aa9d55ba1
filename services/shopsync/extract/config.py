"""Ingestion tuning, read from ``SHOPSYNC_*`` when built (never at import time)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class IngestionConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOPSYNC_", frozen=True, extra="ignore")

    shopify_base_url: str = Field(
        default="https://{shop}",
        description="Base URL template; the simulator's is http://127.0.0.1:<port>/shops/{shop}",
    )
    shopify_connect_timeout: float = Field(default=5.0, gt=0)
    shopify_read_timeout: float = Field(default=60.0, gt=0)
    shopify_max_attempts: int = Field(default=8, ge=1)
    shopify_max_retry_seconds: float = Field(default=300.0, gt=0)
    secret_cache_seconds: int = Field(default=300, ge=0, description="Secrets Manager cache age")

    ingest_concurrency: int = Field(default=4, ge=1, le=32, description="fetches per store")
    ingest_overlap_seconds: int = Field(default=300, ge=0, description="re-read before cursor")
    ingest_lag_seconds: int = Field(default=60, ge=0, description="search index lag allowance")
    ingest_part_max_lines: int = Field(default=50_000, ge=1)
    ingest_part_max_bytes: int = Field(default=128 * 1024 * 1024, ge=1024)
    ingest_slices: int = Field(
        default=4, ge=1, le=16, description="time slices of one long window fetched at once"
    )
    ingest_slice_min_hours: float = Field(
        default=24.0, gt=0, description="windows shorter than this are not sliced"
    )
    ingest_page_size: int = Field(default=250, ge=1, le=250, description="cap on page sizes")

    bulk_enabled: bool = Field(default=True, description="full/resync of large windows in bulk")
    bulk_threshold_days: int = Field(
        default=30, ge=0, description="a resync window at least this long goes through bulk"
    )
    bulk_poll_seconds: float = Field(default=1.0, gt=0, description="first poll interval")
    bulk_max_poll_seconds: float = Field(
        default=3600.0, gt=0, description="a bulk operation running longer is cancelled"
    )
