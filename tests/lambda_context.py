"""A stand-in for the Lambda runtime's context object, for calling handlers in-process."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class LambdaContext:
    remaining_ms: int = 900_000
    function_name: str = "shopsync-ingestion"
    function_version: str = "$LATEST"
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:shopsync-ingestion"
    memory_limit_in_mb: int = 1024
    aws_request_id: str = "req-1"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms
