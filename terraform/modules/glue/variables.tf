variable "name" {
  type        = string
  description = "Name prefix of the workflow, trigger, crawler, job and role."
}

variable "artifacts_bucket" {
  type        = string
  description = "Bucket that holds the job script and the shopsync wheel."
}

variable "script_key" {
  type        = string
  description = "Key of the Glue entry script (glue/jobs/shopsync_load.py) in the artifacts bucket, uploaded by the deploy workflow."
}

variable "wheel_key" {
  type        = string
  description = "Key of the shopsync wheel (make package builds it) in the artifacts bucket, next to the script."
}

variable "kms_key_arn" {
  type        = string
  description = "Stack KMS key: Glue's security configuration (logs, bookmarks, S3 output) and the buckets the job reads and writes."
}

variable "raw_bucket_name" {
  type        = string
  description = "Raw landing bucket name."
}

variable "raw_bucket_arn" {
  type        = string
  description = "Raw landing bucket ARN."
}

variable "curated_bucket_name" {
  type        = string
  description = "Curated Parquet bucket name."
}

variable "curated_bucket_arn" {
  type        = string
  description = "Curated Parquet bucket ARN."
}

variable "warehouse" {
  type = object({
    workgroup_name   = string
    workgroup_arn    = string
    database         = string
    copy_role_arn    = string
    admin_secret_arn = string
  })
  description = "The Redshift Serverless workgroup the job loads (its ARN scopes the Data API permissions), the COPY role and the admin secret; null only where the stack has no warehouse (enable_redshift = false)."
  default     = null
}

variable "reporting_secret_arn" {
  type        = string
  description = "Secret {username, password} of the read-only reporting user; the job creates that user from it and grants it reporting.* after every refresh."
}

variable "rls_rules" {
  type        = list(list(string))
  description = "[[quicksight group, tenant id], ...] from the tenant files; written to reporting.rls_rules."
}

variable "batch_size" {
  type        = number
  description = "Events Glue batches before the workflow starts (1-100)."
  default     = 100

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 100
    error_message = "batch_size: 1-100."
  }
}

variable "batch_window_seconds" {
  type        = number
  description = "Longest a batch waits before the workflow starts anyway (1-900 s)."
  default     = 300

  validation {
    condition     = var.batch_window_seconds >= 1 && var.batch_window_seconds <= 900
    error_message = "batch_window_seconds: 1-900."
  }
}

variable "crawler_schedule" {
  type        = string
  description = "When the crawler catalogs the raw prefix (a Glue cron expression): daily, after the day's first runs, by default."
  default     = "cron(15 1 * * ? *)"
}

variable "worker_type" {
  type        = string
  description = "Glue worker type."
  default     = "G.1X"
}

variable "number_of_workers" {
  type        = number
  description = "Glue workers per run."
  default     = 2
}

variable "timeout_minutes" {
  type        = number
  description = "Job run timeout in minutes."
  default     = 60
}
