// Sandboxing.Sdk: AKS cluster 'sandbox-aks' with Pod Sandboxing from the start (Kata VM isolation).
// Deploy: az deployment group create --resource-group sandbox-rg --template-file <this file>

resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' = {
  name: 'sandbox-aks'
  location: 'westeurope'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'sandbox-aks'
    kubernetesVersion: '1.35'
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        type: 'VirtualMachineScaleSets'
        osType: 'Linux'
        osSKU: 'AzureLinux'
        vmSize: 'Standard_D4s_v5'
        workloadRuntime: 'KataVmIsolation'
        count: 3
        enableAutoScaling: false
        enableFIPS: false
        enableEncryptionAtHost: true
      }
      {
        name: 'tenants'
        mode: 'User'
        type: 'VirtualMachineScaleSets'
        osType: 'Linux'
        osSKU: 'AzureLinux'
        vmSize: 'Standard_D8s_v5'
        workloadRuntime: 'KataVmIsolation'
        count: 1
        enableAutoScaling: true
        minCount: 1
        maxCount: 10
        nodeLabels: {
          workload: 'tenant'
        }
        nodeTaints: [
          'sandboxing.sdk/runtime=kata:NoSchedule'
        ]
        enableFIPS: false
        enableEncryptionAtHost: true
      }
    ]
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      networkPolicy: 'cilium'
      networkDataplane: 'cilium'
      podCidr: '10.244.0.0/16'
      serviceCidr: '10.0.0.0/16'
      dnsServiceIP: '10.0.0.10'
    }
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: {
      workloadIdentity: {
        enabled: true
      }
    }
    aadProfile: {
      managed: true
      enableAzureRBAC: true
      adminGroupObjectIDs: [
        '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9'
      ]
    }
    disableLocalAccounts: true
    diskEncryptionSetID: '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/keys-rg/providers/Microsoft.Compute/diskEncryptionSets/aks-des'
  }
}

output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL
