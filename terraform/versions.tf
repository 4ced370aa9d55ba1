terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 7.0"
    }
  }

  # Partial configuration: `terraform init -backend-config=...` supplies bucket, key and region.
  backend "s3" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project = "shopsync"
      stage   = var.stage
    }
  }
}
