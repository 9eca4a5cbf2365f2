// The multi-tenant platform sample: a platform team onboards tenants onto one AKS cluster with Pod Sandboxing. Each tenant gets its
// isolation bundle (namespace with Pod Security restricted, default-deny NetworkPolicies with DNS to cluster DNS only, quota and
// container defaults, a token-less ServiceAccount with Workload ID, optionally a customer-key StorageClass), and its jobs are made
// for it with ForTenant / WithWorkloadIdentity, so namespace, account, labels and tolerations agree with the bundle. The sample
// checks everything (SandboxValidator and TenantIsolation.ValidateYaml) and prints, or with --out writes, the cluster and the manifests.
using k8s.Models;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

string? outDir = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
if (args.Contains("-h") || args.Contains("--help"))
{
    Console.WriteLine("usage: dotnet run --project samples/MultiTenantPlatform [-- --out <folder>]");
    return 0;
}

// The cluster: a Kata-capable System pool and a tainted Kata pool for tenant jobs; Cilium enforces the NetworkPolicies.
AksNodePool tenantPool = AksNodePool.ForSandboxing("tenants")
    .InCluster("platform-aks", "platform-rg")
    .WithVmSize("Standard_D8s_v5")
    .WithAutoscaling(min: 1, max: 10)
    .WithNodeTaint(AksNodeTaint.SandboxDefault)
    .WithEncryptionAtHost()
    .Build();
AksCluster cluster = AksCluster.ForSandboxing("platform-aks", "platform-rg", "westeurope")
    .WithNodePool(tenantPool)
    .WithNetwork(podCidr: "10.244.0.0/16", serviceCidr: "10.0.0.0/16", dnsServiceIp: "10.0.0.10")
    .WithEncryptionAtHost()
    .Build();

// The tenants: the platform's onboarding table (in a real platform, a database or a CRD).
var requests = new[]
{
    new TenantRequest("acme", Internet: true, ClientId: "6f1d2c3b-4a59-4e8f-9a7b-1c2d3e4f5a6b", OperatorsGroup: "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9",
        DiskEncryptionSet: "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/keys-rg/providers/Microsoft.Compute/diskEncryptionSets/acme-des"),
    new TenantRequest("globex", Internet: false, ClientId: null, OperatorsGroup: null, DiskEncryptionSet: null),
};

var manifests = new List<object>();
int findings = 0;
foreach (var request in requests)
{
    var builder = TenantIsolation.For(request.Name)
        .WithClusterNetworks(cluster.PodCidr!, cluster.ServiceCidr!)
        .WithIngressFromNamespace("ingress-nginx", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ingress-nginx" }, 8080)
        .WithQuota(cpu: "16", memory: "32Gi", pods: 40, storage: "200Gi")
        .WithContainerDefaults(memory: "1Gi", cpu: "1")
        .WithPodTolerations(tenantPool.PodTolerations);
    if (request.Internet)
    {
        builder.WithInternetEgress();
    }

    if (request.ClientId is { } clientId)
    {
        builder.WithWorkloadIdentity(clientId);
    }

    if (request.OperatorsGroup is { } group)
    {
        builder.WithOperators(group, TenantOperatorRole.View);
    }

    if (request.DiskEncryptionSet is { } des)
    {
        builder.WithEncryptedStorage(des).WithCustomerManagedKeyRequired();
    }

    TenantIsolation tenant = builder.Build();

    // The tenant's job, made for the bundle: its namespace, its account (with Workload ID when the tenant has it), its labels.
    var job = Sandboxed.Job("nightly-report").WithContainer("report", "ghcr.io/acme/report:3.1", c => c.WithResources(cpu: "1", memory: "2Gi"));
    V1Job built = (request.ClientId is null ? job.ForTenant(tenant) : job.WithWorkloadIdentity(tenant))
        .WithBackoffLimit(1)
        .WithTtlAfterFinished(TimeSpan.FromHours(1))
        .Build();

    var tenantFindings = tenant.Validate(built);
    findings += tenantFindings.Count;
    Console.WriteLine($"# tenant {tenant.Name}: egress {tenant.EgressMode}, {tenant.NetworkPolicies.Count} NetworkPolicies, " +
        $"{(tenant.WorkloadIdentityClientId is null ? "no Workload ID" : "Workload ID")}, {tenantFindings.Count} findings");
    foreach (var finding in tenantFindings)
    {
        Console.WriteLine($"#   {finding}");
    }

    manifests.Add(tenant);
    manifests.Add(built);
}

string yaml = SandboxManifest.ToYaml([.. manifests]);
Console.WriteLine();
Console.WriteLine("# Cluster (az CLI)");
Console.Write(cluster.ToAzCli());
Console.WriteLine();
Console.WriteLine("# Tenants and their jobs");
Console.Write(yaml);

if (outDir is not null)
{
    Directory.CreateDirectory(outDir);
    foreach (var (file, text) in new[] { ("cluster.bicep", cluster.ToBicep()), ("cluster.tf", cluster.ToTerraform()), ("tenants.yaml", yaml) })
    {
        File.WriteAllText(Path.Combine(outDir, file), text);
        Console.Error.WriteLine($"wrote {Path.Combine(outDir, file)}");
    }
}

// A platform check in CI: the manifests it writes must be clean.
return findings == 0 && TenantIsolation.ValidateYaml(yaml).Count == 0 ? 0 : 1;

/// <summary>What a tenant asks the platform for.</summary>
internal sealed record TenantRequest(string Name, bool Internet, string? ClientId, string? OperatorsGroup, string? DiskEncryptionSet);
