variable "name" {
  type        = string
  description = "Stack name; prefixes every network resource."
}

variable "cidr_block" {
  type        = string
  description = "The VPC's address range (a /16: three /20 private and three /24 public subnets are cut from it)."
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.cidr_block)) && endswith(var.cidr_block, "/16")
    error_message = "cidr_block: an IPv4 /16, e.g. 10.40.0.0/16."
  }
}

variable "warehouse_port" {
  type        = number
  description = "Port of the Redshift Serverless workgroup (QuickSight connects to it)."
  default     = 5439
}

variable "kms_key_arn" {
  type        = string
  description = "KMS key that encrypts the flow-log group."
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the flow-log group."
  default     = 365
}

variable "availability_zones" {
  type        = list(string)
  description = "The three availability zones of the subnets; null: <region>a, <region>b, <region>c."
  default     = null

  validation {
    condition     = var.availability_zones == null || length(coalesce(var.availability_zones, [])) == 3
    error_message = "availability_zones: exactly three zone names (Redshift Serverless needs three)."
  }
}
