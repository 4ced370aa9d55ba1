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
