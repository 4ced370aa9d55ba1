output "provider_arn" {
  description = "The GitHub OIDC provider."
  value       = local.provider_arn
}

output "plan_role_arn" {
  description = "Role pull-request workflows assume for terraform plan (repository variable AWS_PLAN_ROLE_ARN)."
  value       = aws_iam_role.plan.arn
}

output "apply_role_arn" {
  description = "Role the main branch's deploy assumes for terraform apply (repository variable AWS_APPLY_ROLE_ARN)."
  value       = aws_iam_role.apply.arn
}
