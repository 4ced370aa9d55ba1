output "state_bucket" {
  description = "Terraform state bucket (repository variable TF_STATE_BUCKET)."
  value       = aws_s3_bucket.state.id
}

output "plan_role_arn" {
  description = "Repository variable AWS_PLAN_ROLE_ARN."
  value       = module.github_oidc.plan_role_arn
}

output "apply_role_arn" {
  description = "Repository variable AWS_APPLY_ROLE_ARN."
  value       = module.github_oidc.apply_role_arn
}
