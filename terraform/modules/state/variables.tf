variable "name" {
  type        = string
  description = "DynamoDB table name."
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the table (cursors and leases live here)."
  default     = true
}

variable "kms_key_arn" {
  type        = string
  description = "Stack KMS key the table is encrypted with."
}
