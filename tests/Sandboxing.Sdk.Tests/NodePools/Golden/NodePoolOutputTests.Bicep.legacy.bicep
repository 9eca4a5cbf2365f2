// Sandboxing.Sdk: AKS node pool 'katalegacy' for Pod Sandboxing (Kata VM isolation).
// Deploy into the cluster's resource group: az deployment group create --resource-group myResourceGroup --template-file <this file>

resource cluster 'Microsoft.ContainerService/managedClusters@2026-05-02-preview' existing = {
  name: 'myAKSCluster'
}

resource pool 'Microsoft.ContainerService/managedClusters/agentPools@2026-05-02-preview' = {
  parent: cluster
  name: 'katalegacy'
  properties: {
    mode: 'User'
    osType: 'Linux'
    osSKU: 'AzureLinux'
    vmSize: 'Standard_D4s_v3'
    workloadRuntime: 'KataMshvVmIsolation'
    enableAutoScaling: false
    count: 2
    enableFIPS: false
  }
}
