# One-time bootstrap, applied by an administrator with local state: the bucket that holds the
# stack's Terraform state, and the GitHub OIDC roles the deploy workflow assumes. After this,
# every change to the stack goes through pull requests (plan) and main (apply).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  state_bucket = "${var.name}-tfstate-${data.aws_caller_identity.current.account_id}"
}

resource "aws_kms_key" "state" {
  description             = "${var.name}: Terraform state"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.state_key.json
}

data "aws_iam_policy_document" "state_key" {
  # checkov:skip=CKV_AWS_109: a key policy's "*" resource is this key alone; the account administers it through IAM, as AWS's default key policy does
  # checkov:skip=CKV_AWS_111: a key policy's "*" resource is this key alone (see CKV_AWS_109)
  # checkov:skip=CKV_AWS_356: a key policy's "*" resource is this key alone (see CKV_AWS_109)
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_s3_bucket" "state" {
  # checkov:skip=CKV_AWS_144: the state bucket is versioned; a replica in another region is the operator's choice
  # checkov:skip=CKV_AWS_18: access to the state bucket is recorded by CloudTrail's management events; server access logs would need a second bucket for a bootstrap
  # checkov:skip=CKV2_AWS_62: nothing consumes state writes as events
  bucket = local.state_bucket
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.state.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    id     = "old-state-versions"
    status = "Enabled"
    filter {
      prefix = ""
    }
    noncurrent_version_expiration {
      noncurrent_days = 90
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }
}

data "aws_iam_policy_document" "state_tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
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

resource "aws_s3_bucket_policy" "state" {
  bucket     = aws_s3_bucket.state.id
  policy     = data.aws_iam_policy_document.state_tls_only.json
  depends_on = [aws_s3_bucket_public_access_block.state]
}

module "github_oidc" {
  source                = "../modules/github_oidc"
  name                  = "${var.name}-github"
  repository            = var.github_repository
  existing_provider_arn = var.existing_oidc_provider_arn
  state_bucket_arn      = aws_s3_bucket.state.arn
  state_key_arn         = aws_kms_key.state.arn
  apply_policy_arns     = coalesce(var.apply_policy_arns, ["arn:${data.aws_partition.current.partition}:iam::aws:policy/PowerUserAccess"])
}
