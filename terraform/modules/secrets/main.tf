# The secrets Terraform makes. One per tenant, named by the tenant file's auth.secret: Terraform
# creates the secret, never its value (put {"access_token": "..."} or
# {"client_id": "...", "client_secret": "..."} with `aws secretsmanager put-secret-value`).
# And the read-only reporting user's {"username", "password"}, which QuickSight signs in with.

resource "aws_secretsmanager_secret" "tenant" {
  # checkov:skip=CKV2_AWS_57: a Shopify Admin API token is issued by the store's app install, not by AWS: a rotation function cannot mint one. Client-credentials secrets are exchanged for short-lived tokens on every run
  for_each                = var.secret_names
  kms_key_id              = var.kms_key_arn
  name                    = each.value
  description             = "Shopify credentials of shopsync tenant ${each.key}"
  recovery_window_in_days = var.recovery_window_in_days

  tags = {
    tenant_id = each.key
  }
}

# The reporting user's password: Secrets Manager generates it (no random provider), once. The
# data source draws a new one on every plan, so the version ignores later draws: the password
# stays what the first apply stored. Redshift's clear-text rules: 8-64 characters, upper, lower
# and a digit.
data "aws_secretsmanager_random_password" "reporting" {
  password_length            = 40
  exclude_punctuation        = true
  require_each_included_type = true
}

resource "aws_secretsmanager_secret" "reporting" {
  # checkov:skip=CKV2_AWS_57: the load job sets this password on the database user at every reporting refresh; rotating it in Secrets Manager alone would lock QuickSight out until the next load. Rotate by putting a new value and running a load
  name                    = var.reporting_secret_name
  description             = "Read-only Redshift user ${var.reporting_username} that QuickSight connects as"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "reporting" {
  secret_id = aws_secretsmanager_secret.reporting.id
  secret_string = jsonencode({
    username = var.reporting_username
    password = data.aws_secretsmanager_random_password.reporting.random_password
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}
