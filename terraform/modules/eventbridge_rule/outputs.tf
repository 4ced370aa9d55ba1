output "rule_arn" {
  description = "ARN of the manifest rule."
  value       = aws_cloudwatch_event_rule.manifests.arn
}
