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
  description = "Bucket for deployment artifacts (Glue script and wheel)."
  value       = aws_s3_bucket.this["artifacts"].id
}
