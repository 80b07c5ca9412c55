locals {
  project = "kirare"
}

module "network" {
  source   = "../../modules/network"
  project  = local.project
  ip_range = "10.10.0.0/16"
}

module "labels" {
  source  = "../../modules/labels"
  project = local.project
}

resource "hcloud_firewall" "web" {
  name   = "${local.project}-web"
  labels = module.labels.labels

  rule {
    direction  = "in"
    protocol   = "tcp"
    port       = "443"
    source_ips = ["0.0.0.0/0", "::/0"]
  }
}

resource "time_static" "created" {}

output "network_id" {
  value = module.network.network_id
}
