output "function_name" {
  description = "Function name."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "Function ARN."
  value       = aws_lambda_function.this.arn
}

output "role_name" {
  description = "Execution role name."
  value       = aws_iam_role.this.name
}

output "dead_letter_queue_arn" {
  description = "Queue of async events the function could not run."
  value       = aws_sqs_queue.dead_letters.arn
}
