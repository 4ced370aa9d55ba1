output "secret_arns" {
  description = "tenant id => secret ARN."
  value       = { for id, s in aws_secretsmanager_secret.tenant : id => s.arn }
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
