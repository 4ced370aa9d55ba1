output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "Three private subnets, one per AZ: functions, warehouse, QuickSight's VPC connection."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  description = "Three public subnets; the NAT gateway lives in the first."
  value       = aws_subnet.public[*].id
}

output "lambda_security_group_id" {
  description = "Security group of the functions (HTTPS out only)."
  value       = aws_security_group.lambda.id
}

output "warehouse_security_group_id" {
  description = "Security group of the Redshift Serverless workgroup."
  value       = aws_security_group.warehouse.id
}

output "quicksight_security_group_id" {
  description = "Security group of QuickSight's VPC connection."
  value       = aws_security_group.quicksight.id
}

output "shopify_egress_ip" {
  description = "The NAT gateway's Elastic IP: every call to Shopify comes from this address (put it on each store's API IP allowlist)."
  value       = aws_eip.nat.public_ip
}
