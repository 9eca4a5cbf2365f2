# Sandboxing.Sdk: AKS node pool "katalegacy" for Pod Sandboxing (Kata VM isolation).
# Written for hashicorp/azurerm 5.x (>= 5.0.0, < 6.0.0): 5.0.0 requires node_provisioning_profile on the cluster,
# and workload_runtime = "KataVmIsolation" needs 4.78.0 or later (changelog: "add support KataVmIsolation for
# workload_runtime", PR #32579).
# KataMshvVmIsolation is the deprecated preview runtime; azurerm rejects it. Prefer KataVmIsolation.

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 5.0.0, < 6.0.0"
    }
  }
}

data "azurerm_kubernetes_cluster" "cluster" {
  name                = "myAKSCluster"
  resource_group_name = "myResourceGroup"
}

resource "azurerm_kubernetes_cluster_node_pool" "katalegacy" {
  name                  = "katalegacy"
  kubernetes_cluster_id = data.azurerm_kubernetes_cluster.cluster.id
  vm_size               = "Standard_D4s_v3"
  mode                  = "User"
  os_type               = "Linux"
  os_sku                = "AzureLinux"
  workload_runtime      = "KataMshvVmIsolation"
  auto_scaling_enabled  = false
  node_count            = 2
  fips_enabled          = false
}
