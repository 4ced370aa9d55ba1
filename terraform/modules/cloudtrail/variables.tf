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
  default     = 30
}
