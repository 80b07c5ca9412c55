# Shared label set: every taggable resource carries Project = <project name>.
variable "project" {
  type        = string
  description = "Name of the tfgate project the resources belong to."
}

variable "extra" {
  type        = map(string)
  default     = {}
  description = "Additional labels."
}

output "labels" {
  value = merge(var.extra, {
    Project   = var.project
    ManagedBy = "tfgate"
  })
}
