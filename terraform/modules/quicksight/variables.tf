variable "name" {
  type        = string
  description = "Prefix of the data source and dataset ids."
}

variable "groups" {
  type        = list(string)
  description = "QuickSight groups named by the tenant files (quicksight.groups)."
}

variable "namespace" {
  type        = string
  description = "QuickSight namespace of the groups."
  default     = "default"
}

variable "columns_file" {
  type        = string
  description = "terraform/quicksight_columns.json, generated from the warehouse specs (make bi)."
}

variable "redshift_host" {
  type        = string
  description = "Workgroup endpoint host."
}

variable "redshift_port" {
  type        = number
  description = "Workgroup endpoint port."
}

variable "redshift_database" {
  type        = string
  description = "Warehouse database."
}

variable "reporting_secret_arn" {
  type        = string
  description = "Secret {username, password} of the read-only reporting user QuickSight connects as (never the admin's)."
}

variable "vpc_connection_arn" {
  type        = string
  description = "QuickSight VPC connection that reaches the private workgroup."
}
