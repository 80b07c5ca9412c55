locals {
  project = "stella-maris"
}

module "labels" {
  source  = "../../modules/labels"
  project = local.project
  extra   = { Team = "platform" }
}

resource "hcloud_firewall" "ssh" {
  name   = "${local.project}-ssh"
  labels = module.labels.labels

  rule {
    direction  = "in"
    protocol   = "tcp"
    port       = "22"
    source_ips = ["10.0.0.0/8"]
  }
}

resource "time_offset" "rotation" {
  offset_days = 90
}

resource "terraform_data" "marker" {
  input = time_offset.rotation.rfc3339
}
