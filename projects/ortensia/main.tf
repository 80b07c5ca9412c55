locals {
  project = "ortensia"
}

module "network" {
  source   = "../../modules/network"
  project  = local.project
  ip_range = "10.20.0.0/16"
}

module "labels" {
  source  = "../../modules/labels"
  project = local.project
}

resource "hcloud_placement_group" "workers" {
  for_each = toset(["a", "b"])
  name     = "${local.project}-workers-${each.key}"
  type     = "spread"
  labels   = module.labels.labels
}

resource "terraform_data" "release" {
  input = "ortensia-v1"
}
