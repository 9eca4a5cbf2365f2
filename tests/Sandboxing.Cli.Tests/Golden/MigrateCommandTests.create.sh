az aks create \
  --name myAKSCluster \
  --resource-group myResourceGroup \
  --os-sku AzureLinux \
  --workload-runtime KataVmIsolation \
  --node-vm-size Standard_D4s_v3 \
  --node-count 1
