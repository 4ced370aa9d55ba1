output "workgroup_name" {
  description = "Workgroup name (the load job's --redshift_workgroup)."
  value       = aws_redshiftserverless_workgroup.this.workgroup_name
}

output "endpoint_address" {
  description = "Workgroup endpoint host."
  value       = aws_redshiftserverless_workgroup.this.endpoint[0].address
}

output "endpoint_port" {
  description = "Workgroup endpoint port."
  value       = aws_redshiftserverless_workgroup.this.endpoint[0].port
}

output "copy_role_arn" {
  description = "Role COPY assumes to read the curated bucket."
  value       = aws_iam_role.copy.arn
}

output "admin_secret_arn" {
  description = "Secrets Manager secret with the admin credentials (managed by Redshift)."
  value       = aws_redshiftserverless_namespace.this.admin_password_secret_arn
}


output "workgroup_arn" {
  description = "Workgroup ARN: the only resource the load job's Data API permissions name."
  value       = aws_redshiftserverless_workgroup.this.arn
}
