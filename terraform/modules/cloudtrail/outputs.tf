output "trail_arn" {
  description = "ARN of the manifest trail."
  value       = aws_cloudtrail.manifests.arn
}
