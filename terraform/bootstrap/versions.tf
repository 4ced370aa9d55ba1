terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 7.0"
    }
  }
  # Local state: the bootstrap makes the bucket every other state lives in.
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project = "shopsync"
      stage   = "bootstrap"
    }
  }
}
