# Sandboxing.Sdk: AKS node pool "kata" for Pod Sandboxing (Kata VM isolation).
# Written for hashicorp/azurerm 5.x (>= 5.0.0, < 6.0.0): 5.0.0 requires node_provisioning_profile on the cluster,
# and workload_runtime = "KataVmIsolation" needs 4.78.0 or later (changelog: "add support KataVmIsolation for
# workload_runtime", PR #32579).

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
  resource_group_name = "rg.(prod)-1"
}

resource "azurerm_kubernetes_cluster_node_pool" "kata" {
  name                  = "kata"
  kubernetes_cluster_id = data.azurerm_kubernetes_cluster.cluster.id
  vm_size               = "Standard_D4s_v5"
  mode                  = "User"
  os_type               = "Linux"
  os_sku                = "AzureLinux"
  workload_runtime      = "KataVmIsolation"
  auto_scaling_enabled  = false
  node_count            = 1
  fips_enabled          = false

  node_labels = {
    "note" = "a.b_c-d"
  }

  tags = {
    "[bracket"     = "[starts with a bracket]"
    "owner's team" = "$(touch /tmp/pwned) `id` \"quoted\" it's $${x} %%{y} \\ [not-an-expression]"
  }
}
