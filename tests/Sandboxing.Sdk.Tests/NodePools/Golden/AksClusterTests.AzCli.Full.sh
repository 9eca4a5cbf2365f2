# Sandboxing.Sdk: AKS cluster 'sandbox-aks' with Pod Sandboxing from the start (Kata VM isolation).
# Needs Azure CLI 2.80.0 or later (learn.microsoft.com/azure/aks/use-pod-sandboxing).
# Encryption at host needs the subscription feature: az feature register --namespace Microsoft.Compute --name EncryptionAtHost
az aks create \
  --resource-group sandbox-rg \
  --name sandbox-aks \
  --location westeurope \
  --subscription 11111111-2222-3333-4444-555555555555 \
  --dns-name-prefix sandbox-aks \
  --kubernetes-version 1.35 \
  --nodepool-name system \
  --os-sku AzureLinux \
  --node-vm-size Standard_D4s_v5 \
  --workload-runtime KataVmIsolation \
  --node-count 3 \
  --network-plugin azure \
  --network-plugin-mode overlay \
  --network-policy cilium \
  --network-dataplane cilium \
  --pod-cidr 10.244.0.0/16 \
  --service-cidr 10.0.0.0/16 \
  --dns-service-ip 10.0.0.10 \
  --enable-oidc-issuer \
  --enable-workload-identity \
  --enable-aad \
  --enable-azure-rbac \
  --aad-admin-group-object-ids 0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9 \
  --disable-local-accounts \
  --node-osdisk-diskencryptionset-id /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/keys-rg/providers/Microsoft.Compute/diskEncryptionSets/aks-des \
  --enable-encryption-at-host \
  --generate-ssh-keys

# Sandboxing.Sdk: AKS node pool 'tenants' for Pod Sandboxing (Kata VM isolation).
# Needs Azure CLI 2.80.0 or later and Kubernetes 1.27.0 or later (learn.microsoft.com/azure/aks/use-pod-sandboxing).
az aks nodepool add \
  --resource-group sandbox-rg \
  --cluster-name sandbox-aks \
  --name tenants \
  --subscription 11111111-2222-3333-4444-555555555555 \
  --mode User \
  --os-type Linux \
  --os-sku AzureLinux \
  --node-vm-size Standard_D8s_v5 \
  --workload-runtime KataVmIsolation \
  --enable-cluster-autoscaler \
  --min-count 1 \
  --max-count 10 \
  --node-count 1 \
  --labels workload=tenant \
  --node-taints sandboxing.sdk/runtime=kata:NoSchedule \
  --enable-encryption-at-host
