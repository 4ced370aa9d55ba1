# GitHub Actions signs in to AWS with OIDC, never with stored keys: a read-only plan role that
# pull requests of one repository may assume, and an apply role that only the repository's
# main branch may assume.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  issuer       = "token.actions.githubusercontent.com"
  provider_arn = var.existing_provider_arn != null ? var.existing_provider_arn : aws_iam_openid_connect_provider.github[0].arn
  arn          = "arn:${data.aws_partition.current.partition}"
  # With the repository's OIDC subject template set to repo, context, ref (README), a token's
  # sub is repo:<owner/name>:<context>:ref:<ref>, where context is pull_request or
  # environment:<name>. So the apply subject needs BOTH the protected environment AND main.
  apply_subject = coalesce(var.apply_subject, "repo:${var.repository}:environment:${var.environment}:ref:refs/heads/main")
  plan_subjects = coalesce(var.plan_subjects, ["repo:${var.repository}:pull_request:ref:refs/pull/*"])
}

resource "aws_iam_openid_connect_provider" "github" {
  count           = var.existing_provider_arn == null ? 1 : 0
  url             = "https://${local.issuer}"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = var.thumbprints
}

data "aws_iam_policy_document" "plan_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "${local.issuer}:sub"
      values   = local.plan_subjects
    }
  }
}

data "aws_iam_policy_document" "apply_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
    # Exactly one subject, no wildcard: another branch, another environment or a fork never
    # matches.
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = [local.apply_subject]
    }
  }
}

resource "aws_iam_role" "plan" {
  name                 = "${var.name}-plan"
  description          = "terraform plan from pull requests of ${var.repository} (read-only)"
  assume_role_policy   = data.aws_iam_policy_document.plan_trust.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy_attachment" "plan_read_only" {
  role       = aws_iam_role.plan.name
  policy_arn = "${local.arn}:iam::aws:policy/ReadOnlyAccess"
}

# Plans read the state (and take no lock: -lock=false on pull requests), and refresh the one
# secret value Terraform generates (the reporting user's; ReadOnlyAccess leaves secret values
# out). Nothing else secret: tenant tokens are never in Terraform.
data "aws_iam_policy_document" "plan_state" {
  statement {
    sid       = "ReadState"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [var.state_bucket_arn, "${var.state_bucket_arn}/*"]
  }

  statement {
    sid       = "DecryptState"
    actions   = ["kms:Decrypt"]
    resources = [var.state_key_arn]
  }

  statement {
    sid     = "GeneratedSecrets"
    actions = ["secretsmanager:GetSecretValue"]
    # shopsync-<stage>/redshift/<user>: a tenant secret (shopsync/tenants/...) never matches.
    resources = ["${local.arn}:secretsmanager:*:*:secret:${var.generated_secrets_prefix}*/redshift/*"]
  }

  statement {
    sid       = "DrawPassword"
    actions   = ["secretsmanager:GetRandomPassword"]
    resources = ["*"] # takes no resource
  }

  statement {
    sid       = "DecryptGeneratedSecrets"
    actions   = ["kms:Decrypt"]
    resources = ["*"] # the stack's key, whose ARN the bootstrap cannot know; only through Secrets Manager:
    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["secretsmanager.*.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "plan_state" {
  name   = "read-state"
  role   = aws_iam_role.plan.id
  policy = data.aws_iam_policy_document.plan_state.json
}

resource "aws_iam_role" "apply" {
  name                 = "${var.name}-apply"
  description          = "terraform apply from the main branch of ${var.repository}"
  assume_role_policy   = data.aws_iam_policy_document.apply_trust.json
  max_session_duration = 3600
}

# PowerUserAccess (or what apply_policy_arns says) leaves IAM out; the stack's roles are all
# named <role_prefix>*, plus the one QuickSight reads secrets with, so IAM is granted on those.
data "aws_iam_policy_document" "apply_iam" {
  statement {
    sid = "StackRoles"
    actions = [
      "iam:CreateRole",
      "iam:DeleteRole",
      "iam:GetRole",
      "iam:UpdateRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:ListRoleTags",
      "iam:PutRolePolicy",
      "iam:GetRolePolicy",
      "iam:DeleteRolePolicy",
      "iam:ListRolePolicies",
      "iam:AttachRolePolicy",
      "iam:DetachRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
      "iam:PassRole",
    ]
    resources = [
      "${local.arn}:iam::${data.aws_caller_identity.current.account_id}:role/${var.role_prefix}*",
      "${local.arn}:iam::${data.aws_caller_identity.current.account_id}:role/service-role/aws-quicksight-secretsmanager-role-v0",
    ]
  }

  statement {
    sid       = "ReadManagedPolicies"
    actions   = ["iam:GetPolicy", "iam:GetPolicyVersion"]
    resources = ["${local.arn}:iam::aws:policy/*"]
  }
}

resource "aws_iam_role_policy" "apply_iam" {
  name   = "stack-roles"
  role   = aws_iam_role.apply.id
  policy = data.aws_iam_policy_document.apply_iam.json
}

resource "aws_iam_role_policy_attachment" "apply" {
  for_each   = toset(var.apply_policy_arns)
  role       = aws_iam_role.apply.name
  policy_arn = each.value
}
