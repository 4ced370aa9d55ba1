# One Python Lambda function: its own role, an encrypted log group, X-Ray tracing, a
# dead-letter queue for async events it could not run, in the VPC's private subnets, with code
# taken from the artifacts bucket at one object version.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# Async events Lambda could not deliver or that failed (after async_retry_attempts) land here,
# so a lost tick or resync request can be seen and replayed.
resource "aws_sqs_queue" "dead_letters" {
  name                              = "${var.function_name}-dlq"
  message_retention_seconds         = 1209600
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 3600
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.function_name
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

# Logs only to its own group; traces to X-Ray (whose write actions take no resource); the stack
# key for its environment, log group and queue; its own dead-letter queue.
data "aws_iam_policy_document" "runtime" {
  statement {
    sid       = "OwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  statement {
    sid       = "StackKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "DeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dead_letters.arn]
  }
}

resource "aws_iam_role_policy" "runtime" {
  name   = "runtime"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.runtime.json
}

resource "aws_iam_role_policy" "service" {
  name   = "service"
  role   = aws_iam_role.this.id
  policy = var.policy_json
}

# The network interfaces a function in a VPC needs (AWS's managed policy for exactly that).
resource "aws_iam_role_policy_attachment" "vpc" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_lambda_function" "this" {
  # checkov:skip=CKV_AWS_272: code signing needs AWS Signer profiles; the package is built by the main branch's deploy job (OIDC, protected environment) into a versioned, KMS-encrypted bucket and deployed at one object version
  # checkov:skip=CKV_AWS_115: reserved concurrency is a per-function choice (var.reserved_concurrency, default none): new accounts have a concurrency quota of 10 and Lambda keeps an unreserved minimum, so any reservation fails there; leases already keep one run per store
  function_name     = var.function_name
  role              = aws_iam_role.this.arn
  handler           = var.handler
  runtime           = "python3.11"
  architectures     = ["x86_64"]
  s3_bucket         = var.code.bucket
  s3_key            = var.code.key
  s3_object_version = var.code.version
  timeout           = var.timeout_seconds
  memory_size       = var.memory_mb
  kms_key_arn       = var.kms_key_arn

  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = merge(
      {
        POWERTOOLS_SERVICE_NAME      = "shopsync"
        POWERTOOLS_METRICS_NAMESPACE = "shopsync"
        POWERTOOLS_LOG_LEVEL         = "INFO"
        SHOPSYNC_TARGET              = "aws"
        SHOPSYNC_TENANTS_DIR         = "/var/task/tenants"
      },
      var.environment,
    )
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.dead_letters.arn
  }

  tracing_config {
    mode = "Active"
  }

  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy.runtime,
    aws_iam_role_policy_attachment.vpc,
  ]
}

# Async invokes: failures are recorded in the state table and retried by the schedule, so
# Lambda's own retries (which would rerun the same run id) are off by default.
resource "aws_lambda_function_event_invoke_config" "this" {
  function_name                = aws_lambda_function.this.function_name
  maximum_retry_attempts       = var.async_retry_attempts
  maximum_event_age_in_seconds = var.async_max_event_age_seconds
}
