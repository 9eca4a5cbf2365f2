namespace Sandboxing.Sdk;

/// <summary>
/// The one registry of kinds that carry pod specs and where their specs are: the built-in workload kinds and the custom
/// resources that run pods (agent-sandbox, Argo Rollouts, KEDA, Knative, the Spark and Kubeflow operators, JobSet, KubeRay,
/// OpenShift DeploymentConfig, GitHub Actions runners, Tekton runs, LeaderWorkerSet).
/// The visitor (<see cref="PodTemplates"/>), <c>Sandbox()</c>, the validator, the linter, the fixer, the admission policies
/// and the capacity plan all read it. Immutable: <see cref="With(PodTemplateKind[])"/> returns a new registry.
/// </summary>
public sealed class PodTemplateRegistry
{
    private readonly Dictionary<string, PodTemplateKind> _byKey;

    private PodTemplateRegistry(IEnumerable<PodTemplateKind> kinds)
    {
        _byKey = new Dictionary<string, PodTemplateKind>(StringComparer.Ordinal);
        var order = new List<PodTemplateKind>();
        foreach (var kind in kinds)
        {
            var key = Key(kind.Group, kind.Kind);
            if (_byKey.TryGetValue(key, out var old))
            {
                order[order.IndexOf(old)] = kind; // a later entry replaces an earlier one in place
            }
            else
            {
                order.Add(kind);
            }

            _byKey[key] = kind;
        }

        Kinds = order;
    }

    /// <summary>The kinds Kubernetes serves: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate.</summary>
    public static PodTemplateRegistry BuiltIn { get; } = new(BuiltInKinds());

    /// <summary>The built-in kinds and every custom resource the SDK knows (see docs/pod-templates.md for each source).</summary>
    public static PodTemplateRegistry Default { get; } = new([.. BuiltInKinds(), .. CustomKinds()]);

    /// <summary>Every kind, built-in kinds first, in the order they were added.</summary>
    public IReadOnlyList<PodTemplateKind> Kinds { get; }

    /// <summary>The custom resources (every kind that is not <see cref="PodTemplateKind.IsBuiltIn"/>).</summary>
    public IEnumerable<PodTemplateKind> CustomResources => Kinds.Where(k => !k.IsBuiltIn);

    /// <summary>A registry with <paramref name="kinds"/> added; an entry for the same group and kind replaces the old one.</summary>
    /// <exception cref="ArgumentException">An entry redefines a built-in kind, whose paths Kubernetes fixes.</exception>
    public PodTemplateRegistry With(params PodTemplateKind[] kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        foreach (var kind in kinds)
        {
            ArgumentNullException.ThrowIfNull(kind, nameof(kinds));
            if (kind.IsBuiltIn && BuiltIn._byKey.ContainsKey(Key(kind.Group, kind.Kind)))
            {
                throw new ArgumentException($"{kind} is a built-in kind; its pod template paths are fixed by Kubernetes and cannot be changed.", nameof(kinds));
            }
        }

        return kinds.Length == 0 ? this : new PodTemplateRegistry([.. Kinds, .. kinds]);
    }

    /// <summary>
    /// The entry for an object's apiVersion and kind, or null when the kind carries no pod spec. Built-in kinds match in any
    /// of their groups' versions (<c>apps/v1beta2</c>, <c>extensions/v1beta1</c>) and without an apiVersion; a custom resource
    /// matches only in its own group (a Knative <c>Service</c> carries a pod spec, a core <c>Service</c> does not).
    /// </summary>
    public PodTemplateKind? Find(string? apiVersion, string? kind)
    {
        if (string.IsNullOrEmpty(kind))
        {
            return null;
        }

        var group = GroupOf(apiVersion);
        if (group is not null && _byKey.TryGetValue(Key(group, kind), out var found))
        {
            return found;
        }

        // Built-in kinds in an older group (extensions/v1beta1 Deployment) or without an apiVersion.
        return group is null || IsBuiltInGroup(group) ? BuiltInByKind(kind) : null;
    }

    /// <summary>
    /// True for the API groups Kubernetes serves its pod-bearing kinds in: the core group (<c>""</c>), <c>apps</c>, <c>batch</c>,
    /// and <c>extensions</c> (the old home of Deployments, DaemonSets and ReplicaSets).
    /// </summary>
    public static bool IsBuiltInGroup(string? group) => group is "" or "apps" or "batch" or "extensions";

    /// <summary>The API group of an apiVersion (<c>apps</c> for <c>apps/v1</c>, <c>""</c> for <c>v1</c>), or null for none.</summary>
    public static string? GroupOf(string? apiVersion)
    {
        if (string.IsNullOrEmpty(apiVersion))
        {
            return null;
        }

        int slash = apiVersion.LastIndexOf('/');
        return slash < 0 ? "" : apiVersion[..slash];
    }

    private PodTemplateKind? BuiltInByKind(string kind)
    {
        return BuiltIn.Kinds.FirstOrDefault(k => k.Kind == kind) is { } builtIn ? _byKey[Key(builtIn.Group, builtIn.Kind)] : null;
    }

    private static string Key(string group, string kind) => group + "/" + kind;

    private static PodSpecPath Template(string spec, string? replicas = null, int defaultReplicas = 1) =>
        new(spec) { Replicas = replicas, DefaultReplicas = defaultReplicas };

    // The built-in kinds: paths from the Kubernetes API reference (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/).
    private static IEnumerable<PodTemplateKind> BuiltInKinds() =>
    [
        new("", "Pod", "pods", "spec"),
        new("apps", "Deployment", "deployments", Template("spec.template.spec", "spec.replicas")),
        new("apps", "StatefulSet", "statefulsets", Template("spec.template.spec", "spec.replicas")),
        new("apps", "DaemonSet", "daemonsets", "spec.template.spec"),
        new("apps", "ReplicaSet", "replicasets", Template("spec.template.spec", "spec.replicas")),
        new("", "ReplicationController", "replicationcontrollers", Template("spec.template.spec", "spec.replicas")),
        new("batch", "Job", "jobs", Template("spec.template.spec", "spec.parallelism")),
        new("batch", "CronJob", "cronjobs", Template("spec.jobTemplate.spec.template.spec", "spec.jobTemplate.spec.parallelism")),
        new("", "PodTemplate", "podtemplates", Template("template.spec", defaultReplicas: 0)),
    ];

    // Custom resources that run pods. Each path is from the project's API types; the sources are in docs/pod-templates.md.
    private static IEnumerable<PodTemplateKind> CustomKinds()
    {
        const string agentSandbox = "https://github.com/kubernetes-sigs/agent-sandbox/blob/main/docs/api.md";
        const string trainingOperator = "https://www.kubeflow.org/docs/components/trainer/legacy-v1/";
        const string kubeRay = "https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html";
        const string arc = "https://github.com/actions/actions-runner-controller/blob";
        const string tekton = "https://github.com/tektoncd/pipeline/blob";
        const string tektonNote = "A run without a podTemplate has no place for the class here: set runtimeClassName in Tekton's default-pod-template " +
            "(ConfigMap config-defaults), or let the admission policy sandbox the pods.";
        string[] rayCluster = ["headGroupSpec.template.spec", "workerGroupSpecs[*].template.spec"];
        PodSpecPath[] Ray(string prefix) =>
        [
            Template($"{prefix}.{rayCluster[0]}"),
            Template($"{prefix}.{rayCluster[1]}", $"{prefix}.workerGroupSpecs[*].replicas", 0),
        ];
        PodTemplateKind Training(string kind, string resource, string field) =>
            new("kubeflow.org", kind, resource, Template($"spec.{field}.*.template.spec", $"spec.{field}.*.replicas"))
            {
                Source = trainingOperator,
            };

        return
        [
            // kubernetes-sigs/agent-sandbox: the AKS agent sandbox extension runs these. A SandboxWarmPool has no pod spec: its
            // pods come from the SandboxTemplate it names, so the template is what gets checked.
            // A Sandbox runs one pod. v1beta1 (agents.x-k8s.io_sandboxes.yaml, agent-sandbox 2fd412d) has no spec.replicas, only
            // operatingMode Running|Suspended; the deprecated v1alpha1's replicas (0 or 1) is not read, so a suspended one still
            // counts as its one pod: capacity plans stay on the safe side.
            new("agents.x-k8s.io", "Sandbox", "sandboxes", Template("spec.podTemplate.spec")) { Source = agentSandbox },
            new("extensions.agents.x-k8s.io", "SandboxTemplate", "sandboxtemplates", Template("spec.podTemplate.spec", defaultReplicas: 0))
            {
                Source = agentSandbox,
                Note = "SandboxClaims and SandboxWarmPools create their Sandboxes from this template, so its runtimeClassName reaches every pod they make.",
            },
            new("argoproj.io", "Rollout", "rollouts", Template("spec.template.spec", "spec.replicas"))
            {
                Source = "https://argo-rollouts.readthedocs.io/en/stable/features/specification/",
                Note = "A Rollout with spec.workloadRef takes its pods from the Deployment it names; check that Deployment instead.",
            },
            new("keda.sh", "ScaledJob", "scaledjobs", Template("spec.jobTargetRef.template.spec", "spec.maxReplicaCount", 100))
            {
                Source = "https://keda.sh/docs/2.17/reference/scaledjob-spec/",
            },
            .. new[] { ("Service", "services", "spec.template.spec"), ("Configuration", "configurations", "spec.template.spec"), ("Revision", "revisions", "spec") }
                .Select(k => new PodTemplateKind("serving.knative.dev", k.Item1, k.Item2, k.Item3)
                {
                    Source = "https://knative.dev/docs/serving/configuration/feature-flags/",
                    Note = "Knative refuses runtimeClassName (and tolerations) unless the feature flags kubernetes.podspec-runtimeclassname " +
                        "(and kubernetes.podspec-tolerations) are enabled in the config-features ConfigMap of knative-serving.",
                }),
            // The Spark operator's driver and executor are pod-spec-like objects with their own runtimeClassName, tolerations and
            // annotations, which the operator copies onto the pods.
            new("sparkoperator.k8s.io", "SparkApplication", "sparkapplications",
                Template("spec.driver"), Template("spec.executor", "spec.executor.instances"))
            {
                Source = "https://github.com/kubeflow/spark-operator/blob/master/api/v1beta2/sparkapplication_types.go",
                Note = "Set runtimeClassName on spec.driver and spec.executor (the operator copies them onto the pods); a runtimeClassName only in their pod template is not read by this check.",
            },
            new("sparkoperator.k8s.io", "ScheduledSparkApplication", "scheduledsparkapplications",
                Template("spec.template.driver"), Template("spec.template.executor", "spec.template.executor.instances"))
            {
                Source = "https://github.com/kubeflow/spark-operator/blob/master/api/v1beta2/scheduledsparkapplication_types.go",
            },
            Training("PyTorchJob", "pytorchjobs", "pytorchReplicaSpecs"),
            Training("TFJob", "tfjobs", "tfReplicaSpecs"),
            Training("XGBoostJob", "xgboostjobs", "xgbReplicaSpecs"),
            Training("PaddleJob", "paddlejobs", "paddleReplicaSpecs"),
            Training("JAXJob", "jaxjobs", "jaxReplicaSpecs"),
            Training("MPIJob", "mpijobs", "mpiReplicaSpecs"),
            new("jobset.x-k8s.io", "JobSet", "jobsets", Template("spec.replicatedJobs[*].template.spec.template.spec", "spec.replicatedJobs[*].replicas"))
            {
                Source = "https://jobset.sigs.k8s.io/docs/reference/jobset.v1alpha2/",
            },
            new("ray.io", "RayCluster", "rayclusters", Ray("spec")) { Source = kubeRay },
            new("ray.io", "RayJob", "rayjobs", Ray("spec.rayClusterSpec")) { Source = kubeRay },
            new("ray.io", "RayService", "rayservices", Ray("spec.rayClusterConfig")) { Source = kubeRay },

            // OpenShift's Deployment, which kube-linter checks (stackrox/kube-linter pkg/extract/pod_spec.go).
            new("apps.openshift.io", "DeploymentConfig", "deploymentconfigs", Template("spec.template.spec", "spec.replicas"))
            {
                Source = "https://github.com/openshift/api/blob/fc7deb0d5735b431e91425bbf5b56b5d1c874459/apps/v1/types.go",
            },

            // GitHub Actions Runner Controller, scale sets: each runner pod is made from a full pod template.
            new("actions.github.com", "AutoscalingRunnerSet", "autoscalingrunnersets", Template("spec.template.spec", "spec.maxRunners"))
            {
                Source = $"{arc}/7065dc7f824228874a926cf216850d1082792ebe/apis/actions.github.com/v1alpha1/autoscalingrunnerset_types.go",
                Note = "The listener pod (spec.listenerTemplate) runs the controller's own code, not jobs, and is not checked.",
            },
            new("actions.github.com", "EphemeralRunnerSet", "ephemeralrunnersets", Template("spec.ephemeralRunnerSpec.spec", "spec.replicas"))
            {
                Source = $"{arc}/233ce28b3b52b3308559a4cb50f284ede0fa0640/apis/actions.github.com/v1alpha1/ephemeralrunnerset_types.go",
            },
            new("actions.github.com", "EphemeralRunner", "ephemeralrunners", "spec.spec")
            {
                Source = $"{arc}/233ce28b3b52b3308559a4cb50f284ede0fa0640/apis/actions.github.com/v1alpha1/ephemeralrunner_types.go",
            },

            // The older summerwind runners: a Runner's spec is pod-spec-like (runtimeClassName, tolerations, containers optional:
            // the controller adds the runner container); RunnerSet embeds a StatefulSet spec.
            new("actions.summerwind.dev", "RunnerDeployment", "runnerdeployments", Template("spec.template.spec", "spec.replicas"))
            {
                Source = $"{arc}/c4f556098448ec3207782fd00db233e97ef7f89f/apis/actions.summerwind.net/v1alpha1/runnerdeployment_types.go",
            },
            new("actions.summerwind.dev", "RunnerReplicaSet", "runnerreplicasets", Template("spec.template.spec", "spec.replicas"))
            {
                Source = $"{arc}/ac0d54f939c9e7311eb2513e1a2a4d4a1fd08047/apis/actions.summerwind.net/v1alpha1/runnerreplicaset_types.go",
            },
            new("actions.summerwind.dev", "RunnerSet", "runnersets", Template("spec.template.spec", "spec.replicas"))
            {
                Source = $"{arc}/61fa46197eadc0560e94a229751b682b436b4f0b/apis/actions.summerwind.net/v1alpha1/runnerset_types.go",
            },
            new("actions.summerwind.dev", "Runner", "runners", "spec")
            {
                Source = $"{arc}/07f8d229815e53d074ff970e8adf571dab6cd442/apis/actions.summerwind.net/v1alpha1/runner_types.go",
            },

            // Tekton: podTemplate is a partial pod spec (runtimeClassName, tolerations, no containers: the steps are the
            // containers); the run's own labels and annotations reach its pods.
            new("tekton.dev", "TaskRun", "taskruns", new PodSpecPath("spec.podTemplate") { Metadata = "metadata" })
            {
                Source = $"{tekton}/560b88ad5a56fa0bfe809acb1bf58bddd80fc5c9/pkg/apis/pipeline/v1/taskrun_types.go",
                Note = tektonNote,
            },
            new("tekton.dev", "PipelineRun", "pipelineruns",
                new PodSpecPath("spec.taskRunTemplate.podTemplate") { Metadata = "metadata" },
                new PodSpecPath("spec.taskRunSpecs[*].podTemplate") { Metadata = "metadata" },
                new PodSpecPath("spec.podTemplate") { Metadata = "metadata" })
            {
                Source = $"{tekton}/1651eb8101d8d6d0535b034517d4872ba9318e64/pkg/apis/pipeline/v1/pipelinerun_types.go",
                Note = "v1 sets it in spec.taskRunTemplate.podTemplate (and per task in spec.taskRunSpecs[*].podTemplate), v1beta1 in spec.podTemplate. " + tektonNote,
            },

            // LeaderWorkerSet: groups of a leader and workers, each from its own template (the leader's defaults to the worker's).
            new("leaderworkerset.x-k8s.io", "LeaderWorkerSet", "leaderworkersets",
                Template("spec.leaderWorkerTemplate.leaderTemplate.spec", "spec.replicas"),
                Template("spec.leaderWorkerTemplate.workerTemplate.spec", "spec.replicas"))
            {
                Source = "https://github.com/kubernetes-sigs/lws/blob/47a6181f092baa7be1475a75480fa717ca4d5647/api/leaderworkerset/v1/leaderworkerset_types.go",
            },
        ];
    }
}
