# One web application, deployed once per environment (projects/web/<environment>).
variable "environment" {
  type = string
}

variable "replicas" {
  type = number
}

resource "terraform_data" "release" {
  input = {
    environment = var.environment
    replicas    = var.replicas
    workspace   = terraform.workspace
  }
}

output "release" {
  value = terraform_data.release.output
}
