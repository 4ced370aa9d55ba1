# The production stack (the deploy workflow's vars.STAGE = prod). Region comes from the
# workflow (vars.AWS_REGION). Every variable is described in ../variables.tf.
stage = "prod"

# Who sees what in QuickSight: group => QuickSight user names. Tenant groups come from the
# tenant files (quicksight.groups); the admin group sees every store.
quicksight_group_members = {
  # "shopsync-admins" = ["ops-lead"]
  # "acme-analysts"   = ["jane.doe"]
}

# Bring your own network instead of creating one (then allowlist your NAT's address):
# existing_network = {
#   vpc_id                        = "vpc-..."
#   private_subnet_ids            = ["subnet-...", "subnet-...", "subnet-..."]
#   lambda_security_group_ids     = ["sg-..."]
#   warehouse_security_group_ids  = ["sg-..."]
#   quicksight_security_group_ids = ["sg-..."]
# }
