output "raw_bucket_name" {
  description = "Raw landing bucket name."
  value       = aws_s3_bucket.this["raw"].id
}

output "raw_bucket_arn" {
  description = "Raw landing bucket ARN."
  value       = aws_s3_bucket.this["raw"].arn
}

output "curated_bucket_name" {
  description = "Curated Parquet bucket name."
  value       = aws_s3_bucket.this["curated"].id
}

output "curated_bucket_arn" {
  description = "Curated Parquet bucket ARN."
  value       = aws_s3_bucket.this["curated"].arn
}

output "artifacts_bucket_name" {
  description = "Bucket for deployment artifacts: the Lambda package, the Glue script and wheel (applied first, then the deploy workflow uploads)."
  value       = aws_s3_bucket.this["artifacts"].id
}

output "artifacts_bucket_arn" {
  description = "Artifacts bucket ARN."
  value       = aws_s3_bucket.this["artifacts"].arn
}

output "access_logs_bucket_name" {
  description = "Bucket of S3 server access logs (the trail's bucket logs here too)."
  # Through the policy: a bucket logs here only once the logging service may write.
  value = aws_s3_bucket_policy.access_logs.bucket
}
