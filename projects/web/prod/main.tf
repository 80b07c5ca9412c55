# The web application's prod environment: the shared module, with this directory's var file
# (tfgate.yaml names it: var_files) and workspace.
variable "environment" {
  type = string
}

variable "replicas" {
  type = number
}

module "app" {
  source      = "../../../modules/web-app"
  environment = var.environment
  replicas    = var.replicas
}
