variable "name" {
  type        = string
  description = "Namespace and workgroup name."
}

variable "database" {
  type        = string
  description = "Database holding the shop_<tenant_id> schemas, reporting and shopsync_ops."
}

variable "admin_username" {
  type        = string
  description = "Admin user; its password is generated and kept by Redshift in Secrets Manager."
  default     = "shopsync_admin"
}

variable "base_capacity" {
  type        = number
  description = "Base RPUs of the workgroup (8-512)."
  default     = 8
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets of the workgroup."
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the workgroup (QuickSight's VPC connection must reach it)."
}

variable "curated_bucket_arn" {
  type        = string
  description = "Curated Parquet bucket that COPY reads."
}

variable "reporting_username" {
  type        = string
  description = "Read-only database user QuickSight connects as; the load job creates it and grants it reporting.* only."
  default     = "shopsync_reporting"

  validation {
    # The pattern of shopsync.warehouse.grants.USER_PATTERN.
    condition     = can(regex("^[a-z][a-z0-9_]{2,62}$", var.reporting_username)) && !startswith(var.reporting_username, "pg_") && !contains(["public", "rdsdb"], var.reporting_username)
    error_message = "reporting_username: 3-63 lowercase letters, digits or underscores, starting with a letter; not public, rdsdb or pg_*."
  }
}

variable "secret_recovery_window_in_days" {
  type        = number
  description = "Days a deleted reporting-user secret can still be restored."
  default     = 7
}
