variable "region" {
  type        = string
  description = "Region of the state bucket (the stack's region)."
  default     = "eu-west-1"
}

variable "name" {
  type        = string
  description = "Prefix of the state bucket and the GitHub roles."
  default     = "shopsync"
}

variable "github_repository" {
  type        = string
  description = "owner/name of the GitHub repository whose workflows deploy shopsync."
}

variable "existing_oidc_provider_arn" {
  type        = string
  description = "The account's IAM OIDC provider for token.actions.githubusercontent.com, if it already has one (null creates it)."
  default     = null
}

variable "apply_policy_arns" {
  type        = list(string)
  description = "Managed policies of the apply role (main branch only) for everything but IAM: it creates KMS keys, a VPC, Lambda, Glue, Redshift Serverless and QuickSight resources, so it is broad; keep the account to shopsync, or pass a narrower policy of your own. IAM is granted by the module on shopsync-* roles only."
  default     = null # PowerUserAccess in the account's partition
}
