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

output "reporting_secret_arn" {
  description = "Secret {username, password} of the read-only reporting user (QuickSight's credentials; the load job creates the user from it)."
  # The version's ARN is the secret's, and referencing it makes readers wait for the value.
  value = aws_secretsmanager_secret_version.reporting.arn
}

output "reporting_username" {
  description = "Read-only reporting user QuickSight connects as."
  value       = var.reporting_username
}
