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

# Ingestion: each run assumes the tenant-run role narrowed to its store (below), and re-invokes
# itself with a continuation payload. The function's own role reaches no store's data.
data "aws_iam_policy_document" "ingestion" {
  statement {
    sid       = "RunAsTheStore"
    actions   = ["sts:AssumeRole"]
    resources = [local.tenant_run_role_arn]
  }

  statement {
    sid       = "Continue"
    actions   = ["lambda:InvokeFunction"]
    resources = ["${local.lambda_arn_prefix}:${local.ingestion_function}"]
  }
}

# The tenant-run role: what any one store's run may do. The ingestion function assumes it for
# each run with a session policy naming that store (services/shopsync/runtime/tenant_scope.py),
# so a run's credentials reach only its own prefixes, state items and secret: IAM, not only the
# code, keeps one store's run out of another's data.
locals {
  tenant_run_role_name = "${local.name}-tenant-run"
  tenant_run_role_arn  = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${local.tenant_run_role_name}"
}

data "aws_iam_policy_document" "tenant_run_trust" {
  statement {
    sid     = "IngestionOnly"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${local.ingestion_function}"]
    }
  }
}

data "aws_iam_policy_document" "tenant_run" {
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
    sid       = "StackKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.encryption.key_arn]
  }
}

resource "aws_iam_role" "tenant_run" {
  name                 = local.tenant_run_role_name
  assume_role_policy   = data.aws_iam_policy_document.tenant_run_trust.json
  max_session_duration = 3600
  # The trust names the ingestion function's role, which must exist first.
  depends_on = [module.ingestion]
}

resource "aws_iam_role_policy" "tenant_run" {
  name   = "store-data"
  role   = aws_iam_role.tenant_run.id
  policy = data.aws_iam_policy_document.tenant_run.json
}
