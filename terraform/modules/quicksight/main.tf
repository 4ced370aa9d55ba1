# QuickSight on the reporting views, with row-level security: every dataset is filtered by
# reporting.rls_rules (groupname, tenant_id), which the load job regenerates from the tenant
# files, so each tenant's QuickSight groups see only that tenant's rows.

data "aws_caller_identity" "current" {}

locals {
  columns = jsondecode(file(var.columns_file))
}

resource "aws_quicksight_group" "tenant" {
  for_each   = toset(var.groups)
  group_name = each.value
  namespace  = var.namespace
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
    vpc_connection_arn = var.vpc_connection_arn
  }
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

  row_level_permission_data_set {
    arn               = aws_quicksight_data_set.rls_rules.arn
    permission_policy = "GRANT_ACCESS"
    format_version    = "VERSION_1"
    status            = "ENABLED"
  }
}
