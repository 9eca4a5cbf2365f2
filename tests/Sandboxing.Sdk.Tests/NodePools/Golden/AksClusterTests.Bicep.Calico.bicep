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
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        type: 'VirtualMachineScaleSets'
        osType: 'Linux'
        osSKU: 'AzureLinux'
        vmSize: 'Standard_D4s_v5'
        workloadRuntime: 'KataVmIsolation'
        count: 2
        enableAutoScaling: false
        enableFIPS: false
        enableEncryptionAtHost: false
      }
    ]
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      networkPolicy: 'calico'
      networkDataplane: 'azure'
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
    }
    disableLocalAccounts: true
  }
}

output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL
