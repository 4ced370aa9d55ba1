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


variable "kms_key_arn" {
  type        = string
  description = "Stack KMS key: the namespace's data, its admin secret, and the curated objects COPY reads."
}
