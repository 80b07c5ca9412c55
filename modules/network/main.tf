# A private network with one subnet. Uses modules/labels, so a change there reaches every
# project that uses this module (a module used through another module).
terraform {
  required_providers {
    hcloud = {
      source = "hetznercloud/hcloud"
    }
  }
}

variable "project" {
  type = string
}

variable "ip_range" {
  type = string
}

variable "network_zone" {
  type    = string
  default = "eu-central"
}

module "labels" {
  source  = "../labels"
  project = var.project
  extra   = { Tier = "network" }
}

resource "hcloud_network" "this" {
  name     = "${var.project}-net"
  ip_range = var.ip_range
  labels   = module.labels.labels
}

resource "hcloud_network_subnet" "this" {
  network_id   = hcloud_network.this.id
  type         = "cloud"
  network_zone = var.network_zone
  ip_range     = cidrsubnet(var.ip_range, 8, 1)
}

output "network_id" {
  value = hcloud_network.this.id
}
