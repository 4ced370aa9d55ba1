output "workflow_arn" {
  description = "ARN of the load workflow (the EventBridge rule's target)."
  value       = aws_glue_workflow.load.arn
}

output "workflow_name" {
  description = "Name of the load workflow."
  value       = aws_glue_workflow.load.name
}

output "job_name" {
  description = "Name of the load job (shopsync load --target aws, the safety net)."
  value       = aws_glue_job.load.name
}
