# Redshift Serverless: the warehouse. One namespace and workgroup, private (no public endpoint),
# admin password managed by Redshift in Secrets Manager, and the role COPY assumes to read the
# curated bucket.

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "copy" {
  name               = "${var.name}-redshift-copy"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "copy" {
  statement {
    sid       = "ReadCurated"
    actions   = ["s3:GetObject"]
    resources = ["${var.curated_bucket_arn}/tenant=*"]
  }

  statement {
    sid       = "ListCurated"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [var.curated_bucket_arn]
  }
}

resource "aws_iam_role_policy" "copy" {
  name   = "copy-from-curated"
  role   = aws_iam_role.copy.id
  policy = data.aws_iam_policy_document.copy.json
}

resource "aws_redshiftserverless_namespace" "this" {
  namespace_name        = var.name
  db_name               = var.database
  admin_username        = var.admin_username
  manage_admin_password = true
  iam_roles             = [aws_iam_role.copy.arn]
  default_iam_role_arn  = aws_iam_role.copy.arn
}

resource "aws_redshiftserverless_workgroup" "this" {
  namespace_name      = aws_redshiftserverless_namespace.this.namespace_name
  workgroup_name      = var.name
  base_capacity       = var.base_capacity
  publicly_accessible = false
  subnet_ids          = var.subnet_ids
  security_group_ids  = var.security_group_ids
}

# The read-only user QuickSight connects as (never the admin). Terraform generates its password
# and keeps it in Secrets Manager as {"username", "password"}, the JSON QuickSight reads. The
# load job reads this secret, creates or updates the database user from it and grants it
# exactly reporting.* after every reporting refresh (shopsync.warehouse.grants). The password
# meets Redshift's clear-text rules: 8-64 characters, upper, lower and a digit.
resource "random_password" "reporting" {
  length      = 40
  special     = false
  min_upper   = 1
  min_lower   = 1
  min_numeric = 1
}

resource "aws_secretsmanager_secret" "reporting" {
  name                    = "${var.name}/redshift/${var.reporting_username}"
  description             = "Read-only Redshift user ${var.reporting_username} that QuickSight connects as"
  recovery_window_in_days = var.secret_recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "reporting" {
  secret_id = aws_secretsmanager_secret.reporting.id
  secret_string = jsonencode({
    username = var.reporting_username
    password = random_password.reporting.result
  })
}
