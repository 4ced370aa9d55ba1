variable "name" {
  type        = string
  description = "Prefix of the two roles: <name>-plan and <name>-apply."
  default     = "shopsync-github"
}

variable "repository" {
  type        = string
  description = "GitHub repository as owner/name; only its workflows may assume the roles."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.repository))
    error_message = "repository: owner/name, e.g. acme/shopsync."
  }
}

variable "existing_provider_arn" {
  type        = string
  description = "ARN of an IAM OIDC provider for token.actions.githubusercontent.com that the account already has (an account holds one per URL); null creates it."
  default     = null
}

variable "thumbprints" {
  type        = list(string)
  description = "Certificate thumbprints of GitHub's OIDC issuer (IAM no longer checks them for this issuer, but the API asks for one)."
  default     = ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"]
}

variable "environment" {
  type        = string
  description = "GitHub deployment environment of the apply job (protected: main only, reviewers)."
  default     = "production"
}

variable "plan_subjects" {
  type        = list(string)
  description = "OIDC `sub` patterns allowed to assume the plan role; null: the repository's pull requests (repo:<repository>:pull_request:ref:refs/pull/*)."
  default     = null
}

variable "apply_subject" {
  type        = string
  description = "The one OIDC `sub` allowed to assume the apply role; null: repo:<repository>:environment:<environment>:ref:refs/heads/main (the repository's subject template includes repo, context and ref)."
  default     = null
}

variable "state_bucket_arn" {
  type        = string
  description = "ARN of the Terraform state bucket the plan role reads."
}

variable "state_key_arn" {
  type        = string
  description = "KMS key the state bucket is encrypted with (the plan role decrypts the state)."
}

variable "generated_secrets_prefix" {
  type        = string
  description = "Name prefix of the stacks whose generated secret (<prefix><stage>/redshift/<user>, the reporting user's) a plan refreshes."
  default     = "shopsync-"
}

variable "role_prefix" {
  type        = string
  description = "Name prefix of every IAM role the stack creates (shopsync-<stage>-...); the apply role may manage only roles with it."
  default     = "shopsync-"
}

variable "apply_policy_arns" {
  type        = list(string)
  description = "Policies of the apply role: what it may create and change. Terraform creates roles, so this is broad; keep it to the account that runs shopsync."
}
