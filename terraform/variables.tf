variable "region" {
  type        = string
  description = "AWS region of the whole stack."
  default     = "eu-west-1"
}

variable "stage" {
  type        = string
  description = "Deployment stage, part of every resource name (e.g. dev, prod)."
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.stage))
    error_message = "stage: 2-16 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "tenants_dir" {
  type        = string
  description = "Directory of tenant YAML files; every tenant's resources are derived from it."
  default     = "../tenants"
}

variable "lambda_package" {
  type        = string
  description = "Path of the Lambda deployment zip built by `make package` (code, dependencies, tenants/)."
  default     = "../dist/lambda.zip"
}

variable "tick_schedule" {
  type        = string
  description = "How often the scheduler function ticks (EventBridge Scheduler expression)."
  default     = "rate(5 minutes)"
}

variable "safety_net_schedule" {
  type        = string
  description = "How often the scheduler loads manifests whose event never came."
  default     = "rate(30 minutes)"
}

variable "log_retention_days" {
  type        = number
  description = "CloudWatch Logs retention of the Lambda log groups."
  default     = 30
}

variable "raw_retention_days" {
  type        = number
  description = "Days raw JSONL parts are kept before expiring (manifests are kept)."
  default     = 90
}

variable "event_source" {
  type        = string
  description = "What tells EventBridge a manifest was written: cloudtrail (data events) or s3_native (the bucket's EventBridge notifications, durable)."
  default     = "cloudtrail"

  validation {
    condition     = contains(["cloudtrail", "s3_native"], var.event_source)
    error_message = "event_source: cloudtrail or s3_native."
  }
}

variable "glue_wheel" {
  type        = string
  description = "Path of the shopsync wheel built by `make package` (dist/shopsync-*.whl)."
  default     = "../dist/shopsync-0.1.0-py3-none-any.whl"
}

variable "load_batch_size" {
  type        = number
  description = "Manifest events Glue batches before a load starts."
  default     = 10
}

variable "load_batch_window_seconds" {
  type        = number
  description = "Longest a batch of manifest events waits before a load starts."
  default     = 120
}

variable "redshift_database" {
  type        = string
  description = "Redshift database of the tenant schemas."
  default     = "shopsync"
}

variable "warehouse_subnet_ids" {
  type        = list(string)
  description = "Private subnets of the Redshift Serverless workgroup."
}

variable "warehouse_security_group_ids" {
  type        = list(string)
  description = "Security groups of the workgroup; QuickSight's VPC connection must reach it."
}

variable "quicksight_vpc_connection_arn" {
  type        = string
  description = "QuickSight VPC connection that reaches the private workgroup."
}

variable "reporting_username" {
  type        = string
  description = "Read-only Redshift user QuickSight connects as; the load job creates it and grants it reporting.* only."
  default     = "shopsync_reporting"
}
