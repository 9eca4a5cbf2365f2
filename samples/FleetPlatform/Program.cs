using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

// One policy, two engines. The admission policies sandbox Pods by default and refuse the rest; operators exempt workloads in one
// ConfigMap on the hub, which the placement carries to every member cluster.
var policy = SandboxPolicy.DefaultToSandbox()
    .WithExemptionConfigMap("sandboxing-system")
    .WithExemptGroups("platform-ops");

// Fleet Manager: apply to the hub (kubectl --context hub apply -f fleet.yaml). Label the member clusters
// sandboxing.sdk/mutating-admission-policy=v1 (Kubernetes 1.36+) or v1beta1 (1.34-1.35) to give them the mutating policy.
var fleet = SandboxFleet.For(policy)
    .WithClusterLabel("env", "prod")
    .WithTenants(TenantIsolation.For("tenant-a").Build(), TenantIsolation.For("tenant-b").WithInternetEgress().Build());

Console.WriteLine("# Fleet Manager hub: placements and what they place");
Console.Write(fleet.ToYaml());

// Azure Policy for Kubernetes: the same rules for every AKS cluster under a management group (az deployment mg create).
Console.WriteLine();
Console.WriteLine("// Azure Policy for Kubernetes (Bicep, management group)");
Console.Write(fleet.ToAzurePolicyBicep());
