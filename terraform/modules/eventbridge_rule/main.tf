# The rule that turns a manifest write into a Glue workflow event. Its pattern is the same file
# the local bus matches (services/shopsync/events/patterns/), so both paths agree by construction.

resource "aws_cloudwatch_event_rule" "manifests" {
  name          = var.name
  description   = "A shopsync run committed its manifest: start the load workflow."
  event_pattern = templatefile(var.pattern_file, { raw_bucket = var.raw_bucket_name })
}

data "aws_caller_identity" "current" {}

# Only this rule, in this account, may use the role.
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.manifests.arn]
    }
  }
}

resource "aws_iam_role" "notify" {
  name               = "${var.name}-notify"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "notify" {
  statement {
    actions   = ["glue:NotifyEvent"]
    resources = [var.workflow_arn]
  }
}

resource "aws_iam_role_policy" "notify" {
  name   = "notify-workflow"
  role   = aws_iam_role.notify.id
  policy = data.aws_iam_policy_document.notify.json
}

resource "aws_cloudwatch_event_target" "workflow" {
  rule     = aws_cloudwatch_event_rule.manifests.name
  arn      = var.workflow_arn
  role_arn = aws_iam_role.notify.arn
}
