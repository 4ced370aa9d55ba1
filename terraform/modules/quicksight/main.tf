# QuickSight on the reporting views, with row-level security: every dataset is filtered by
# reporting.rls_rules (groupname, tenant_id), which the load job regenerates from the tenant
# files, so each tenant's QuickSight groups see only that tenant's rows.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  columns = jsondecode(file(var.columns_file))
  account = data.aws_caller_identity.current.account_id
  arn     = "arn:${data.aws_partition.current.partition}"
  group_arn = {
    for g in distinct(concat(var.groups, [var.admin_group])) :
    g => "${local.arn}:quicksight:${data.aws_region.current.name}:${local.account}:group/${var.namespace}/${g}"
  }
  # Analysts may use a dataset (build analyses on it); admins may also change and share it.
  reader_actions = [
    "quicksight:DescribeDataSet",
    "quicksight:DescribeDataSetPermissions",
    "quicksight:PassDataSet",
    "quicksight:DescribeIngestion",
    "quicksight:ListIngestions",
  ]
  owner_actions = concat(local.reader_actions, [
    "quicksight:UpdateDataSet",
    "quicksight:DeleteDataSet",
    "quicksight:CreateIngestion",
    "quicksight:CancelIngestion",
    "quicksight:UpdateDataSetPermissions",
  ])
  memberships = {
    for pair in flatten([
      for g, members in var.group_members : [for m in members : { group = g, member = m }]
    ]) : "${pair.group}/${pair.member}" => pair
  }
}

resource "aws_quicksight_group" "tenant" {
  for_each   = setsubtract(toset(var.groups), [var.admin_group])
  group_name = each.value
  namespace  = var.namespace
}

resource "aws_quicksight_group" "admin" {
  group_name  = var.admin_group
  namespace   = var.namespace
  description = "shopsync administrators: every tenant's rows, the RLS rules, the data source"
}

# Who is in which group: var.group_members (QuickSight user names), so membership is reviewed in
# the same pull request as everything else.
resource "aws_quicksight_group_membership" "this" {
  for_each    = local.memberships
  group_name  = each.value.group
  member_name = each.value.member
  namespace   = var.namespace
  depends_on  = [aws_quicksight_group.tenant, aws_quicksight_group.admin]
}

# QuickSight's network interfaces in the private subnets, to reach the private workgroup.
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["quicksight.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "vpc_connection" {
  count              = var.vpc_connection_arn == null ? 1 : 0
  name               = "${var.name}-quicksight-vpc"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "vpc_connection" {
  # checkov:skip=CKV_AWS_111: QuickSight creates the VPC connection's network interfaces before they exist to be named; these EC2 actions take no narrower resource
  # checkov:skip=CKV_AWS_356: as CKV_AWS_111: the interfaces have no ARN before QuickSight creates them
  statement {
    sid = "NetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:ModifyNetworkInterfaceAttribute",
      "ec2:DeleteNetworkInterface",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
    ]
    # QuickSight creates its interfaces before they have ARNs; EC2 scopes these by condition only.
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "vpc_connection" {
  count  = var.vpc_connection_arn == null ? 1 : 0
  name   = "network-interfaces"
  role   = aws_iam_role.vpc_connection[0].id
  policy = data.aws_iam_policy_document.vpc_connection.json
}

resource "aws_quicksight_vpc_connection" "this" {
  count              = var.vpc_connection_arn == null ? 1 : 0
  vpc_connection_id  = var.name
  name               = "${var.name} warehouse"
  role_arn           = aws_iam_role.vpc_connection[0].arn
  subnet_ids         = var.subnet_ids
  security_group_ids = var.security_group_ids
  # QuickSight creates its network interfaces with the role at once: it needs its policy.
  depends_on = [aws_iam_role_policy.vpc_connection]
}

# QuickSight reads data-source secrets with this role of the account (the name and path
# QuickSight looks for): only the reporting user's secret, and the key it is encrypted with.
resource "aws_iam_role" "secrets" {
  count              = var.manage_secrets_role ? 1 : 0
  name               = "aws-quicksight-secretsmanager-role-v0"
  path               = "/service-role/"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "secrets" {
  statement {
    sid       = "ReportingSecret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [var.reporting_secret_arn]
  }

  statement {
    sid       = "DecryptSecret"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "secrets" {
  count  = var.manage_secrets_role ? 1 : 0
  name   = "reporting-secret"
  role   = aws_iam_role.secrets[0].id
  policy = data.aws_iam_policy_document.secrets.json
}

resource "aws_quicksight_data_source" "warehouse" {
  data_source_id = var.name
  name           = "shopsync warehouse"
  type           = "REDSHIFT"

  parameters {
    redshift {
      host     = var.redshift_host
      port     = var.redshift_port
      database = var.redshift_database
    }
  }

  # The read-only reporting user (SELECT on reporting.* only), never the admin: a secret
  # {"username", "password"} that QuickSight must be allowed to read (QuickSight's Secrets
  # Manager access).
  credentials {
    secret_arn = var.reporting_secret_arn
  }

  vpc_connection_properties {
    vpc_connection_arn = var.vpc_connection_arn != null ? var.vpc_connection_arn : aws_quicksight_vpc_connection.this[0].arn
  }

  permission {
    principal = local.group_arn[var.admin_group]
    actions = [
      "quicksight:DescribeDataSource",
      "quicksight:DescribeDataSourcePermissions",
      "quicksight:PassDataSource",
      "quicksight:UpdateDataSource",
      "quicksight:UpdateDataSourcePermissions",
      "quicksight:DeleteDataSource",
    ]
  }

  # QuickSight reads the reporting secret when the data source is created.
  depends_on = [aws_quicksight_group.admin, aws_iam_role_policy.secrets]
}

resource "aws_quicksight_data_set" "rls_rules" {
  data_set_id = "${var.name}-rls-rules"
  name        = "shopsync RLS rules"
  import_mode = "DIRECT_QUERY"

  physical_table_map {
    physical_table_map_id = "rls"
    relational_table {
      data_source_arn = aws_quicksight_data_source.warehouse.arn
      schema          = "reporting"
      name            = "rls_rules"
      dynamic "input_columns" {
        for_each = local.columns.rls_rules
        content {
          name = input_columns.value.name
          type = input_columns.value.type
        }
      }
    }
  }

  # The rules name every group and tenant: admins only.
  permissions {
    principal = local.group_arn[var.admin_group]
    actions   = local.owner_actions
  }

  logical_table_map {
    logical_table_map_id = "rls"
    alias                = "rls_rules"
    source {
      physical_table_id = "rls"
    }
    # QuickSight reads the group column of a rules dataset by the name GroupName.
    data_transforms {
      rename_column_operation {
        column_name     = "groupname"
        new_column_name = "GroupName"
      }
    }
  }
}

resource "aws_quicksight_data_set" "table" {
  for_each    = local.columns.tables
  data_set_id = "${var.name}-${each.key}"
  name        = "shopsync ${each.key}"
  import_mode = "DIRECT_QUERY"

  physical_table_map {
    physical_table_map_id = each.key
    relational_table {
      data_source_arn = aws_quicksight_data_source.warehouse.arn
      schema          = "reporting"
      name            = each.key
      dynamic "input_columns" {
        for_each = each.value
        content {
          name = input_columns.value.name
          type = input_columns.value.type
        }
      }
    }
  }

  # Every tenant group may use every dataset: the rules decide which rows it sees.
  dynamic "permissions" {
    for_each = var.groups
    content {
      principal = local.group_arn[permissions.value]
      actions   = local.reader_actions
    }
  }

  permissions {
    principal = local.group_arn[var.admin_group]
    actions   = local.owner_actions
  }

  row_level_permission_data_set {
    arn               = aws_quicksight_data_set.rls_rules.arn
    permission_policy = "GRANT_ACCESS"
    format_version    = "VERSION_1"
    status            = "ENABLED"
  }

  depends_on = [aws_quicksight_group.tenant, aws_quicksight_group.admin]
}
