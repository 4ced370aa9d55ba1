variable "secret_names" {
  type        = map(string)
  description = "tenant id => Secrets Manager secret name (auth.secret in the tenant file)."
}

variable "recovery_window_in_days" {
  type        = number
  description = "Days a deleted tenant's secret can still be restored."
  default     = 7
}

variable "kms_key_arn" {
  type        = string
  description = "Stack KMS key the secrets are encrypted with."
}

variable "reporting_secret_name" {
  type        = string
  description = "Name of the reporting user's secret."
}

variable "reporting_username" {
  type        = string
  description = "Read-only database user QuickSight connects as; the load job creates it and grants it reporting.* only."
  default     = "shopsync_reporting"

  validation {
    # The pattern of shopsync.reporting.grants.USER_PATTERN.
    condition     = can(regex("^[a-z][a-z0-9_]{2,62}$", var.reporting_username)) && !startswith(var.reporting_username, "pg_") && !contains(["public", "rdsdb"], var.reporting_username)
    error_message = "reporting_username: 3-63 lowercase letters, digits or underscores, starting with a letter; not public, rdsdb or pg_*."
  }
}
