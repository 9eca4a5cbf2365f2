namespace Sandboxing.Sdk.Aks;

// The fluent builder of a pool.
public sealed partial class AksNodePool
{
    /// <summary>Builds an <see cref="AksNodePool"/>. Setters record values; <see cref="Build"/> checks them all and reports every problem at once.</summary>
    public sealed class Builder
    {
        private readonly NodePoolSpec _spec;
        private bool _built;

        internal Builder(string name) => _spec = new NodePoolSpec(name);

        /// <summary>The recorded values (for the readers of az and ARM input).</summary>
        internal NodePoolSpec Spec => _spec;

        /// <summary>Places the pool in a cluster.</summary>
        /// <param name="clusterName">The AKS cluster name.</param>
        /// <param name="resourceGroup">The cluster's resource group.</param>
        /// <param name="subscriptionId">The subscription ID (a GUID), or null for the caller's current one.</param>
        public Builder InCluster(string clusterName, string resourceGroup, string? subscriptionId = null)
        {
            Mutable.ClusterName = clusterName;
            _spec.ResourceGroup = resourceGroup;
            _spec.SubscriptionId = subscriptionId;
            return this;
        }

        /// <summary>Sets the VM size, for example <c>Standard_D4s_v5</c>: Generation 2 with nested virtualization (see <see cref="VmSizes"/>).</summary>
        public Builder WithVmSize(string vmSize)
        {
            Mutable.VmSize = vmSize;
            return this;
        }

        /// <summary>Sets a fixed node count (default 1) and turns autoscaling off.</summary>
        public Builder WithNodeCount(int count)
        {
            Mutable.Count = count;
            _spec.EnableAutoScaling = false;
            _spec.MinCount = _spec.MaxCount = null;
            return this;
        }

        /// <summary>Lets the cluster autoscaler manage the count between <paramref name="min"/> and <paramref name="max"/>.</summary>
        /// <param name="min">The lower bound (User pools may scale to 0).</param>
        /// <param name="max">The upper bound (at most 1000).</param>
        /// <param name="initialCount">The count to start with, between min and max; null starts with <paramref name="min"/> nodes.</param>
        public Builder WithAutoscaling(int min, int max, int? initialCount = null)
        {
            Mutable.EnableAutoScaling = true;
            _spec.MinCount = min;
            _spec.MaxCount = max;
            _spec.Count = initialCount;
            return this;
        }

        /// <summary>Sets the mode (default <see cref="AksNodePoolMode.User"/>).</summary>
        public Builder WithMode(AksNodePoolMode mode)
        {
            Mutable.Mode = mode;
            return this;
        }

        /// <summary>Sets the OS SKU (default <c>AzureLinux</c>; <c>AzureLinux3</c> is also accepted; others are errors).</summary>
        public Builder WithOsSku(AksOsSku osSku)
        {
            Mutable.OsSku = osSku;
            return this;
        }

        /// <summary>Sets the workload runtime (default <c>KataVmIsolation</c>; the legacy <c>KataMshvVmIsolation</c> is a warning).</summary>
        public Builder WithWorkloadRuntime(AksWorkloadRuntime runtime)
        {
            Mutable.WorkloadRuntime = runtime;
            return this;
        }

        /// <summary>
        /// Sets the ARM API version. Default: <see cref="AksApiVersions.Default"/>, or for the legacy runtime the newest preview.
        /// </summary>
        public Builder WithApiVersion(string apiVersion)
        {
            Mutable.ApiVersion = apiVersion;
            return this;
        }

        /// <summary>Spreads the nodes over availability zones (<c>"1"</c>, <c>"2"</c>, <c>"3"</c>).</summary>
        public Builder WithAvailabilityZones(params string[] zones)
        {
            ArgumentNullException.ThrowIfNull(zones);
            Mutable.Zones.Clear();
            _spec.Zones.AddRange(zones);
            return this;
        }

        /// <summary>Adds a node label.</summary>
        public Builder WithNodeLabel(string key, string value)
        {
            ArgumentNullException.ThrowIfNull(key);
            Mutable.Labels[key] = value ?? throw new ArgumentNullException(nameof(value));
            return this;
        }

        /// <summary>Adds a node taint; pods then need the matching toleration (see <see cref="PodTolerations"/>).</summary>
        public Builder WithNodeTaint(AksNodeTaint taint)
        {
            ArgumentNullException.ThrowIfNull(taint);
            Mutable.Taints.Add(new TaintEntry(taint.ToString(), taint));
            return this;
        }

        /// <summary>Adds a node taint written <c>key=value:Effect</c>.</summary>
        public Builder WithNodeTaint(string taint)
        {
            ArgumentNullException.ThrowIfNull(taint);
            AksNodeTaint? parsed = null;
            try
            {
                parsed = AksNodeTaint.Parse(taint);
            }
            catch (ArgumentException)
            {
                // Reported by Build() with every other problem.
            }

            Mutable.Taints.Add(new TaintEntry(taint, parsed));
            return this;
        }

        /// <summary>Adds a node taint <c>key=value:effect</c>.</summary>
        public Builder WithNodeTaint(string key, string? value, string effect = "NoSchedule") => WithNodeTaint(new AksNodeTaint(key, value, effect));

        /// <summary>Sets the maximum pods per node (10 to 250).</summary>
        public Builder WithMaxPods(int maxPods)
        {
            Mutable.MaxPods = maxPods;
            return this;
        }

        /// <summary>Sets the OS disk type and, optionally, its size in GB (up to 2048).</summary>
        public Builder WithOsDisk(AksOsDiskType type, int? sizeGB = null)
        {
            Mutable.OsDiskType = type;
            _spec.OsDiskSizeGB = sizeGB;
            return this;
        }

        /// <summary>Sets the Kubernetes version of the pool (1.27 or later), for example <c>1.35</c> or <c>1.35.6</c> (AKS standard support in December 2026: 1.35 and 1.36; 1.33 is LTS-only since July 17, 2026).</summary>
        public Builder WithOrchestratorVersion(string version)
        {
            Mutable.OrchestratorVersion = version;
            return this;
        }

        /// <summary>Places the nodes (and, optionally, the pods) in subnets, by resource ID.</summary>
        public Builder WithSubnets(string vnetSubnetId, string? podSubnetId = null)
        {
            Mutable.VnetSubnetId = vnetSubnetId;
            _spec.PodSubnetId = podSubnetId;
            return this;
        }

        /// <summary>Adds an Azure tag.</summary>
        public Builder WithTag(string key, string value)
        {
            ArgumentNullException.ThrowIfNull(key);
            Mutable.Tags[key] = value ?? throw new ArgumentNullException(nameof(value));
            return this;
        }

        /// <summary>Enables or disables FIPS. Kata does not support FIPS: enabling it is an error (SBX3005).</summary>
        public Builder WithFips(bool enabled = true)
        {
            Mutable.EnableFips = enabled;
            return this;
        }

        /// <summary>Encrypts at host (temp disks and caches; needs the subscription feature <c>EncryptionAtHost</c>).</summary>
        public Builder WithEncryptionAtHost(bool enabled = true)
        {
            Mutable.EnableEncryptionAtHost = enabled;
            return this;
        }

        /// <summary>
        /// Turns Trusted Launch (secure boot, vTPM) on or off. AKS cannot enable it in the same pool as Pod Sandboxing: enabling
        /// either is an error (SBX3019). It exists so pools read from az or ARM (<c>AksNodePool.FromAzCli</c>, <c>AksNodePool.FromArm</c>)
        /// can be checked.
        /// </summary>
        public Builder WithTrustedLaunch(bool secureBoot = true, bool vtpm = true)
        {
            Mutable.EnableSecureBoot = secureBoot;
            _spec.EnableVtpm = vtpm;
            return this;
        }

        /// <summary>Turns Artifact Streaming on or off. AKS rejects it on Pod Sandboxing pools: enabling it is an error (SBX3021).</summary>
        public Builder WithArtifactStreaming(bool enabled = true)
        {
            Mutable.EnableArtifactStreaming = enabled;
            return this;
        }

        /// <summary>Every finding for the pool as it stands (errors and warnings), without building it.</summary>
        public IReadOnlyList<SandboxFinding> Validate() => NodePoolValidator.Validate(_spec);

        /// <summary>Validates and creates the pool. Warnings are kept in <see cref="Findings"/>.</summary>
        /// <exception cref="SandboxValidationException">The pool has errors; the exception lists every one, with field and fix.</exception>
        /// <exception cref="InvalidOperationException">The builder was already built.</exception>
        public AksNodePool Build()
        {
            var findings = NodePoolValidator.Validate(Mutable);
            var errors = findings.Where(f => f.Severity == SandboxSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new SandboxValidationException(errors);
            }

            _built = true;
            return new AksNodePool(_spec, findings.Where(f => f.Severity != SandboxSeverity.Error).ToArray());
        }

        private NodePoolSpec Mutable => _built
            ? throw new InvalidOperationException("This builder has already built its node pool; start a new one with AksNodePool.ForSandboxing(name).")
            : _spec;
    }
}
