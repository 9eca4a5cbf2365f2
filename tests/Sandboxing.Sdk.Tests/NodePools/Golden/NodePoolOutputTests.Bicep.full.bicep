// Sandboxing.Sdk: AKS node pool 'kata2' for Pod Sandboxing (Kata VM isolation).
// Deploy into the cluster's resource group: az deployment group create --resource-group rg-platform --template-file <this file>

resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' existing = {
  name: 'prod-aks_01'
}

resource pool 'Microsoft.ContainerService/managedClusters/agentPools@2026-08-01' = {
  parent: cluster
  name: 'kata2'
  properties: {
    mode: 'User'
    osType: 'Linux'
    osSKU: 'AzureLinux3'
    vmSize: 'Standard_E8s_v5'
    workloadRuntime: 'KataVmIsolation'
    enableAutoScaling: true
    count: 2
    minCount: 1
    maxCount: 10
    availabilityZones: [
      '1'
      '2'
      '3'
    ]
    nodeLabels: {
      'sandboxing.sdk/tier': 'untrusted'
      workload: 'sandbox'
    }
    nodeTaints: [
      'sandboxing.sdk/runtime=kata:NoSchedule'
      'dedicated=tenants:NoExecute'
    ]
    maxPods: 30
    osDiskType: 'Ephemeral'
    osDiskSizeGB: 128
    orchestratorVersion: '1.35'
    vnetSubnetID: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes'
    podSubnetID: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pods'
    enableFIPS: false
    tags: {
      'cost-center': '42'
      owner: 'platform-team'
    }
  }
}
