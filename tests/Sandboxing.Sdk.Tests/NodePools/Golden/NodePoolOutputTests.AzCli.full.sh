# Sandboxing.Sdk: AKS node pool 'kata2' for Pod Sandboxing (Kata VM isolation).
# Needs Azure CLI 2.80.0 or later and Kubernetes 1.27.0 or later (learn.microsoft.com/azure/aks/use-pod-sandboxing).
az aks nodepool add \
  --resource-group rg-platform \
  --cluster-name prod-aks_01 \
  --name kata2 \
  --subscription 00000000-1111-2222-3333-444444444444 \
  --mode User \
  --os-type Linux \
  --os-sku AzureLinux3 \
  --node-vm-size Standard_E8s_v5 \
  --workload-runtime KataVmIsolation \
  --enable-cluster-autoscaler \
  --min-count 1 \
  --max-count 10 \
  --node-count 2 \
  --zones 1 2 3 \
  --labels sandboxing.sdk/tier=untrusted workload=sandbox \
  --node-taints sandboxing.sdk/runtime=kata:NoSchedule,dedicated=tenants:NoExecute \
  --max-pods 30 \
  --node-osdisk-type Ephemeral \
  --node-osdisk-size 128 \
  --kubernetes-version 1.35 \
  --vnet-subnet-id /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes \
  --pod-subnet-id /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pods \
  --tags cost-center=42 owner=platform-team

# Then update the cluster, as the AKS docs do after adding a Pod Sandboxing pool to an existing cluster.
az aks update \
  --resource-group rg-platform \
  --name prod-aks_01 \
  --subscription 00000000-1111-2222-3333-444444444444
