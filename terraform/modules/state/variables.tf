variable "name" {
  type        = string
  description = "DynamoDB table name."
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the table (cursors and leases live here)."
  default     = true
}
