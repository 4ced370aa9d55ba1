# shopsync on AWS: the tenant files drive every per-store resource.

locals {
  name = "shopsync-${var.stage}"

  tenant_files = fileset(var.tenants_dir, "*.yaml")
  tenants = {
    for f in local.tenant_files :
    trimsuffix(f, ".yaml") => yamldecode(file("${var.tenants_dir}/${f}"))
  }
  tenant_secret_names = { for id, t in local.tenants : id => t.auth.secret }
  # reporting.rls_rules: each QuickSight group sees only its tenant's rows. flatten() is
  # recursive, so the pairs are built as objects and turned into [group, tenant] after it.
  rls_pairs = flatten([
    for id, t in local.tenants : [for g in try(t.quicksight.groups, []) : { group = g, tenant = id }]
  ])
  # The admin group sees every tenant's rows; a group with no rule sees nothing.
  rls_rules = concat(
    [for rule in local.rls_pairs : [rule.group, rule.tenant]],
    [for id in sort(keys(local.tenants)) : [var.quicksight_admin_group, id]],
  )
  quicksight_groups = distinct([for rule in local.rls_pairs : rule.group])
  event_patterns = {
    cloudtrail = "${path.module}/../services/shopsync/events/patterns/cloudtrail_manifest.json"
    s3_native  = "${path.module}/../services/shopsync/events/patterns/s3_object_created.json"
  }

  ingestion_function = "${local.name}-ingestion"
  scheduler_function = "${local.name}-scheduler"
  load_job           = "${local.name}-load"
  environment = {
    SHOPSYNC_REGION             = var.region
    SHOPSYNC_RAW_BUCKET         = module.storage.raw_bucket_name
    SHOPSYNC_CURATED_BUCKET     = module.storage.curated_bucket_name
    SHOPSYNC_STATE_TABLE        = module.state.table_name
    SHOPSYNC_INGESTION_FUNCTION = local.ingestion_function
    SHOPSYNC_LOAD_JOB           = local.load_job
    SHOPSYNC_TENANT_ROLE_ARN    = local.tenant_run_role_arn
  }

  # The functions' code: the object the deploy workflow uploaded, at its current version.
  lambda_code = {
    bucket  = module.storage.artifacts_bucket_name
    key     = var.lambda_s3_key
    version = data.aws_s3_object.lambda_package.version_id
  }
}

module "encryption" {
  source = "./modules/encryption"
  name   = local.name
}

module "storage" {
  source             = "./modules/storage"
  name               = local.name
  raw_retention_days = var.raw_retention_days
  kms_key_arn        = module.encryption.key_arn
  force_destroy      = var.force_destroy
}

# Uploaded by the deploy workflow between the targeted apply of module.storage and the plan.
data "aws_s3_object" "lambda_package" {
  bucket = module.storage.artifacts_bucket_name
  key    = var.lambda_s3_key
}

module "state" {
  source              = "./modules/state"
  name                = "${local.name}-state"
  kms_key_arn         = module.encryption.key_arn
  deletion_protection = !var.force_destroy
}

module "secrets" {
  source                = "./modules/secrets"
  secret_names          = local.tenant_secret_names
  kms_key_arn           = module.encryption.key_arn
  reporting_secret_name = "${local.name}/redshift/${var.reporting_username}"
  reporting_username    = var.reporting_username
}

module "ingestion" {
  source             = "./modules/lambda_function"
  function_name      = local.ingestion_function
  handler            = "shopsync.handlers.ingestion.handler"
  code               = local.lambda_code
  policy_json        = data.aws_iam_policy_document.ingestion.json
  timeout_seconds    = 900
  memory_mb          = 1024
  log_retention_days = var.log_retention_days
  environment        = local.environment
  subnet_ids         = local.network.private_subnet_ids
  security_group_ids = local.network.lambda_security_group_ids
  kms_key_arn        = module.encryption.key_arn
  # A tick starts at most load_batch_size runs at once (README, "Scaling"): reserving that
  # many keeps a tick from being throttled by the account's other functions.
  reserved_concurrency = var.ingestion_reserved_concurrency
}

# Ticks that overlap only race on leases, which the state table's conditional writes settle;
# no reserved concurrency (new accounts, whose quota is 10, cannot reserve any).
module "scheduler" {
  source             = "./modules/lambda_function"
  function_name      = local.scheduler_function
  handler            = "shopsync.handlers.scheduler.handler"
  code               = local.lambda_code
  policy_json        = data.aws_iam_policy_document.scheduler.json
  timeout_seconds    = 120
  memory_mb          = 512
  log_retention_days = var.log_retention_days
  # A tick starts at most one load batch of runs, so stores that fell due together spread
  # over ticks (README, "Scaling").
  environment = merge(local.environment, {
    SHOPSYNC_MAX_DISPATCH_PER_TICK = tostring(var.load_batch_size)
  })
  subnet_ids           = local.network.private_subnet_ids
  security_group_ids   = local.network.lambda_security_group_ids
  kms_key_arn          = module.encryption.key_arn
  reserved_concurrency = var.scheduler_reserved_concurrency
}

module "tick" {
  source              = "./modules/eventbridge_scheduler"
  name                = "${local.name}-tick"
  schedule_expression = var.tick_schedule
  target_function_arn = module.scheduler.function_arn
  kms_key_arn         = module.encryption.key_arn
  input = {
    action         = "tick"
    scheduled_time = "<aws.scheduler.scheduled-time>"
  }
}

# CloudTrail's delivery to EventBridge is best effort: every so often, load the manifests whose
# event never came (the job skips everything already in the ledger).
module "load_safety_net" {
  source              = "./modules/eventbridge_scheduler"
  name                = "${local.name}-load-safety-net"
  schedule_expression = var.safety_net_schedule
  target_function_arn = module.scheduler.function_arn
  kms_key_arn         = module.encryption.key_arn
  input               = { action = "load_safety_net" }
}

module "load" {
  source               = "./modules/glue"
  name                 = local.name
  artifacts_bucket     = module.storage.artifacts_bucket_name
  script_key           = var.glue_script_s3_key
  wheel_key            = var.glue_wheel_s3_key
  raw_bucket_name      = module.storage.raw_bucket_name
  raw_bucket_arn       = module.storage.raw_bucket_arn
  curated_bucket_name  = module.storage.curated_bucket_name
  curated_bucket_arn   = module.storage.curated_bucket_arn
  kms_key_arn          = module.encryption.key_arn
  reporting_secret_arn = module.secrets.reporting_secret_arn
  rls_rules            = local.rls_rules
  batch_size           = var.load_batch_size
  batch_window_seconds = var.load_batch_window_seconds
  warehouse = var.enable_redshift ? {
    workgroup_name   = module.warehouse[0].workgroup_name
    workgroup_arn    = module.warehouse[0].workgroup_arn
    database         = var.redshift_database
    copy_role_arn    = module.warehouse[0].copy_role_arn
    admin_secret_arn = module.warehouse[0].admin_secret_arn
  } : null
}

module "manifest_rule" {
  source          = "./modules/eventbridge_rule"
  name            = "${local.name}-manifests"
  pattern_file    = local.event_patterns[var.event_source]
  raw_bucket_name = module.storage.raw_bucket_name
  workflow_arn    = module.load.workflow_arn
}

module "trail" {
  source                  = "./modules/cloudtrail"
  count                   = var.event_source == "cloudtrail" ? 1 : 0
  name                    = "${local.name}-manifests"
  raw_bucket_name         = module.storage.raw_bucket_name
  kms_key_arn             = module.encryption.key_arn
  access_logs_bucket_name = module.storage.access_logs_bucket_name
  force_destroy           = var.force_destroy
}

resource "aws_s3_bucket_notification" "raw_to_eventbridge" {
  count       = var.event_source == "s3_native" ? 1 : 0
  bucket      = module.storage.raw_bucket_name
  eventbridge = true
}

# Redshift Serverless and QuickSight: on by default. The switches exist for AWS API emulators
# that lack them (the moto-backed test applies the stack with both off), or a stack whose
# warehouse and BI are run elsewhere.
module "warehouse" {
  source             = "./modules/redshift"
  count              = var.enable_redshift ? 1 : 0
  name               = local.name
  database           = var.redshift_database
  subnet_ids         = local.network.private_subnet_ids
  security_group_ids = local.network.warehouse_security_group_ids
  curated_bucket_arn = module.storage.curated_bucket_arn
  kms_key_arn        = module.encryption.key_arn
}

# QuickSight connects as the read-only reporting user, never as the admin.
module "bi" {
  source               = "./modules/quicksight"
  count                = var.enable_redshift && var.enable_quicksight ? 1 : 0
  name                 = local.name
  groups               = local.quicksight_groups
  admin_group          = var.quicksight_admin_group
  group_members        = var.quicksight_group_members
  manage_secrets_role  = var.quicksight_manage_secrets_role
  columns_file         = "${path.module}/quicksight_columns.json"
  redshift_host        = module.warehouse[0].endpoint_address
  redshift_port        = module.warehouse[0].endpoint_port
  redshift_database    = var.redshift_database
  reporting_secret_arn = module.secrets.reporting_secret_arn
  kms_key_arn          = module.encryption.key_arn
  vpc_connection_arn   = var.quicksight_vpc_connection_arn
  subnet_ids           = local.network.private_subnet_ids
  security_group_ids   = local.network.quicksight_security_group_ids
}
