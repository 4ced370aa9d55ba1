variable "function_name" {
  type        = string
  description = "Lambda function name; also names its role and log group."
}

variable "handler" {
  type        = string
  description = "Python handler, e.g. shopsync.handlers.scheduler.handler."
}

variable "code" {
  type = object({
    bucket  = string
    key     = string
    version = string
  })
  description = "The deployment zip (code, dependencies, tenants/) in the artifacts bucket, at one object version: a new version is a new deployment."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets the function runs in (egress through the NAT gateway)."
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the function's network interfaces."
}

variable "kms_key_arn" {
  type        = string
  description = "Stack KMS key: environment variables, log group and dead-letter queue."
}

variable "policy_json" {
  type        = string
  description = "IAM policy (JSON) with exactly what this function needs beyond logs and traces."
}

variable "environment" {
  type        = map(string)
  description = "Extra environment variables (SHOPSYNC_* resource names)."
  default     = {}
}

variable "timeout_seconds" {
  type        = number
  description = "Function timeout in seconds."
  default     = 60
}

variable "memory_mb" {
  type        = number
  description = "Function memory in MB."
  default     = 512
}

variable "reserved_concurrency" {
  type        = number
  description = "Reserved concurrent executions (-1: unreserved). New accounts, whose concurrency quota is 10, cannot reserve any."
  default     = -1
}

variable "async_retry_attempts" {
  type        = number
  description = "Lambda's own retries of a failed async invoke (0-2)."
  default     = 0
}

variable "async_max_event_age_seconds" {
  type        = number
  description = "Drop an async event that waited longer than this (60-21600)."
  default     = 3600
}

variable "log_retention_days" {
  type        = number
  description = "CloudWatch Logs retention in days."
}
