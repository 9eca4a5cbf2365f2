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
}

resource "azurerm_kubernetes_cluster" "sandbox-aks" {
  name                      = "sandbox-aks"
  location                  = "westeurope"
  resource_group_name       = "sandbox-rg"
  dns_prefix                = "sandbox-aks"
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
  local_account_disabled    = true

  default_node_pool {
    name                    = "system"
    vm_size                 = "Standard_D4s_v5"
    os_sku                  = "AzureLinux"
    workload_runtime        = "KataVmIsolation"
    node_count              = 2
    auto_scaling_enabled    = false
    host_encryption_enabled = false
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
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = true
  }
}
