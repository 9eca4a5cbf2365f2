// Sandboxing.Sdk: AKS node pool 'kata' for Pod Sandboxing (Kata VM isolation).
// Deploy into the cluster's resource group: az deployment group create --resource-group rg.(prod)-1 --template-file <this file>

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
    nodeLabels: {
      note: 'a.b_c-d'
    }
    enableFIPS: false
    tags: {
      '[bracket': '[starts with a bracket]'
      'owner\'s team': '$(touch /tmp/pwned) `id` "quoted" it\'s \${x} %{y} \\ [not-an-expression]'
    }
  }
}
