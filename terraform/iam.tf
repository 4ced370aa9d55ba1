# What each function may do, and nothing more.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  lambda_arn_prefix = "arn:${data.aws_partition.current.partition}:lambda:${var.region}:${data.aws_caller_identity.current.account_id}:function"
}

# Scheduler: read and record tenant state, start ingestion runs, start the safety-net load.
data "aws_iam_policy_document" "scheduler" {
  statement {
    sid = "TenantState"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:UpdateItem",
    ]
    resources = [module.state.table_arn]
  }

  statement {
    sid       = "StartIngestion"
    actions   = ["lambda:InvokeFunction"]
    resources = ["${local.lambda_arn_prefix}:${local.ingestion_function}"]
  }

  statement {
    sid       = "LoadSafetyNet"
    actions   = ["glue:StartJobRun"]
    resources = ["arn:${data.aws_partition.current.partition}:glue:${var.region}:${data.aws_caller_identity.current.account_id}:job/${local.load_job}"]
  }
}

# Ingestion: land raw parts and manifests under tenant prefixes, keep state, read the
# tenants' Shopify secrets, and re-invoke itself with a continuation payload.
data "aws_iam_policy_document" "ingestion" {
  statement {
    sid     = "LandRaw"
    actions = ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"]
    resources = [
      "${module.storage.raw_bucket_arn}/tenant=*",
      "${module.storage.raw_bucket_arn}/_manifests/tenant=*",
    ]
  }

  statement {
    sid       = "ListOwnPrefixes"
    actions   = ["s3:ListBucket"]
    resources = [module.storage.raw_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["tenant=*", "_manifests/tenant=*"]
    }
  }

  statement {
    sid = "SyncState"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:Query",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:ConditionCheckItem",
    ]
    resources = [module.state.table_arn]
  }

  statement {
    sid       = "TenantSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = length(module.secrets.secret_arns) > 0 ? values(module.secrets.secret_arns) : ["arn:${data.aws_partition.current.partition}:secretsmanager:${var.region}:${data.aws_caller_identity.current.account_id}:secret:shopsync-no-tenants"]
  }

  statement {
    sid       = "Continue"
    actions   = ["lambda:InvokeFunction"]
    resources = ["${local.lambda_arn_prefix}:${local.ingestion_function}"]
  }
}
