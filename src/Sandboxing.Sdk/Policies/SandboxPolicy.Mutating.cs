using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// The MutatingAdmissionPolicy that adds the runtime class (KEP-3962: <c>admissionregistration.k8s.io/v1beta1</c> in 1.34 behind
/// the <c>MutatingAdmissionPolicy</c> gate, <c>v1</c> from 1.36). It sets only <c>runtimeClassName</c>: when a policy changes the
/// object the API server runs the in-tree admission plugins again, so the RuntimeClass plugin then fills <c>overhead</c> and the
/// class's node selector and tolerations (apiserver <c>pkg/admission/reinvocation.go</c>, MAP <c>dispatcher.go</c>; see
/// docs/policies.md).
/// </summary>
public sealed partial class SandboxPolicy
{
    /// <summary>The MutatingAdmissionPolicy API version for <see cref="KubernetesVersion"/>: v1 from 1.36, v1beta1 before.</summary>
    public string MutatingApiVersion => KubernetesVersion >= DefaultKubernetesVersion
        ? "admissionregistration.k8s.io/v1"
        : "admissionregistration.k8s.io/v1beta1";

    /// <summary>The name of the MutatingAdmissionPolicy and its binding: the policy's name plus <c>-add</c>.</summary>
    public string MutatingName => Name + "-add";

    /// <summary>
    /// The MutatingAdmissionPolicy (as the v1 model; <see cref="ToMutatingAdmissionPolicyObjects"/> gives the target's version): on
    /// Pod CREATE, when the pod has no <c>runtimeClassName</c>, does not use the host network (AKS documents host networking as unsupported with Pod Sandboxing: the
    /// validating policy refuses it with SBX2001 instead) and is not exempt, sets <c>runtimeClassName</c> to the runtime.
    /// </summary>
    /// <exception cref="SandboxValidationException">The policy's <see cref="Validate()"/> has errors.</exception>
    public V1MutatingAdmissionPolicy ToMutatingAdmissionPolicy()
    {
        ThrowIfErrors(kyverno: false);
        var conditions = new List<V1MatchCondition>
        {
            // Without it the apply would overwrite a class the author chose (apply sets scalars); the validating policy judges that class.
            new() { Name = "no-runtime-class", Expression = "!has(object.spec.runtimeClassName)" },
            new() { Name = "not-host-network", Expression = "!has(object.spec.hostNetwork) || !object.spec.hostNetwork" },
        };
        // Only a whole exemption waives the class here: a per-rule annotation never does (the SDK's one exemption model), and the
        // per-rule namespace label sits in the binding's selector.
        if (PolicyExemptions.Whole(this, withNamespace: false) is { } exempt)
        {
            conditions.Add(new() { Name = "not-exempt", Expression = $"!({exempt})" });
        }

        return new V1MutatingAdmissionPolicy
        {
            Metadata = new V1ObjectMeta { Name = MutatingName, Labels = ManagedBy() },
            Spec = new V1MutatingAdmissionPolicySpec
            {
                ParamKind = ParamKind(),
                // Pods only: the RuntimeClass plugin ignores subresources and handles CREATE only, and runtimeClassName is immutable.
                MatchConstraints = new V1MatchResources
                {
                    ResourceRules = [new V1NamedRuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Operations = ["CREATE"], Resources = ["pods"], Scope = "Namespaced" }],
                },
                MatchConditions = conditions,
                FailurePolicy = "Fail",
                // The field is set once; the in-tree re-run after a change does not depend on this setting.
                ReinvocationPolicy = "Never",
                Mutations =
                [
                    new V1Mutation
                    {
                        PatchType = "ApplyConfiguration",
                        ApplyConfiguration = new V1ApplyConfiguration { Expression = $"Object{{spec: Object.spec{{runtimeClassName: \"{Runtime.Name}\"}}}}" },
                    },
                ],
            },
        }.Initialize();
    }

    /// <summary>
    /// The binding: the selected namespaces minus those an operator labelled exempt (from the whole policy or from SBX1001), since a
    /// match condition cannot read the namespace; the exemption ConfigMap as the parameter.
    /// </summary>
    public V1MutatingAdmissionPolicyBinding ToMutatingAdmissionPolicyBinding()
    {
        var selector = CopyOf(NamespaceSelector);
        if (ExemptionLabelKey is { } key)
        {
            selector.MatchExpressions ??= [];
            foreach (var label in new[] { key, RuleLabelKey(key, SandboxRules.MissingRuntimeClass.Id) })
            {
                selector.MatchExpressions.Add(new V1LabelSelectorRequirement { Key = label, OperatorProperty = "NotIn", Values = [ExemptionLabelValue] });
            }
        }

        return new V1MutatingAdmissionPolicyBinding
        {
            Metadata = new V1ObjectMeta { Name = MutatingName + "-binding", Labels = ManagedBy() },
            Spec = new V1MutatingAdmissionPolicyBindingSpec
            {
                PolicyName = MutatingName,
                ParamRef = ParamRef(),
                MatchResources = new V1MatchResources { NamespaceSelector = selector },
            },
        }.Initialize();
    }

    /// <summary>
    /// The MutatingAdmissionPolicy and its binding in the API version <see cref="KubernetesVersion"/> serves: v1, or v1beta1 on
    /// 1.34–1.35 (the field sets are the same in both versions).
    /// </summary>
    public IReadOnlyList<IKubernetesObject> ToMutatingAdmissionPolicyObjects()
    {
        var policy = ToMutatingAdmissionPolicy();
        var binding = ToMutatingAdmissionPolicyBinding();
        if (MutatingApiVersion == policy.ApiVersion)
        {
            return [policy, binding];
        }

        return [Convert<V1beta1MutatingAdmissionPolicy>(policy), Convert<V1beta1MutatingAdmissionPolicyBinding>(binding)];
    }

    private IReadOnlyList<IKubernetesObject> MutatingObjects() => ToMutatingAdmissionPolicyObjects();

    private T Convert<T>(IKubernetesObject source)
        where T : IKubernetesObject
    {
        var converted = KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(source));
        converted.ApiVersion = MutatingApiVersion;
        return converted;
    }
}
