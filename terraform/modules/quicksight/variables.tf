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
  description = "An existing QuickSight VPC connection that reaches the private workgroup; null creates one in subnet_ids."
  default     = null
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets of the VPC connection QuickSight reaches the warehouse through."
  default     = []
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the VPC connection (the warehouse admits them)."
  default     = []
}

variable "admin_group" {
  type        = string
  description = "QuickSight group of shopsync's administrators: owns the data source and datasets, sees the RLS rules."
  default     = "shopsync-admins"
}

variable "group_members" {
  type        = map(list(string))
  description = "QuickSight group => user names in it (tenant groups and the admin group)."
  default     = {}
}

variable "manage_secrets_role" {
  type        = bool
  description = "Create aws-quicksight-secretsmanager-role-v0, the role QuickSight reads data-source secrets with, limited to the reporting secret; false when the account already has it (add the secret to it by hand)."
  default     = true
}

variable "kms_key_arn" {
  type        = string
  description = "Stack KMS key the reporting secret is encrypted with."
}
