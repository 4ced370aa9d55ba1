variable "name" {
  type        = string
  description = "Stack name; the key's alias is alias/<name>."
}

variable "deletion_window_in_days" {
  type        = number
  description = "Days a scheduled key deletion waits (7-30)."
  default     = 30
}
