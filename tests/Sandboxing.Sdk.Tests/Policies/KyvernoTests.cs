using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk.Tests.Policies;

/// <summary>
/// Kyverno parity. No Kyverno engine runs on .NET, so JMESPath preconditions and patterns are not evaluated: the tests check the
/// generated structure (one rule per check and shape, the same IDs and messages as the admission policy, the exemption model)
/// and goldens hold the exact YAML.
/// </summary>
public class KyvernoTests
{
    [Fact]
    public void Validate_has_one_rule_per_check_and_shape_with_the_admission_policys_messages()
    {
        var policy = SandboxPolicy.RequireSandbox("kata-vm-isolation", "kata-clh").WithChecks(SandboxPolicyChecks.Hardened).WithAllNamespacesExcept("kube-system");
        var validate = Load(policy.ToKyvernoYaml(), 0);
        Assert.Equal("kyverno.io/v1", Scalar(validate, "apiVersion"));
        Assert.Equal("ClusterPolicy", Scalar(validate, "kind"));
        Assert.Equal("none", Scalar(validate, "metadata.annotations.pod-policies.kyverno.io/autogen-controllers"));
        // Kyverno 1.13+: the action on every validate rule, none on the policy (spec.validationFailureAction is deprecated).
        Assert.Throws<KeyNotFoundException>(() => Node(validate, "spec.validationFailureAction"));
        Assert.Equal("1.13.0", Scalar(validate, "metadata.annotations.policies.kyverno.io/minversion"));
        Assert.Equal("true", Scalar(validate, "spec.background"));
        var rules = ((YamlSequenceNode)Node(validate, "spec.rules")).Children.ToDictionary(r => Scalar(r, "name"));
        var vap = policy.ToValidatingAdmissionPolicy();
        // 9 checks x 3 shapes, plus kubectl debug for the privileged check.
        Assert.Equal(9 * 3 + 1, rules.Count);
        foreach (var validation in vap.Spec.Validations)
        {
            Assert.InRange(rules.Values.Count(r => Scalar(r, "validate.message") == validation.Message), 3, 4);
            Assert.All(rules.Values, r => Assert.Equal("Enforce", Scalar(r, "validate.failureAction")));
        }

        // A plain key (not the optional anchor of Kyverno's restrict-runtimeclass): a pod without a class fails.
        Assert.Equal("?*", Scalar(rules["require-runtime-class-pod"], "validate.pattern.spec.runtimeClassName"));
        Assert.Equal("?*", Scalar(rules["require-runtime-class-workload"], "validate.pattern.spec.template.spec.runtimeClassName"));
        Assert.Equal("?*", Scalar(rules["require-runtime-class-cronjob"], "validate.pattern.spec.jobTemplate.spec.template.spec.runtimeClassName"));
        Assert.Equal("kata-vm-isolation | kata-clh", Scalar(rules["allowed-runtime-class-pod"], "validate.pattern.spec.=(runtimeClassName)"));
        Assert.Equal("Pod", Scalar(rules["require-runtime-class-pod"], "match.any[0].resources.kinds[0]"));
        Assert.Equal("CREATE", Scalar(rules["require-runtime-class-pod"], "match.any[0].resources.operations[0]"));
        Assert.Equal("CronJob", Scalar(rules["require-runtime-class-cronjob"], "match.any[0].resources.kinds[0]"));
        Assert.Equal("NotIn", Scalar(rules["require-runtime-class-pod"], "match.any[0].resources.namespaceSelector.matchExpressions[0].operator"));
        Assert.Equal("null", Scalar(rules["refuse-host-path-pod"], "validate.pattern.spec.=(volumes)[0].X(hostPath)"));
        Assert.Equal(">=128Mi", Scalar(rules["minimum-memory-limit-workload"], "validate.pattern.spec.template.spec.containers[0].=(resources).=(limits).=(memory)"));
        Assert.Equal("?*", Scalar(rules["require-memory-limit-pod"], "validate.pattern.spec.=(initContainers)[0].resources.limits.memory"));
        Assert.Equal("false", Scalar(rules["refuse-privileged-debug"], "validate.pattern.spec.=(ephemeralContainers)[0].=(securityContext).=(privileged)"));
        Assert.Equal("Pod/ephemeralcontainers", Scalar(rules["refuse-privileged-debug"], "match.any[0].resources.kinds[0]"));
        Assert.Equal("UPDATE", Scalar(rules["refuse-privileged-debug"], "match.any[0].resources.operations[0]"));
        Assert.Equal("false", Scalar(rules["refuse-service-account-token-pod"], "validate.pattern.spec.automountServiceAccountToken"));
        Assert.Contains("azure.workload.identity/use", Scalar(rules["refuse-service-account-token-workload"], "preconditions.all[0].key"));
        Assert.Contains("spec.template.metadata.labels", Scalar(rules["refuse-service-account-token-workload"], "preconditions.all[0].key"));
        // Label values are strings: "true" must stay quoted, or the selector's map[string]string refuses a boolean.
        var labelled = Node(Load(SandboxPolicy.RequireSandbox().ToKyvernoYaml(), 0), "spec.rules[0].match.any[0].resources.namespaceSelector.matchLabels");
        Assert.Equal(ScalarStyle.DoubleQuoted, ((YamlScalarNode)((YamlMappingNode)labelled).Children[new YamlScalarNode("sandboxing.sdk/enforce")]).Style);
        var audit = ((YamlSequenceNode)Node(Load(policy.WithMode(SandboxPolicyMode.Audit).ToKyvernoYaml(), 0), "spec.rules")).Children;
        Assert.All(audit, r => Assert.Equal("Audit", Scalar(r, "validate.failureAction")));
    }

    [Fact]
    public void Exemptions_use_subjects_and_namespace_labels_never_cluster_roles()
    {
        var policy = SandboxPolicy.RequireSandbox().WithExemptGroups("platform-ops").WithExemptServiceAccounts("ci/deployer").WithExemptUsers("alice")
            .WithExemptNamespaceLabel().WithExemptionConfigMap("sandboxing-system");
        var yaml = policy.ToKyvernoYaml();
        Assert.DoesNotContain("clusterRoles", yaml);
        Assert.DoesNotContain("annotations.\"sandboxing.sdk/exempt", yaml);
        var validate = Load(yaml, 0);
        Assert.Equal("false", Scalar(validate, "spec.background"));
        var hostNetwork = ((YamlSequenceNode)Node(validate, "spec.rules")).Children.Single(r => Scalar(r, "name") == "refuse-host-network-pod");
        Assert.Equal("true", Scalar(hostNetwork, "exclude.any[0].resources.namespaceSelector.matchLabels.sandboxing.sdk/exempt"));
        Assert.Equal("true", Scalar(hostNetwork, "exclude.any[1].resources.namespaceSelector.matchLabels.sandboxing.sdk/exempt.SBX2001"));
        Assert.Equal(("Group", "platform-ops"), (Scalar(hostNetwork, "exclude.any[2].subjects[0].kind"), Scalar(hostNetwork, "exclude.any[2].subjects[0].name")));
        Assert.Equal(("ServiceAccount", "deployer", "ci"), (Scalar(hostNetwork, "exclude.any[2].subjects[1].kind"), Scalar(hostNetwork, "exclude.any[2].subjects[1].name"), Scalar(hostNetwork, "exclude.any[2].subjects[1].namespace")));
        Assert.Equal(("User", "alice"), (Scalar(hostNetwork, "exclude.any[2].subjects[2].kind"), Scalar(hostNetwork, "exclude.any[2].subjects[2].name")));
        Assert.Equal("sandboxing-system", Scalar(hostNetwork, "context[0].configMap.namespace"));
        Assert.Contains("sandboxExemptions.data.\"{{request.namespace}}.{{request.object.metadata.name || ''}}\"", Scalar(hostNetwork, "preconditions.all[0].key"));
    }

    [Fact]
    public void Annotation_mode_trims_every_white_space_the_sdk_does_and_reads_the_template_metadata()
    {
        var validate = Load(SandboxPolicy.RequireSandbox().WithExemptionAnnotationsHonored().ToKyvernoYaml(), 0);
        var rules = ((YamlSequenceNode)Node(validate, "spec.rules")).Children.ToDictionary(r => Scalar(r, "name"));
        var key = Scalar(rules["refuse-host-network-pod"], "preconditions.all[0].key");
        Assert.Contains("request.object.metadata.annotations.\"sandboxing.sdk/exempt\"", key);
        // The cut set is a JMESPath JSON literal of \uXXXX escapes: every character char.IsWhiteSpace accepts, and only those.
        var cutSet = System.Text.RegularExpressions.Regex.Match(key, "`\"((?:\\\\u[0-9a-f]{4})+)\"`").Groups[1].Value;
        var characters = System.Text.Json.JsonSerializer.Deserialize<string>("\"" + cutSet + "\"")!;
        var expected = Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(char.IsWhiteSpace).ToList();
        Assert.Equal(expected, characters.Order());
        Assert.All(key, c => Assert.InRange(c, ' ', '~'));

        var workload = ((YamlSequenceNode)Node(rules["refuse-host-network-workload"], "preconditions.all")).Children.Select(n => Scalar(n, "key")).ToList();
        Assert.Equal(4, workload.Count);
        Assert.Contains(workload, k => k.Contains("request.object.spec.template.metadata.annotations.\"sandboxing.sdk/exempt.SBX2001\"", StringComparison.Ordinal));
        Assert.Contains("request.object.spec.jobTemplate.spec.template.metadata.annotations.\"sandboxing.sdk/exempt\"", Scalar(rules["refuse-host-network-cronjob"], "preconditions.all[1].key"));
    }

    [Fact]
    public void Mutate_is_generated_only_when_defaulting_and_adds_the_class_to_pods_only()
    {
        Assert.Null(SandboxPolicy.RequireSandbox().ToKyvernoMutatePolicy());
        Assert.Single(SplitDocuments(SandboxPolicy.RequireSandbox().ToKyvernoYaml()));

        var yaml = SandboxPolicy.DefaultToSandbox().WithExemptGroups("platform-ops").ToKyvernoYaml();
        var validate = Load(yaml, 0);
        var names = ((YamlSequenceNode)Node(validate, "spec.rules")).Children.Select(r => Scalar(r, "name")).ToList();
        // Templates may leave the class out (their Pods get it), so there is no template rule for SBX1001.
        Assert.Contains("require-runtime-class-pod", names);
        Assert.DoesNotContain("require-runtime-class-workload", names);
        Assert.Contains("allowed-runtime-class-workload", names);

        var mutate = Load(yaml, 1);
        Assert.Equal("sandboxing-require-runtime-class-add", Scalar(mutate, "metadata.name"));
        Assert.Equal("none", Scalar(mutate, "metadata.annotations.pod-policies.kyverno.io/autogen-controllers"));
        var add = Node(mutate, "spec.rules[0]");
        Assert.Equal("kata-vm-isolation", Scalar(add, "mutate.patchStrategicMerge.spec.+(runtimeClassName)"));
        Assert.Equal(("Pod", "CREATE"), (Scalar(add, "match.any[0].resources.kinds[0]"), Scalar(add, "match.any[0].resources.operations[0]")));
        Assert.Contains("hostNetwork", Scalar(add, "preconditions.all[0].key"));
        Assert.Equal("platform-ops", Scalar(add, "exclude.any[0].subjects[0].name"));
    }

    [Fact]
    public void Generated_kyverno_policies_match_the_golden_files()
    {
        Golden.Match(SandboxPolicy.RequireSandbox().ToKyvernoYaml(), "yaml", "validate");
        Golden.Match(SandboxPolicy.DefaultToSandbox().WithChecks(SandboxPolicyChecks.Hardened).WithExemptNamespaceLabel().WithExemptGroups("platform-ops")
            .WithExemptionConfigMap("sandboxing-system").WithExemptionAnnotationsHonored().ToKyvernoYaml(), "yaml", "default-hardened");

        // Custom resources: a template kind, a run whose pods take the run's labels, and a list of templates (no per-item labels).
        var kinds = PodTemplateRegistry.Default.CustomResources.Where(k => k.Kind is "Rollout" or "TaskRun" or "JobSet").ToArray();
        Golden.Match(SandboxPolicy.RequireSandbox().WithChecks(SandboxPolicyChecks.ServiceAccountToken).WithCustomResources([.. kinds.Where(k => k.Kind != "JobSet")])
            .WithAllNamespacesExcept("kube-system", "tenant-x").WithExemptNamespaceLabel().ToKyvernoYaml(), "yaml", "custom-resources-token");
        Golden.Match(SandboxPolicy.RequireSandbox().WithChecks(SandboxPolicyChecks.None).WithCustomResources(kinds).ToKyvernoYaml(), "yaml", "custom-resources-class-only");
    }

    [Fact]
    public void Background_scans_run_only_when_no_rule_reads_the_requesting_user_or_the_request_namespace()
    {
        string Background(SandboxPolicy policy) => Scalar(Load(policy.ToKyvernoYaml(), 0), "spec.background");

        Assert.Equal("true", Background(SandboxPolicy.RequireSandbox()));
        Assert.Equal("true", Background(SandboxPolicy.RequireSandbox().WithExemptNamespaceLabel().WithExemptionAnnotationsHonored()));
        Assert.Equal("false", Background(SandboxPolicy.RequireSandbox().WithExemptGroups("platform-ops")));
        Assert.Equal("false", Background(SandboxPolicy.RequireSandbox().WithExemptUsers("alice")));
        Assert.Equal("false", Background(SandboxPolicy.RequireSandbox().WithExemptServiceAccounts("ci/deployer")));
        Assert.Equal("false", Background(SandboxPolicy.RequireSandbox().WithExemptionConfigMap("sandboxing-system")));
    }

    [Theory]
    [InlineData("NotIn")]
    [InlineData("In")]
    public void A_namespace_name_selector_matches_on_the_name_label_with_the_listed_names(string op)
    {
        string[] names = op == "In" ? ["tenant-a", "tenant-b"] : ["kube-system", "tenant-b"];
        var policy = op == "In" ? SandboxPolicy.RequireSandbox().WithNamespaces(names) : SandboxPolicy.RequireSandbox().WithAllNamespacesExcept(names);
        var rules = Rules(policy);
        Assert.All(rules, rule =>
        {
            var expression = Node(rule, "match.any[0].resources.namespaceSelector.matchExpressions[0]");
            Assert.Equal("kubernetes.io/metadata.name", Scalar(expression, "key"));
            Assert.Equal(op, Scalar(expression, "operator"));
            Assert.Equal(names, ((YamlSequenceNode)Node(expression, "values")).Children.Select(v => ((YamlScalarNode)v).Value));
        });
    }

    [Fact]
    public void A_defaulting_policy_writes_no_class_rule_for_custom_resource_templates_and_still_judges_the_class_they_name()
    {
        var rollout = PodTemplateRegistry.Default.CustomResources.Single(k => k.Kind == "Rollout");
        var names = Rules(SandboxPolicy.DefaultToSandbox().WithCustomResources(rollout))
            .Select(r => Scalar(r, "name")).ToList();
        // Their pods get the class from the mutating policy, as a Deployment's do.
        Assert.DoesNotContain("require-runtime-class-rollout", names);
        Assert.Contains("allowed-runtime-class-rollout", names);

        var required = Rules(SandboxPolicy.RequireSandbox().WithCustomResources(rollout))
            .Single(r => Scalar(r, "name") == "require-runtime-class-rollout");
        Assert.Equal("?*", Scalar(required, "validate.pattern.=(spec).=(template).=(spec).runtimeClassName"));
    }

    [Fact]
    public void A_defaulting_policy_with_errors_gives_no_mutate_policy_either()
    {
        var policy = SandboxPolicy.DefaultToSandbox().WithExemptGroups("system:authenticated");
        Assert.Contains("SBX5008", Assert.Throws<SandboxValidationException>(() => policy.ToKyvernoMutatePolicy()).Message, StringComparison.Ordinal);
        Assert.Contains("SBX5008", Assert.Throws<SandboxValidationException>(() => policy.ToKyvernoValidatePolicy()).Message, StringComparison.Ordinal);
    }

    /// <summary>The rules of the validate policy, as written.</summary>
    private static IList<YamlNode> Rules(SandboxPolicy policy) => ((YamlSequenceNode)Node(Load(policy.ToKyvernoYaml(), 0), "spec.rules")).Children;

    private static string[] SplitDocuments(string yaml) => yaml.Split("---\n");

    internal static YamlNode Load(string yaml, int document)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[document].RootNode;
    }

    /// <summary>A node by a path of keys split on '.', where a key may itself hold dots when the whole remainder names a key.</summary>
    internal static YamlNode Node(YamlNode root, string path)
    {
        var node = root;
        var parts = path.Split('.');
        for (int p = 0; p < parts.Length; p++)
        {
            var name = parts[p];
            int? index = null;
            if (name.EndsWith(']') && name.LastIndexOf('[') is var open and > 0)
            {
                index = int.Parse(name[(open + 1)..^1], CultureInfo.InvariantCulture);
                name = name[..open];
            }

            var mapping = (YamlMappingNode)node;
            // Keys such as "sandboxing.sdk/exempt" or "=(runtimeClassName)" hold dots or brackets: take the longest key that exists.
            int take = 1;
            for (int n = parts.Length - p; n > 1; n--)
            {
                if (mapping.Children.ContainsKey(new YamlScalarNode(string.Join('.', parts[p..(p + n)]))))
                {
                    take = n;
                    break;
                }
            }

            if (take > 1)
            {
                name = string.Join('.', parts[p..(p + take)]);
                index = null;
                p += take - 1;
            }

            node = mapping.Children[new YamlScalarNode(name)];
            if (index is { } i)
            {
                node = ((YamlSequenceNode)node).Children[i];
            }
        }

        return node;
    }

    internal static string Scalar(YamlNode root, string path) => ((YamlScalarNode)Node(root, path)).Value!;
}
