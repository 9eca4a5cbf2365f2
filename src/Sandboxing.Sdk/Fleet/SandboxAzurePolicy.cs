using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Sandboxing.Sdk.Aks.EmitterQuoting;

namespace Sandboxing.Sdk.Aks;

/// <summary>
/// A <see cref="SandboxPolicy"/> as Azure Policy for Kubernetes (Gatekeeper under the AKS Azure Policy add-on), for rules across
/// subscriptions: a deny/audit definition (mode <c>Microsoft.Kubernetes.Data</c>) whose <c>templateInfo</c> is a Base64Encoded
/// Gatekeeper ConstraintTemplate with the validating policy's rules in CEL, a <c>mutate</c> definition whose <c>mutationInfo</c> is a
/// Gatekeeper <c>Assign</c> (when the policy defaults to the sandbox), an initiative of them and its assignment.
/// </summary>
/// <remarks>
/// Exemptions map onto the engine: namespaces go to the assignment's <c>excludedNamespaces</c> (instead of a namespace label),
/// workloads to the <c>exemptWorkloads</c> parameter (keys <c>&lt;namespace&gt;.&lt;workload&gt;</c>, values the reason, as in
/// the exemption ConfigMap), and exempt users, groups and service accounts are written into the template's CEL as in the
/// ValidatingAdmissionPolicy. The namespace label selector has no Azure Policy equivalent: the definitions apply to the namespaces
/// the policy names, or to every namespace but the excluded ones.
/// </remarks>
internal sealed class SandboxAzurePolicy
{
    /// <summary>The API version of the policy definitions, the initiative and the assignment.</summary>
    internal const string ApiVersion = "2023-04-01";

    /// <summary>The namespaces Azure Policy's built-in Kubernetes definitions exclude by default (Azure/azure-policy, e.g. AllowedHostPaths.json).</summary>
    internal static readonly string[] SystemNamespaces = ["kube-system", "gatekeeper-system", "azure-arc", "azure-extensions-usage-system"];

    private SandboxAzurePolicy(SandboxPolicy policy, AzurePolicyScope scope)
    {
        Policy = policy;
        Scope = scope;
    }

    /// <summary>The policy whose rules the definitions carry.</summary>
    public SandboxPolicy Policy { get; }

    /// <summary>Where the Bicep deploys: a management group (default) or a subscription.</summary>
    public AzurePolicyScope Scope { get; }

    /// <summary>Starts Azure Policy definitions for <paramref name="policy"/>, deployed at <paramref name="scope"/>.</summary>
    /// <exception cref="SandboxValidationException">The policy's <see cref="SandboxPolicy.Validate()"/> has errors.</exception>
    public static SandboxAzurePolicy For(SandboxPolicy policy, AzurePolicyScope scope = AzurePolicyScope.ManagementGroup)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "Use AzurePolicyScope.ManagementGroup or AzurePolicyScope.Subscription.");
        }

        _ = policy.ToValidatingAdmissionPolicy(); // refuse a policy with errors here, not at the first output
        return new SandboxAzurePolicy(policy, scope);
    }

    private string Name => Policy.Name.Replace('.', '-');

    private string MutateName => Name + "-add";

    /// <summary>The assignment's name: at most 24 characters, the limit at management-group scope.</summary>
    private string AssignmentName => Name.Length <= 24 ? Name : Name[..24].TrimEnd('-');

    /// <summary>
    /// The definitions, the initiative and the assignment as JSON: <c>{"policyDefinitions": […], "policySetDefinition": …,
    /// "policyAssignment": …}</c>, each with its <c>name</c> and <c>properties</c> as the Azure Policy REST API takes them. The
    /// initiative names its definitions under <c>{scope}</c>, the management group or subscription they are created in.
    /// </summary>
    public string ToJson()
    {
        var prefix = "{scope}/providers/Microsoft.Authorization/policyDefinitions/";
        var definitions = new JsonArray { Resource(Name, ValidateDefinition()) };
        if (Policy.DefaultsRuntimeClass)
        {
            definitions.Add(Resource(MutateName, MutateDefinition()));
        }

        var root = new JsonObject
        {
            ["policyDefinitions"] = definitions,
            ["policySetDefinition"] = Resource(Name, Initiative(References(n => prefix + n))),
            ["policyAssignment"] = Resource(AssignmentName, new JsonObject
            {
                ["displayName"] = $"Require a VM sandbox ({Name})",
                ["policyDefinitionId"] = "{scope}/providers/Microsoft.Authorization/policySetDefinitions/" + Name,
                ["parameters"] = new JsonObject(InitiativeParameters().Select(p =>
                    KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject { ["value"] = p.Value!["defaultValue"]!.DeepClone() }))),
            }),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>
    /// The definitions, the initiative and the assignment as one Bicep file at the <see cref="Scope"/> (<c>targetScope</c>), its
    /// assignment parameters as Bicep parameters.
    /// </summary>
    public string ToBicep()
    {
        var text = new StringBuilder();
        text.Append("// Sandboxing.Sdk: Azure Policy for Kubernetes that requires a VM sandbox (").Append(Name).Append(").\n")
            .Append(Scope == AzurePolicyScope.ManagementGroup
                ? "// Deploy: az deployment mg create --management-group-id <group> --location <region> --template-file <this file>\n"
                : "// Deploy: az deployment sub create --location <region> --template-file <this file>\n")
            .Append("targetScope = ").Append(Scope == AzurePolicyScope.ManagementGroup ? "'managementGroup'" : "'subscription'").Append("\n\n");
        foreach (var (name, parameter) in InitiativeParameters())
        {
            text.Append("@description(").Append(BicepString((string)parameter!["metadata"]!["description"]!)).Append(")\n");
            if (parameter["allowedValues"] is JsonArray allowed)
            {
                text.Append("@allowed([").Append(string.Join(", ", allowed.Select(v => BicepString((string)v!)))).Append("])\n");
            }

            text.Append("param ").Append(name).Append(' ').Append(((string)parameter["type"]!).ToLowerInvariant()).Append(" = ");
            BicepEmitter.Value(text, parameter["defaultValue"]!.DeepClone(), 0);
            text.Append("\n\n");
        }

        Definition(text, "requireSandbox", Name, ValidateDefinition());
        if (Policy.DefaultsRuntimeClass)
        {
            Definition(text, "addRuntimeClass", MutateName, MutateDefinition());
        }

        var initiative = Initiative(References(n => n == Name ? "\u0000requireSandbox.id" : "\u0000addRuntimeClass.id"));
        text.Append("resource initiative 'Microsoft.Authorization/policySetDefinitions@").Append(ApiVersion).Append("' = {\n")
            .Append("  name: ").Append(BicepString(Name)).Append('\n')
            .Append("  properties: ");
        BicepEmitter.Value(text, initiative, 1);
        text.Append("\n}\n\n")
            .Append("resource assignment 'Microsoft.Authorization/policyAssignments@").Append(ApiVersion).Append("' = {\n")
            .Append("  name: ").Append(BicepString(AssignmentName)).Append('\n')
            .Append("  properties: {\n")
            .Append("    displayName: ").Append(BicepString($"Require a VM sandbox ({Name})")).Append('\n')
            .Append("    policyDefinitionId: initiative.id\n")
            .Append("    parameters: {\n");
        foreach (var (name, _) in InitiativeParameters())
        {
            text.Append("      ").Append(name).Append(": { value: ").Append(name).Append(" }\n");
        }

        text.Append("    }\n  }\n}\n\noutput initiativeId string = initiative.id\noutput assignmentId string = assignment.id\n");
        // A reference to another resource is a Bicep expression, not a string: the marker turns the quoted value into one.
        return System.Text.RegularExpressions.Regex.Replace(text.ToString(), @"'\\u\{0\}([A-Za-z]+\.id)'", "$1");
    }

    /// <summary>The ConstraintTemplate the deny/audit definition carries, as YAML (before Base64 encoding).</summary>
    internal string ConstraintTemplateYaml() => SandboxManifest.ToYaml(Policy.ToGatekeeperConstraintTemplate());

    /// <summary>The Assign mutation the mutate definition carries, as YAML (before Base64 encoding).</summary>
    internal string AssignYaml() => SandboxManifest.ToYaml(Policy.ToGatekeeperAssign());

    /// <summary>The deny/audit definition: the ConstraintTemplate on the policy's kinds, its parameters the assignment's.</summary>
    internal JsonObject ValidateDefinition()
    {
        var kinds = Policy.GatekeeperKinds;
        return Definition(
            $"Workloads must run in a VM sandbox ({string.Join(", ", Policy.AllowedRuntimeClasses)})",
            "Refuses (Deny) or reports (Audit) Pods and workload templates without an allowed sandbox runtime class, and what the " +
            "policy's checks forbid on Kata, as the Sandboxing.Sdk ValidatingAdmissionPolicy does.",
            new JsonObject
            {
                ["effect"] = Parameter("String", "Effect", "Deny refuses what breaks the rules; Audit reports it; Disabled turns the definition off.",
                    Policy.Mode == SandboxPolicyMode.Enforce ? "Deny" : "Audit", ["Audit", "Deny", "Disabled"]),
                ["excludedNamespaces"] = ExcludedNamespacesParameter(),
                ["namespaces"] = NamespacesParameter(),
                [SandboxPolicy.GatekeeperExemptionParameter] = Parameter("Object", "Exempt workloads",
                    "Workloads exempt from every rule: keys <namespace>.<workload>, values the reason (a blank reason does not count).", new JsonObject()),
            },
            new JsonObject
            {
                ["templateInfo"] = new JsonObject { ["sourceType"] = "Base64Encoded", ["content"] = Base64(ConstraintTemplateYaml()) },
                ["apiGroups"] = new JsonArray([.. kinds.Select(k => k.Group).Distinct(StringComparer.Ordinal).Select(g => (JsonNode?)g)]),
                ["kinds"] = new JsonArray([.. kinds.Select(k => k.Kind).Distinct(StringComparer.Ordinal).Select(k => (JsonNode?)k)]),
                ["excludedNamespaces"] = "[parameters('excludedNamespaces')]",
                ["namespaces"] = "[parameters('namespaces')]",
                ["values"] = new JsonObject { [SandboxPolicy.GatekeeperExemptionParameter] = $"[parameters('{SandboxPolicy.GatekeeperExemptionParameter}')]" },
            });
    }

    /// <summary>The mutate definition: the Assign that adds the runtime class to Pods created without one.</summary>
    internal JsonObject MutateDefinition() => Definition(
        $"Pods without a runtime class get {Policy.Runtime.Name}",
        $"Sets spec.runtimeClassName to {Policy.Runtime.Name} on Pods created without one, as the Sandboxing.Sdk MutatingAdmissionPolicy does.",
        new JsonObject
        {
            ["effect"] = Parameter("String", "Effect", "Mutate adds the runtime class; Disabled turns the definition off.", "Mutate", ["Mutate", "Disabled"]),
            ["excludedNamespaces"] = ExcludedNamespacesParameter(),
            ["namespaces"] = NamespacesParameter(),
        },
        new JsonObject
        {
            ["mutationInfo"] = new JsonObject { ["sourceType"] = "Base64Encoded", ["content"] = Base64(AssignYaml()) },
            ["excludedNamespaces"] = "[parameters('excludedNamespaces')]",
            ["namespaces"] = "[parameters('namespaces')]",
        });

    private static JsonObject Definition(string displayName, string description, JsonObject parameters, JsonObject details) => new()
    {
        ["policyType"] = "Custom",
        ["mode"] = "Microsoft.Kubernetes.Data",
        ["displayName"] = displayName,
        ["description"] = description,
        ["metadata"] = new JsonObject { ["category"] = "Kubernetes" },
        ["parameters"] = parameters,
        ["policyRule"] = new JsonObject
        {
            ["if"] = new JsonObject { ["field"] = "type", ["in"] = new JsonArray("Microsoft.ContainerService/managedClusters", "Microsoft.Kubernetes/connectedClusters") },
            ["then"] = new JsonObject { ["effect"] = "[parameters('effect')]", ["details"] = details },
        },
    };

    /// <summary>The initiative's parameters: each definition's, the mutate effect under its own name.</summary>
    private JsonObject InitiativeParameters()
    {
        var parameters = (JsonObject)ValidateDefinition()["parameters"]!.DeepClone();
        if (Policy.DefaultsRuntimeClass)
        {
            parameters["mutateEffect"] = MutateDefinition()["parameters"]!["effect"]!.DeepClone();
        }

        return parameters;
    }

    private JsonObject Initiative(JsonArray references) => new()
    {
        ["policyType"] = "Custom",
        ["displayName"] = $"Sandboxing.Sdk: require a VM sandbox ({Name})",
        ["description"] = "Workloads run in a VM sandbox (Kata, AKS Pod Sandboxing) on every cluster of the scope.",
        ["metadata"] = new JsonObject { ["category"] = "Kubernetes" },
        ["parameters"] = InitiativeParameters(),
        ["policyDefinitions"] = references,
    };

    private JsonArray References(Func<string, string> id)
    {
        static JsonObject Pass(params (string Name, string From)[] names) =>
            new(names.Select(n => KeyValuePair.Create(n.Name, (JsonNode?)new JsonObject { ["value"] = $"[parameters('{n.From}')]" })));
        var references = new JsonArray
        {
            new JsonObject
            {
                ["policyDefinitionReferenceId"] = "require-sandbox",
                ["policyDefinitionId"] = id(Name),
                ["parameters"] = Pass(("effect", "effect"), ("excludedNamespaces", "excludedNamespaces"), ("namespaces", "namespaces"),
                    (SandboxPolicy.GatekeeperExemptionParameter, SandboxPolicy.GatekeeperExemptionParameter)),
            },
        };
        if (Policy.DefaultsRuntimeClass)
        {
            references.Add(new JsonObject
            {
                ["policyDefinitionReferenceId"] = "add-runtime-class",
                ["policyDefinitionId"] = id(MutateName),
                ["parameters"] = Pass(("effect", "mutateEffect"), ("excludedNamespaces", "excludedNamespaces"), ("namespaces", "namespaces")),
            });
        }

        return references;
    }

    /// <summary>The system namespaces, plus those the policy leaves out (<see cref="SandboxPolicy.WithAllNamespacesExcept"/>).</summary>
    private JsonObject ExcludedNamespacesParameter() => Parameter("Array", "Namespace exclusions",
        "Namespaces exempt from the definition, the engine's namespace exemption (the admission policies use a namespace label).",
        new JsonArray([.. SystemNamespaces.Concat(SelectedNames("NotIn")).Distinct(StringComparer.Ordinal).Select(n => (JsonNode?)n)]));

    /// <summary>The namespaces the policy names (<see cref="SandboxPolicy.WithNamespaces"/>), or none: every namespace.</summary>
    private JsonObject NamespacesParameter() => Parameter("Array", "Namespace inclusions",
        "The only namespaces the definition applies to; empty applies it to every namespace but the excluded ones.",
        new JsonArray([.. SelectedNames("In").Select(n => (JsonNode?)n)]));

    private IEnumerable<string> SelectedNames(string op) =>
        Policy.NamespaceSelector.MatchExpressions?.Where(e => e.Key == SandboxPolicy.NamespaceNameLabel && e.OperatorProperty == op)
            .SelectMany(e => e.Values) ?? [];

    private static JsonObject Parameter(string type, string displayName, string description, JsonNode defaultValue, string[]? allowed = null)
    {
        var parameter = new JsonObject
        {
            ["type"] = type,
            ["metadata"] = new JsonObject { ["displayName"] = displayName, ["description"] = description },
            ["defaultValue"] = defaultValue,
        };
        if (allowed is not null)
        {
            parameter["allowedValues"] = new JsonArray([.. allowed.Select(a => (JsonNode?)a)]);
        }

        return parameter;
    }

    private static JsonObject Resource(string name, JsonObject properties) => new() { ["name"] = name, ["properties"] = properties };

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static void Definition(StringBuilder text, string symbol, string name, JsonObject properties)
    {
        text.Append("resource ").Append(symbol).Append(" 'Microsoft.Authorization/policyDefinitions@").Append(ApiVersion).Append("' = {\n")
            .Append("  name: ").Append(BicepString(name)).Append('\n')
            .Append("  properties: ");
        BicepEmitter.Value(text, properties, 1);
        text.Append("\n}\n\n");
    }
}
