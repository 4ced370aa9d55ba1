# Raw landing, curated and artifacts buckets: private, encrypted with the stack key, versioned,
# TLS only, their access logged to a fourth bucket.

data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  buckets = {
    raw       = "${var.name}-raw-${local.account}"
    curated   = "${var.name}-curated-${local.account}"
    artifacts = "${var.name}-artifacts-${local.account}"
  }
  # Noncurrent versions: curated Parquet is rewritten by every load, artifacts by every deploy.
  noncurrent_days = { raw = 7, curated = 7, artifacts = 90 }
}

resource "aws_s3_bucket" "this" {
  # checkov:skip=CKV_AWS_144: no cross-region replica: raw data is re-fetchable from Shopify (a resync), curated data is rebuilt from raw, artifacts are rebuilt by the deploy workflow
  # checkov:skip=CKV2_AWS_62: the raw bucket's writes reach EventBridge through CloudTrail data events (or the bucket's EventBridge notification when event_source = s3_native); curated and artifacts have no consumer to notify
  for_each      = local.buckets
  bucket        = each.value
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each                = local.buckets
  bucket                  = aws_s3_bucket.this[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.buckets
  bucket   = aws_s3_bucket.this[each.key].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.buckets
  bucket   = aws_s3_bucket.this[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = local.buckets
  bucket   = aws_s3_bucket.this[each.key].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "this" {
  for_each      = local.buckets
  bucket        = aws_s3_bucket.this[each.key].id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "${each.key}/"
  # S3 refuses a target whose policy does not yet let the logging service write.
  depends_on = [aws_s3_bucket_policy.access_logs]
}

# Raw parts expire; manifests (the load ledger's source of truth) do not. Every bucket drops
# old noncurrent versions and abandoned multipart uploads.
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = local.buckets
  bucket   = aws_s3_bucket.this[each.key].id

  dynamic "rule" {
    for_each = each.key == "raw" ? [1] : []
    content {
      id     = "expire-raw-parts"
      status = "Enabled"
      filter {
        prefix = "tenant="
      }
      expiration {
        days = var.raw_retention_days
      }
      abort_incomplete_multipart_upload {
        days_after_initiation = 2
      }
    }
  }

  rule {
    id     = "noncurrent-versions"
    status = "Enabled"
    filter {
      prefix = ""
    }
    noncurrent_version_expiration {
      noncurrent_days = local.noncurrent_days[each.key]
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }
}

data "aws_iam_policy_document" "tls_only" {
  for_each = aws_s3_bucket.this

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      each.value.arn,
      "${each.value.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "tls_only" {
  for_each   = local.buckets
  bucket     = aws_s3_bucket.this[each.key].id
  policy     = data.aws_iam_policy_document.tls_only[each.key].json
  depends_on = [aws_s3_bucket_public_access_block.this]
}

# Server access logs of the buckets above (and of the trail's bucket).
resource "aws_s3_bucket" "access_logs" {
  # checkov:skip=CKV_AWS_18: the access-log bucket does not log its own access (it would log its log deliveries)
  # checkov:skip=CKV_AWS_144: access logs are not replicated to another region
  # checkov:skip=CKV_AWS_145: S3 server access logging delivers only to buckets encrypted with S3-managed keys (SSE-S3), not KMS
  # checkov:skip=CKV2_AWS_62: nothing consumes access-log deliveries as events
  bucket        = "${var.name}-access-logs-${local.account}"
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket                  = aws_s3_bucket.access_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  rule {
    id     = "expire-access-logs"
    status = "Enabled"
    filter {
      prefix = ""
    }
    expiration {
      days = var.access_log_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 1
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }
}

data "aws_iam_policy_document" "access_logs" {
  statement {
    sid       = "S3ServerAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.access_logs.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.access_logs.arn,
      "${aws_s3_bucket.access_logs.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket     = aws_s3_bucket.access_logs.id
  policy     = data.aws_iam_policy_document.access_logs.json
  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}
