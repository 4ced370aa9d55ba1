variable "name" {
  type        = string
  description = "Trail name; also names its log bucket."
}

variable "raw_bucket_name" {
  type        = string
  description = "Raw bucket whose _manifests/ writes are recorded."
}

variable "log_retention_days" {
  type        = number
  description = "Days the trail's log files are kept."
  default     = 365
}

variable "kms_key_arn" {
  type        = string
  description = "Stack KMS key the trail's log files are encrypted with."
}

variable "access_logs_bucket_name" {
  type        = string
  description = "Bucket that receives the trail bucket's S3 server access logs."
}

variable "force_destroy" {
  type        = bool
  description = "Let terraform destroy delete the trail's bucket with its log files (a throwaway stage)."
  default     = false
}
