output "secret_arns" {
  description = "tenant id => secret ARN."
  value       = { for id, s in aws_secretsmanager_secret.tenant : id => s.arn }
}
