# Sandboxing.Sdk: AKS node pool 'kata' for Pod Sandboxing (Kata VM isolation).
# Needs Azure CLI 2.80.0 or later and Kubernetes 1.27.0 or later (learn.microsoft.com/azure/aks/use-pod-sandboxing).
az aks nodepool add \
  --resource-group 'rg.(prod)-1' \
  --cluster-name myAKSCluster \
  --name kata \
  --mode User \
  --os-type Linux \
  --os-sku AzureLinux \
  --node-vm-size Standard_D4s_v5 \
  --workload-runtime KataVmIsolation \
  --node-count 1 \
  --labels note=a.b_c-d \
  --tags '[bracket=[starts with a bracket]' 'owner'\''s team=$(touch /tmp/pwned) `id` "quoted" it'\''s ${x} %{y} \ [not-an-expression]'

# Then update the cluster, as the AKS docs do after adding a Pod Sandboxing pool to an existing cluster.
az aks update \
  --resource-group 'rg.(prod)-1' \
  --name myAKSCluster
