variable "name" {
  type        = string
  description = "Schedule name; also names its invoke role."
}

variable "schedule_expression" {
  type        = string
  description = "How often to tick, e.g. rate(5 minutes)."
}

variable "target_function_arn" {
  type        = string
  description = "ARN of the scheduler Lambda function to invoke."
}

variable "input" {
  type        = map(string)
  description = "The event the function receives, e.g. {action = \"tick\"}."
}

variable "kms_key_arn" {
  type        = string
  description = "Stack KMS key the schedule's input is encrypted with."
}
