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
