output "schedule_arn" {
  description = "ARN of the tick schedule."
  value       = aws_scheduler_schedule.tick.arn
}
