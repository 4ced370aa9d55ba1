# The load: a Glue workflow whose EVENT trigger (fed by the EventBridge rule) starts, in
# parallel, the crawler on the raw prefix and the PySpark load job. The job never depends on
# the catalog: it reads the manifests themselves.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  arn_prefix = "arn:${data.aws_partition.current.partition}"
  account    = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
}

# The script and the wheel are uploaded to the artifacts bucket by the deploy workflow; the
# job names them by key (the bucket is versioned, so every deploy is kept).

resource "aws_glue_catalog_database" "raw" {
  name = replace("${var.name}_raw", "-", "_")
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "glue" {
  name               = "${var.name}-glue"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "glue" {
  statement {
    sid       = "ReadRaw"
    actions   = ["s3:GetObject"]
    resources = ["${var.raw_bucket_arn}/*"]
  }

  statement {
    sid       = "ListBuckets"
    actions   = ["s3:ListBucket"]
    resources = [var.raw_bucket_arn, var.curated_bucket_arn]
  }

  statement {
    sid       = "WriteCurated"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.curated_bucket_arn}/tenant=*"]
  }

  statement {
    sid       = "JobCode"
    actions   = ["s3:GetObject"]
    resources = ["${local.arn_prefix}:s3:::${var.artifacts_bucket}/${dirname(var.script_key)}/*"]
  }

  statement {
    sid       = "StackKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "EncryptedLogs"
    actions   = ["logs:AssociateKmsKey"]
    resources = ["${local.arn_prefix}:logs:${local.region}:${local.account}:log-group:/aws-glue/*"]
  }

  # The one workgroup this stack loads, never another.
  dynamic "statement" {
    for_each = var.warehouse == null ? [] : [var.warehouse]
    content {
      sid = "Warehouse"
      actions = [
        "redshift-data:BatchExecuteStatement",
        "redshift-data:ExecuteStatement",
        "redshift-serverless:GetCredentials",
      ]
      resources = [statement.value.workgroup_arn]
    }
  }

  dynamic "statement" {
    for_each = var.warehouse == null ? [] : [var.warehouse]
    content {
      sid = "WarehouseStatements"
      actions = [
        "redshift-data:DescribeStatement",
        "redshift-data:GetStatementResult",
        "redshift-data:CancelStatement",
      ]
      # The Data API authorises these by statement owner; they take no resource ARN.
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.warehouse == null ? [] : [var.warehouse]
    content {
      sid       = "WarehouseSecret"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [statement.value.admin_secret_arn]
    }
  }

  # The reporting user's password, to create or update that user after each refresh.
  statement {
    sid       = "ReportingSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.reporting_secret_arn]
  }

  statement {
    sid = "Catalog"
    actions = [
      "glue:GetDatabase",
      "glue:GetTable",
      "glue:GetTables",
      "glue:CreateTable",
      "glue:UpdateTable",
      "glue:BatchCreatePartition",
      "glue:BatchGetPartition",
      "glue:CreatePartition",
      "glue:UpdatePartition",
      "glue:GetPartition",
      "glue:GetPartitions",
    ]
    resources = [
      "${local.arn_prefix}:glue:${local.region}:${local.account}:catalog",
      aws_glue_catalog_database.raw.arn,
      "${local.arn_prefix}:glue:${local.region}:${local.account}:table/${aws_glue_catalog_database.raw.name}/*",
    ]
  }

  statement {
    sid     = "Logs"
    actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [
      "${local.arn_prefix}:logs:${local.region}:${local.account}:log-group:/aws-glue/*",
    ]
  }
}

resource "aws_iam_role_policy" "glue" {
  name   = "load"
  role   = aws_iam_role.glue.id
  policy = data.aws_iam_policy_document.glue.json
}

# Everything Glue writes (job output, logs, bookmarks) is encrypted with the stack key.
resource "aws_glue_security_configuration" "this" {
  name = var.name

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = var.kms_key_arn
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = var.kms_key_arn
    }
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = var.kms_key_arn
    }
  }
}

resource "aws_glue_crawler" "raw" {
  name                   = "${var.name}-raw"
  role                   = aws_iam_role.glue.arn
  database_name          = aws_glue_catalog_database.raw.name
  security_configuration = aws_glue_security_configuration.this.name

  s3_target {
    path       = "s3://${var.raw_bucket_name}/"
    exclusions = ["_manifests/**"]
  }

  recrawl_policy {
    recrawl_behavior = "CRAWL_NEW_FOLDERS_ONLY"
  }

  schema_change_policy {
    delete_behavior = "LOG"
    update_behavior = "LOG"
  }
}

resource "aws_glue_job" "load" {
  name              = "${var.name}-load"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "5.0"
  worker_type       = var.worker_type
  number_of_workers = var.number_of_workers
  timeout           = var.timeout_minutes
  execution_class   = "STANDARD" # what Glue reports when none is given; FLEX may start late

  security_configuration = aws_glue_security_configuration.this.name

  command {
    name            = "glueetl"
    python_version  = "3"
    script_location = "s3://${var.artifacts_bucket}/${var.script_key}"
  }

  # One load at a time: runs of one tenant must apply in run_id order, and each job run loads
  # every pending manifest, so a second one at once would only curate the same runs again.
  execution_property {
    max_concurrent_runs = 1
  }

  default_arguments = merge(
    {
      "--additional-python-modules"        = "s3://${var.artifacts_bucket}/${var.wheel_key}"
      "--raw_bucket"                       = var.raw_bucket_name
      "--curated_bucket"                   = var.curated_bucket_name
      "--redshift_reporting_secret_arn"    = var.reporting_secret_arn
      "--rls_rules"                        = jsonencode(var.rls_rules)
      "--enable-metrics"                   = "true"
      "--enable-continuous-cloudwatch-log" = "true"
    },
    var.warehouse == null ? {} : {
      "--redshift_workgroup"  = var.warehouse.workgroup_name
      "--redshift_database"   = var.warehouse.database
      "--redshift_iam_role"   = var.warehouse.copy_role_arn
      "--redshift_secret_arn" = var.warehouse.admin_secret_arn
    },
  )
}

resource "aws_glue_workflow" "load" {
  name = "${var.name}-load"
}

# Started by the EventBridge rule; Glue batches events before it fires.
resource "aws_glue_trigger" "manifests" {
  name          = "${var.name}-manifests"
  type          = "EVENT"
  workflow_name = aws_glue_workflow.load.name

  event_batching_condition {
    batch_size   = var.batch_size
    batch_window = var.batch_window_seconds
  }

  actions {
    job_name = aws_glue_job.load.name
  }
}

# The raw catalog is for people's ad-hoc queries; the load reads the manifests. A crawl is billed
# 10 minutes at least: crawling on a schedule rather than before every load saves that much per
# load (docs/COST.md).
resource "aws_glue_trigger" "crawl" {
  name     = "${var.name}-crawl"
  type     = "SCHEDULED"
  schedule = var.crawler_schedule

  actions {
    crawler_name = aws_glue_crawler.raw.name
  }
}
