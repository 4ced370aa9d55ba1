# The network shopsync runs in: a VPC over three availability zones, private subnets for the
# functions, the warehouse and QuickSight's VPC connection (Redshift Serverless needs three),
# public subnets holding one NAT gateway whose Elastic IP is the one address every store sees
# (Shopify API IP allowlists), gateway endpoints for S3 and DynamoDB, interface endpoints for
# Secrets Manager, STS and the Redshift Data API, and flow logs.

data "aws_region" "current" {}

# Exactly the three zones named (by default <region>a, b and c): a zone AWS adds later never
# moves a subnet.
data "aws_availability_zones" "available" {
  state = "available"
  filter {
    name   = "zone-name"
    values = coalesce(var.availability_zones, [for suffix in ["a", "b", "c"] : "${data.aws_region.current.name}${suffix}"])
  }
}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  azs    = data.aws_availability_zones.available.names
  region = data.aws_region.current.name
  # /16 → /20 private subnets (0-2) and /24 public subnets after them.
  private_cidrs       = [for i in range(3) : cidrsubnet(var.cidr_block, 4, i)]
  public_cidrs        = [for i in range(3) : cidrsubnet(var.cidr_block, 8, 48 + i)]
  interface_endpoints = toset(["secretsmanager", "sts", "redshift-data"])
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = var.name }
}

# Nothing may use the default security group.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = local.private_cidrs[count.index]
  tags              = { Name = "${var.name}-private-${local.azs[count.index]}" }
}

resource "aws_subnet" "public" {
  count                   = 3
  vpc_id                  = aws_vpc.this.id
  availability_zone       = local.azs[count.index]
  cidr_block              = local.public_cidrs[count.index]
  map_public_ip_on_launch = false
  tags                    = { Name = "${var.name}-public-${local.azs[count.index]}" }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = var.name }
}

resource "aws_eip" "nat" {
  domain = "vpc"
  tags   = { Name = "${var.name}-shopify-egress" }
}

resource "aws_nat_gateway" "this" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public[0].id
  tags          = { Name = var.name }
  depends_on    = [aws_internet_gateway.this]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-public" }
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  count          = 3
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-private" }
}

# Everything the private subnets send to the internet leaves through the NAT's Elastic IP.
resource "aws_route" "private_nat" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this.id
}

resource "aws_route_table_association" "private" {
  count          = 3
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

# S3 and DynamoDB traffic stays on AWS's network and costs no NAT processing.
resource "aws_vpc_endpoint" "gateway" {
  for_each          = toset(["s3", "dynamodb"])
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
  tags              = { Name = "${var.name}-${each.key}" }
}

resource "aws_security_group" "endpoints" {
  name        = "${var.name}-endpoints"
  description = "Interface endpoints: HTTPS from inside the VPC"
  vpc_id      = aws_vpc.this.id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.cidr_block]
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = local.interface_endpoints
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  tags                = { Name = "${var.name}-${each.key}" }
}

# The functions: HTTPS out (Shopify through the NAT, AWS APIs through the endpoints).
resource "aws_security_group" "lambda" {
  # checkov:skip=CKV2_AWS_5: attached by the root module (its output feeds the functions' vpc_config), which checkov does not follow across modules
  name        = "${var.name}-lambda"
  description = "shopsync functions: HTTPS out only"
  vpc_id      = aws_vpc.this.id

  egress {
    description = "HTTPS to Shopify (through the NAT) and AWS APIs"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# QuickSight's VPC connection: out to the warehouse; QuickSight's network interfaces are not
# stateful, so replies from the warehouse must be allowed in explicitly.
resource "aws_security_group" "quicksight" {
  # checkov:skip=CKV2_AWS_5: attached by the root module (its output feeds the QuickSight VPC connection), which checkov does not follow across modules
  name        = "${var.name}-quicksight"
  description = "QuickSight VPC connection to the warehouse"
  vpc_id      = aws_vpc.this.id
}

resource "aws_security_group" "warehouse" {
  # checkov:skip=CKV2_AWS_5: attached by the root module (its output feeds the Redshift Serverless workgroup), which checkov does not follow across modules
  name        = "${var.name}-warehouse"
  description = "Redshift Serverless: Redshift's port from QuickSight only"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "warehouse_from_quicksight" {
  security_group_id            = aws_security_group.warehouse.id
  description                  = "Redshift from QuickSight"
  referenced_security_group_id = aws_security_group.quicksight.id
  ip_protocol                  = "tcp"
  from_port                    = var.warehouse_port
  to_port                      = var.warehouse_port
}

resource "aws_vpc_security_group_egress_rule" "warehouse_to_quicksight" {
  security_group_id            = aws_security_group.warehouse.id
  description                  = "Replies to QuickSight"
  referenced_security_group_id = aws_security_group.quicksight.id
  ip_protocol                  = "tcp"
  from_port                    = 0
  to_port                      = 65535
}

# Enhanced VPC routing sends COPY's reads of the curated bucket through the VPC: out to S3 by
# the gateway endpoint's prefix list, and nowhere else.
resource "aws_vpc_security_group_egress_rule" "warehouse_to_s3" {
  security_group_id = aws_security_group.warehouse.id
  description       = "COPY from the curated bucket through the S3 gateway endpoint"
  prefix_list_id    = aws_vpc_endpoint.gateway["s3"].prefix_list_id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "quicksight_to_warehouse" {
  security_group_id            = aws_security_group.quicksight.id
  description                  = "QuickSight to Redshift"
  referenced_security_group_id = aws_security_group.warehouse.id
  ip_protocol                  = "tcp"
  from_port                    = var.warehouse_port
  to_port                      = var.warehouse_port
}

resource "aws_vpc_security_group_ingress_rule" "quicksight_from_warehouse" {
  # checkov:skip=CKV_AWS_24: the source is the warehouse's security group, not 0.0.0.0/0; QuickSight's interfaces are not stateful and AWS documents this all-TCP rule from the data source's group
  # checkov:skip=CKV_AWS_25: the source is the warehouse's security group, not 0.0.0.0/0 (see CKV_AWS_24)
  # checkov:skip=CKV_AWS_260: the source is the warehouse's security group, not 0.0.0.0/0 (see CKV_AWS_24)
  security_group_id            = aws_security_group.quicksight.id
  description                  = "Replies from Redshift"
  referenced_security_group_id = aws_security_group.warehouse.id
  ip_protocol                  = "tcp"
  from_port                    = 0
  to_port                      = 65535
}

# Flow logs: every accepted and rejected connection, kept in an encrypted log group.
resource "aws_cloudwatch_log_group" "flow" {
  name              = "/shopsync/${var.name}/vpc-flow-logs"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

data "aws_iam_policy_document" "flow_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ec2:${local.region}:${data.aws_caller_identity.current.account_id}:vpc-flow-log/*"]
    }
  }
}

resource "aws_iam_role" "flow" {
  name               = "${var.name}-flow-logs"
  assume_role_policy = data.aws_iam_policy_document.flow_assume.json
}

data "aws_iam_policy_document" "flow" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.flow.arn}:*"]
  }
}

resource "aws_iam_role_policy" "flow" {
  name   = "flow-logs"
  role   = aws_iam_role.flow.id
  policy = data.aws_iam_policy_document.flow.json
}

resource "aws_flow_log" "this" {
  vpc_id          = aws_vpc.this.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow.arn
  iam_role_arn    = aws_iam_role.flow.arn
}
