variable "name" {
  type        = string
  description = "Name prefix of the workflow, trigger, crawler, job and role."
}

variable "artifacts_bucket" {
  type        = string
  description = "Bucket that holds the job script and the shopsync wheel."
}

variable "script_path" {
  type        = string
  description = "Local path of the Glue entry script (glue/jobs/shopsync_load.py)."
}

variable "wheel_path" {
  type        = string
  description = "Local path of the shopsync wheel (make package builds it)."
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

variable "redshift_workgroup" {
  type        = string
  description = "Redshift Serverless workgroup the job loads."
}

variable "redshift_database" {
  type        = string
  description = "Redshift database name."
}

variable "redshift_copy_role_arn" {
  type        = string
  description = "IAM role Redshift assumes for COPY from the curated bucket."
}

variable "redshift_secret_arn" {
  type        = string
  description = "Secret with the database credentials the Data API uses."
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
  default     = 10

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 100
    error_message = "batch_size: 1-100."
  }
}

variable "batch_window_seconds" {
  type        = number
  description = "Longest a batch waits before the workflow starts anyway (1-900 s)."
  default     = 120

  validation {
    condition     = var.batch_window_seconds >= 1 && var.batch_window_seconds <= 900
    error_message = "batch_window_seconds: 1-900."
  }
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
