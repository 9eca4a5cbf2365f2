# Sandboxing.Sdk: AKS node pool "kata2" for Pod Sandboxing (Kata VM isolation).
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
  name                = "prod-aks_01"
  resource_group_name = "rg-platform"
}

resource "azurerm_kubernetes_cluster_node_pool" "kata2" {
  name                  = "kata2"
  kubernetes_cluster_id = data.azurerm_kubernetes_cluster.cluster.id
  vm_size               = "Standard_E8s_v5"
  mode                  = "User"
  os_type               = "Linux"
  os_sku                = "AzureLinux3"
  workload_runtime      = "KataVmIsolation"
  auto_scaling_enabled  = true
  node_count            = 2
  min_count             = 1
  max_count             = 10
  zones                 = ["1", "2", "3"]
  max_pods              = 30
  os_disk_type          = "Ephemeral"
  os_disk_size_gb       = 128
  orchestrator_version  = "1.35"
  vnet_subnet_id        = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes"
  pod_subnet_id         = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pods"
  fips_enabled          = false

  node_taints = [
    "sandboxing.sdk/runtime=kata:NoSchedule",
    "dedicated=tenants:NoExecute",
  ]

  node_labels = {
    "sandboxing.sdk/tier" = "untrusted"
    "workload"            = "sandbox"
  }

  tags = {
    "cost-center" = "42"
    "owner"       = "platform-team"
  }
}
