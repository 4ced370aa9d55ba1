output "dataset_ids" {
  description = "table => QuickSight dataset id (each with row-level security)."
  value       = { for t, d in aws_quicksight_data_set.table : t => d.data_set_id }
}
