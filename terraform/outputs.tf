output "raw_bucket" {
  description = "Raw landing bucket (SHOPSYNC_RAW_BUCKET)."
  value       = module.storage.raw_bucket_name
}

output "curated_bucket" {
  description = "Curated Parquet bucket (SHOPSYNC_CURATED_BUCKET)."
  value       = module.storage.curated_bucket_name
}

output "state_table" {
  description = "DynamoDB sync-state table (SHOPSYNC_STATE_TABLE)."
  value       = module.state.table_name
}

output "ingestion_function" {
  description = "Ingestion Lambda name (SHOPSYNC_INGESTION_FUNCTION)."
  value       = module.ingestion.function_name
}

output "scheduler_function" {
  description = "Scheduler Lambda name; invoke it with {\"action\": \"resync\", ...} to resync a store."
  value       = module.scheduler.function_name
}

output "tick_schedule_arn" {
  description = "EventBridge Scheduler schedule that ticks the scheduler."
  value       = module.tick.schedule_arn
}

output "tenants" {
  description = "Tenant ids deployed, from the tenant files."
  value       = sort(keys(local.tenants))
}

output "load_job" {
  description = "Glue load job name (the safety net starts it for late manifests)."
  value       = module.load.job_name
}

output "rls_rules" {
  description = "[group, tenant] pairs written to reporting.rls_rules."
  value       = local.rls_rules
}

output "warehouse_workgroup" {
  description = "Redshift Serverless workgroup (SHOPSYNC_REDSHIFT_WORKGROUP for shopsync status --target aws)."
  value       = var.enable_redshift ? module.warehouse[0].workgroup_name : null
}

output "warehouse_database" {
  description = "Redshift database the tenant schemas live in (SHOPSYNC_REDSHIFT_DATABASE for shopsync status --target aws)."
  value       = var.redshift_database
}

output "warehouse_admin_secret_arn" {
  description = "Redshift-managed admin secret (SHOPSYNC_REDSHIFT_SECRET_ARN for shopsync status --target aws)."
  value       = var.enable_redshift ? module.warehouse[0].admin_secret_arn : null
}

output "quicksight_datasets" {
  description = "table => QuickSight dataset id."
  value       = var.enable_redshift && var.enable_quicksight ? module.bi[0].dataset_ids : {}
}

output "reporting_username" {
  description = "Read-only Redshift user QuickSight connects as (SELECT on reporting.* only)."
  value       = module.secrets.reporting_username
}

output "reporting_secret_arn" {
  description = "Secret {username, password} of the reporting user: QuickSight's credentials, the load job's --redshift_reporting_secret_arn."
  value       = module.secrets.reporting_secret_arn
}

output "artifacts_bucket" {
  description = "Artifacts bucket: the deploy workflow uploads the Lambda package, the Glue script and the wheel here (after a targeted apply of module.storage)."
  value       = module.storage.artifacts_bucket_name
}

output "shopify_egress_ip" {
  description = "The address every call to Shopify comes from (the NAT gateway's Elastic IP): put it on each store's API IP allowlist. null with existing_network (your NAT's address)."
  value       = var.existing_network == null ? module.network[0].shopify_egress_ip : null
}

output "lambda_code_version" {
  description = "Object version of the Lambda package the functions run."
  value       = local.lambda_code.version
}

output "kms_key_arn" {
  description = "The stack's customer-managed KMS key."
  value       = module.encryption.key_arn
}

output "tenant_run_role_arn" {
  description = "Role each ingestion run assumes, narrowed by a session policy to its own store."
  value       = aws_iam_role.tenant_run.arn
}
