variable "name" {
  type        = string
  description = "Name prefix of the buckets; the account id is appended for global uniqueness."
}

variable "raw_retention_days" {
  type        = number
  description = "Days raw JSONL parts are kept (manifests under _manifests/ are kept)."
}

variable "kms_key_arn" {
  type        = string
  description = "Stack KMS key the raw, curated and artifacts buckets are encrypted with."
}

variable "access_log_retention_days" {
  type        = number
  description = "Days S3 server access logs are kept."
  default     = 365
}

variable "force_destroy" {
  type        = bool
  description = "Let terraform destroy delete the buckets with their objects (a throwaway stage). false keeps a stage's data from being destroyed with it."
  default     = false
}
