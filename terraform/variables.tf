variable "region" {
  type        = string
  description = "AWS region of the whole stack."
  default     = "eu-west-1"
}

variable "stage" {
  type        = string
  description = "Deployment stage, part of every resource name (e.g. dev, prod)."
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.stage))
    error_message = "stage: 2-16 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "tenants_dir" {
  type        = string
  description = "Directory of tenant YAML files; every tenant's resources are derived from it."
  default     = "../tenants"
}

variable "lambda_s3_key" {
  type        = string
  description = "Key in the artifacts bucket of the Lambda package (`make package` builds dist/lambda.zip; the deploy workflow uploads it). The functions deploy its current object version."
  default     = "lambda/lambda.zip"
}

variable "glue_script_s3_key" {
  type        = string
  description = "Key in the artifacts bucket of the Glue entry script (glue/jobs/shopsync_load.py), uploaded by the deploy workflow."
  default     = "glue/shopsync_load.py"
}

variable "glue_wheel_s3_key" {
  type        = string
  description = "Key in the artifacts bucket of the shopsync wheel (dist/shopsync-*.whl), uploaded by the deploy workflow next to the script."
  default     = "glue/shopsync-0.1.0-py3-none-any.whl"
}

variable "tick_schedule" {
  type        = string
  description = "How often the scheduler function ticks (EventBridge Scheduler expression)."
  default     = "rate(5 minutes)"
}

variable "safety_net_schedule" {
  type        = string
  description = "How often the scheduler loads manifests whose event never came."
  default     = "rate(30 minutes)"
}

variable "log_retention_days" {
  type        = number
  description = "CloudWatch Logs retention of the Lambda log groups (a year by default: the record of what ran for each store)."
  default     = 365
}

variable "raw_retention_days" {
  type        = number
  description = "Days raw JSONL parts are kept before expiring (manifests are kept)."
  default     = 90
}

variable "event_source" {
  type        = string
  description = "What tells EventBridge a manifest was written: cloudtrail (data events) or s3_native (the bucket's EventBridge notifications, durable)."
  default     = "cloudtrail"

  validation {
    condition     = contains(["cloudtrail", "s3_native"], var.event_source)
    error_message = "event_source: cloudtrail or s3_native."
  }
}


variable "load_batch_size" {
  type        = number
  description = "Manifest events Glue batches before a load starts: Glue's most, since a load's cost is mostly fixed per job run (see the README's scaling section)."
  default     = 100
}

variable "load_batch_window_seconds" {
  type        = number
  description = "Longest a batch of manifest events waits before a load starts: a store's data is at most this much older in the warehouse than its run."
  default     = 300
}

variable "redshift_database" {
  type        = string
  description = "Redshift database of the tenant schemas."
  default     = "shopsync"
}

variable "vpc_cidr" {
  type        = string
  description = "Address range of the VPC the network module creates (a /16)."
  default     = "10.40.0.0/16"
}

variable "existing_network" {
  type = object({
    vpc_id                        = string
    private_subnet_ids            = list(string)
    lambda_security_group_ids     = list(string)
    warehouse_security_group_ids  = list(string)
    quicksight_security_group_ids = list(string)
  })
  description = "Bring your own network instead of the network module's: private subnets (three AZs for Redshift Serverless, with a NAT for Shopify) and the security groups of the functions, the warehouse and QuickSight's VPC connection. null (default) creates the network."
  default     = null
}

variable "quicksight_vpc_connection_arn" {
  type        = string
  description = "An existing QuickSight VPC connection that reaches the private workgroup; null (default) creates one in the private subnets."
  default     = null
}

variable "quicksight_admin_group" {
  type        = string
  description = "QuickSight group of shopsync's administrators (owns the data source and datasets, sees every tenant)."
  default     = "shopsync-admins"
}

variable "quicksight_group_members" {
  type        = map(list(string))
  description = "QuickSight group => user names: membership of the tenant groups (from the tenant files' quicksight.groups) and the admin group."
  default     = {}
}

variable "quicksight_manage_secrets_role" {
  type        = bool
  description = "Create aws-quicksight-secretsmanager-role-v0 (QuickSight's role for data-source secrets) limited to the reporting secret; false when the account already has it."
  default     = true
}

variable "ingestion_reserved_concurrency" {
  type        = number
  description = "Reserved concurrency of the ingestion function (-1: none). A tick invokes at most load_batch_size runs at once, so load_batch_size (100) is enough; an account needs a concurrency quota of at least that plus the 100 Lambda keeps unreserved (new accounts, whose quota is 10, cannot reserve any)."
  default     = -1
  validation {
    condition     = var.ingestion_reserved_concurrency == -1 || var.ingestion_reserved_concurrency >= 1
    error_message = "ingestion_reserved_concurrency is -1 (none) or at least 1."
  }
}

variable "scheduler_reserved_concurrency" {
  type        = number
  description = "Reserved concurrency of the scheduler function (-1: none; an account whose concurrency quota is 10 cannot reserve any)."
  default     = -1
}

variable "enable_redshift" {
  type        = bool
  description = "Create the Redshift Serverless warehouse (and give the load job its workgroup). false only to apply the stack to an AWS API emulator without Redshift Serverless (the moto-backed test) or where the warehouse is run elsewhere."
  default     = true
}

variable "enable_quicksight" {
  type        = bool
  description = "Create the QuickSight groups, VPC connection, data source and datasets (needs enable_redshift). false only for an emulator without QuickSight (the moto-backed test) or an account without QuickSight."
  default     = true
}

variable "reporting_username" {
  type        = string
  description = "Read-only Redshift user QuickSight connects as; the load job creates it and grants it reporting.* only."
  default     = "shopsync_reporting"
}

variable "force_destroy" {
  type        = bool
  description = "Let terraform destroy delete the buckets with their objects and the state table (no deletion protection): for throwaway stages only (the moto-backed test sets it). false (default) keeps data from being destroyed with the stack."
  default     = false
}
