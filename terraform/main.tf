# shopsync on AWS: the tenant files drive every per-store resource.

locals {
  name = "shopsync-${var.stage}"

  tenant_files = fileset(var.tenants_dir, "*.yaml")
  tenants = {
    for f in local.tenant_files :
    trimsuffix(f, ".yaml") => yamldecode(file("${var.tenants_dir}/${f}"))
  }
  tenant_secret_names = { for id, t in local.tenants : id => t.auth.secret }
  # reporting.rls_rules: each QuickSight group sees only its tenant's rows.
  rls_rules = flatten([
    for id, t in local.tenants : [for g in try(t.quicksight.groups, []) : [g, id]]
  ])
  quicksight_groups = distinct([for rule in local.rls_rules : rule[0]])
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
  }
}

module "storage" {
  source             = "./modules/storage"
  name               = local.name
  raw_retention_days = var.raw_retention_days
}

module "state" {
  source = "./modules/state"
  name   = "${local.name}-state"
}

module "secrets" {
  source       = "./modules/secrets"
  secret_names = local.tenant_secret_names
}

module "ingestion" {
  source             = "./modules/lambda_function"
  function_name      = local.ingestion_function
  handler            = "shopsync.handlers.ingestion.handler"
  lambda_package     = var.lambda_package
  policy_json        = data.aws_iam_policy_document.ingestion.json
  timeout_seconds    = 900
  memory_mb          = 1024
  log_retention_days = var.log_retention_days
  environment        = local.environment
}

module "scheduler" {
  source             = "./modules/lambda_function"
  function_name      = local.scheduler_function
  handler            = "shopsync.handlers.scheduler.handler"
  lambda_package     = var.lambda_package
  policy_json        = data.aws_iam_policy_document.scheduler.json
  timeout_seconds    = 120
  memory_mb          = 512
  log_retention_days = var.log_retention_days
  environment        = local.environment
  # Two overlapping ticks would only race on leases; one at a time is simpler to reason about.
  reserved_concurrency = 1
}

module "tick" {
  source              = "./modules/eventbridge_scheduler"
  name                = "${local.name}-tick"
  schedule_expression = var.tick_schedule
  target_function_arn = module.scheduler.function_arn
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
  input               = { action = "load_safety_net" }
}

module "load" {
  source                 = "./modules/glue"
  name                   = local.name
  artifacts_bucket       = module.storage.artifacts_bucket_name
  script_path            = "${path.module}/../glue/jobs/shopsync_load.py"
  wheel_path             = var.glue_wheel
  raw_bucket_name        = module.storage.raw_bucket_name
  raw_bucket_arn         = module.storage.raw_bucket_arn
  curated_bucket_name    = module.storage.curated_bucket_name
  curated_bucket_arn     = module.storage.curated_bucket_arn
  redshift_workgroup     = module.warehouse.workgroup_name
  redshift_database      = var.redshift_database
  redshift_copy_role_arn = module.warehouse.copy_role_arn
  redshift_secret_arn    = module.warehouse.admin_secret_arn
  reporting_secret_arn   = module.warehouse.reporting_secret_arn
  rls_rules              = local.rls_rules
  batch_size             = var.load_batch_size
  batch_window_seconds   = var.load_batch_window_seconds
}

module "manifest_rule" {
  source          = "./modules/eventbridge_rule"
  name            = "${local.name}-manifests"
  pattern_file    = local.event_patterns[var.event_source]
  raw_bucket_name = module.storage.raw_bucket_name
  workflow_arn    = module.load.workflow_arn
}

module "trail" {
  source          = "./modules/cloudtrail"
  count           = var.event_source == "cloudtrail" ? 1 : 0
  name            = "${local.name}-manifests"
  raw_bucket_name = module.storage.raw_bucket_name
}

resource "aws_s3_bucket_notification" "raw_to_eventbridge" {
  count       = var.event_source == "s3_native" ? 1 : 0
  bucket      = module.storage.raw_bucket_name
  eventbridge = true
}

module "warehouse" {
  source             = "./modules/redshift"
  name               = local.name
  database           = var.redshift_database
  subnet_ids         = var.warehouse_subnet_ids
  security_group_ids = var.warehouse_security_group_ids
  curated_bucket_arn = module.storage.curated_bucket_arn
  reporting_username = var.reporting_username
}

# QuickSight connects as the read-only reporting user, never as the admin.
module "bi" {
  source               = "./modules/quicksight"
  name                 = local.name
  groups               = local.quicksight_groups
  columns_file         = "${path.module}/quicksight_columns.json"
  redshift_host        = module.warehouse.endpoint_address
  redshift_port        = module.warehouse.endpoint_port
  redshift_database    = var.redshift_database
  reporting_secret_arn = module.warehouse.reporting_secret_arn
  vpc_connection_arn   = var.quicksight_vpc_connection_arn
}
