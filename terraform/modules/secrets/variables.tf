variable "secret_names" {
  type        = map(string)
  description = "tenant id => Secrets Manager secret name (auth.secret in the tenant file)."
}

variable "recovery_window_in_days" {
  type        = number
  description = "Days a deleted tenant's secret can still be restored."
  default     = 7
}
