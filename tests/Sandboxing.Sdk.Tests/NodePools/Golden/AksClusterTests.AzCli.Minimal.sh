# Sandboxing.Sdk: AKS cluster 'sandbox-aks' with Pod Sandboxing from the start (Kata VM isolation).
# Needs Azure CLI 2.80.0 or later (learn.microsoft.com/azure/aks/use-pod-sandboxing).
az aks create \
  --resource-group sandbox-rg \
  --name sandbox-aks \
  --location westeurope \
  --dns-name-prefix sandbox-aks \
  --nodepool-name system \
  --os-sku AzureLinux \
  --node-vm-size Standard_D4s_v5 \
  --workload-runtime KataVmIsolation \
  --node-count 2 \
  --network-plugin azure \
  --network-plugin-mode overlay \
  --network-policy cilium \
  --network-dataplane cilium \
  --enable-oidc-issuer \
  --enable-workload-identity \
  --enable-aad \
  --enable-azure-rbac \
  --disable-local-accounts \
  --generate-ssh-keys
