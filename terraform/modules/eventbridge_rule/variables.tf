variable "name" {
  type        = string
  description = "Rule name; also names its role."
}

variable "pattern_file" {
  type        = string
  description = "Event pattern template (services/shopsync/events/patterns/*.json)."
}

variable "raw_bucket_name" {
  type        = string
  description = "Raw bucket the pattern matches."
}

variable "workflow_arn" {
  type        = string
  description = "Glue workflow the rule starts."
}
