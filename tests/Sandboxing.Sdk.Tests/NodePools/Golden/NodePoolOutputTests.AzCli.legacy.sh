# Sandboxing.Sdk: AKS node pool 'katalegacy' for Pod Sandboxing (Kata VM isolation).
# KataMshvVmIsolation is the deprecated preview runtime: it needs the aks-preview extension (az extension add --name aks-preview)
# and the KataVMIsolationPreview feature. Prefer --workload-runtime KataVmIsolation.
az aks nodepool add \
  --resource-group myResourceGroup \
  --cluster-name myAKSCluster \
  --name katalegacy \
  --mode User \
  --os-type Linux \
  --os-sku AzureLinux \
  --node-vm-size Standard_D4s_v3 \
  --workload-runtime KataMshvVmIsolation \
  --node-count 2

# Then update the cluster, as the AKS docs do after adding a Pod Sandboxing pool to an existing cluster.
az aks update \
  --resource-group myResourceGroup \
  --name myAKSCluster
