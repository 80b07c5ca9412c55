terraform {
  required_version = ">= 1.6"
  required_providers {
    hcloud = {
      source  = "hetznercloud/hcloud"
      version = "1.68.0"
    }
    time = {
      source  = "hashicorp/time"
      version = "0.14.2"
    }
  }
}

# The hcloud provider plans offline: configuring it makes no API call, it only checks that the
# token has 64 characters. Real deployments pass a real token (HCLOUD_TOKEN or -var).
variable "hcloud_token" {
  type      = string
  sensitive = true
  default   = "0000000000000000000000000000000000000000000000000000000000000000"
}

variable "hcloud_endpoint" {
  type    = string
  default = "https://api.hetzner.cloud/v1"
}

provider "hcloud" {
  token    = var.hcloud_token
  endpoint = var.hcloud_endpoint
}
