# Sandboxing.Sdk: AKS cluster "sandbox-aks" with Pod Sandboxing from the start (Kata VM isolation).
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

provider "azurerm" {
  features {}
  subscription_id = "11111111-2222-3333-4444-555555555555"
}

resource "azurerm_kubernetes_cluster" "sandbox-aks" {
  name                      = "sandbox-aks"
  location                  = "westeurope"
  resource_group_name       = "sandbox-rg"
  dns_prefix                = "sandbox-aks"
  kubernetes_version        = "1.35"
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
  local_account_disabled    = true
  disk_encryption_set_id    = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/keys-rg/providers/Microsoft.Compute/diskEncryptionSets/aks-des"

  default_node_pool {
    name                    = "system"
    vm_size                 = "Standard_D4s_v5"
    os_sku                  = "AzureLinux"
    workload_runtime        = "KataVmIsolation"
    node_count              = 3
    auto_scaling_enabled    = false
    host_encryption_enabled = true
    fips_enabled            = false
  }

  node_provisioning_profile {
    mode = "Manual"
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_policy      = "cilium"
    network_data_plane  = "cilium"
    pod_cidr            = "10.244.0.0/16"
    service_cidr        = "10.0.0.0/16"
    dns_service_ip      = "10.0.0.10"
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    admin_group_object_ids = ["0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"]
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "tenants" {
  name                    = "tenants"
  kubernetes_cluster_id   = azurerm_kubernetes_cluster.sandbox-aks.id
  vm_size                 = "Standard_D8s_v5"
  os_sku                  = "AzureLinux"
  workload_runtime        = "KataVmIsolation"
  node_count              = 1
  auto_scaling_enabled    = true
  mode                    = "User"
  min_count               = 1
  max_count               = 10
  host_encryption_enabled = true
  fips_enabled            = false
  node_labels             = { "workload" = "tenant" }
  node_taints = ["sandboxing.sdk/runtime=kata:NoSchedule"]
}
