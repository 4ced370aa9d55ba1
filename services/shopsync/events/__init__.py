"""Events: the EventBridge patterns, a matcher, S3 event builders and the local bus."""

from .builders import cloudtrail_object_event, object_key, s3_object_created_event
from .bus import Batching, LocalBus, WorkflowRun
from .eventing_store import EventingObjectStore
from .pattern import (
    CLOUDTRAIL_PATTERN,
    PATTERNS_DIR,
    S3_NATIVE_PATTERN,
    PatternError,
    load_pattern,
    matches,
)
from .safety_net import start_load_job, start_safety_net_load

__all__ = [
    "CLOUDTRAIL_PATTERN",
    "PATTERNS_DIR",
    "S3_NATIVE_PATTERN",
    "Batching",
    "EventingObjectStore",
    "LocalBus",
    "PatternError",
    "WorkflowRun",
    "cloudtrail_object_event",
    "load_pattern",
    "matches",
    "object_key",
    "s3_object_created_event",
    "start_load_job",
    "start_safety_net_load",
]
