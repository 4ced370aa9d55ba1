# Where the functions, the warehouse and QuickSight's VPC connection run: the network module's
# VPC (default), or an existing network brought in through var.existing_network.

module "network" {
  source      = "./modules/network"
  count       = var.existing_network == null ? 1 : 0
  name        = local.name
  cidr_block  = var.vpc_cidr
  kms_key_arn = module.encryption.key_arn
}

locals {
  network = var.existing_network != null ? var.existing_network : {
    vpc_id                        = module.network[0].vpc_id
    private_subnet_ids            = module.network[0].private_subnet_ids
    lambda_security_group_ids     = [module.network[0].lambda_security_group_id]
    warehouse_security_group_ids  = [module.network[0].warehouse_security_group_id]
    quicksight_security_group_ids = [module.network[0].quicksight_security_group_id]
  }
}
