# One Secrets Manager secret per tenant, named by the tenant file's auth.secret.
# Terraform creates the secret, never its value: put {"access_token": "..."} or
# {"client_id": "...", "client_secret": "..."} with `aws secretsmanager put-secret-value`.

resource "aws_secretsmanager_secret" "tenant" {
  for_each                = var.secret_names
  name                    = each.value
  description             = "Shopify credentials of shopsync tenant ${each.key}"
  recovery_window_in_days = var.recovery_window_in_days

  tags = {
    tenant_id = each.key
  }
}
