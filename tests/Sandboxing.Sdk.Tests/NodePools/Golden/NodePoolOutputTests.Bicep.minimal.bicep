// Sandboxing.Sdk: AKS node pool 'kata' for Pod Sandboxing (Kata VM isolation).
// Deploy into the cluster's resource group: az deployment group create --resource-group myResourceGroup --template-file <this file>

resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' existing = {
  name: 'myAKSCluster'
}

resource pool 'Microsoft.ContainerService/managedClusters/agentPools@2026-08-01' = {
  parent: cluster
  name: 'kata'
  properties: {
    mode: 'User'
    osType: 'Linux'
    osSKU: 'AzureLinux'
    vmSize: 'Standard_D4s_v5'
    workloadRuntime: 'KataVmIsolation'
    enableAutoScaling: false
    count: 1
    enableFIPS: false
  }
}
