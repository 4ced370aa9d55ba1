variable "name" {
  type        = string
  description = "Name prefix of the buckets; the account id is appended for global uniqueness."
}

variable "raw_retention_days" {
  type        = number
  description = "Days raw JSONL parts are kept (manifests under _manifests/ are kept)."
}
