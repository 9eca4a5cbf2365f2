# Sandboxing.Sdk: AKS node pool "katalegacy" for Pod Sandboxing (Kata VM isolation).
# workload_runtime = "KataVmIsolation" needs hashicorp/azurerm 4.78.0 or later (its changelog: "add support
# KataVmIsolation for workload_runtime", PR #32579); earlier releases reject the value (issues #30317, #31665).
# KataMshvVmIsolation is the deprecated preview runtime; azurerm 4.x rejects it. Prefer KataVmIsolation.

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.78.0"
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
