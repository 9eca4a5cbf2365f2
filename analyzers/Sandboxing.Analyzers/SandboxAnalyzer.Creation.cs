using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Sandboxing.Sdk;

namespace Sandboxing.Analyzers;

public sealed partial class SandboxAnalyzer
{
    private static void AnalyzeCreation(SyntaxNodeAnalysisContext context, AnalysisScope scope)
    {
        var types = scope.Types;
        var node = (BaseObjectCreationExpressionSyntax)context.Node;
        if (!MayBePodSpec(node, scope.PodSpecNames(context.CancellationToken)) || OptionsFor(context) is not { } options)
        {
            return; // cheap syntactic filter: most object creations are not pod specs, and their methods are never bound again.
        }

        if (context.SemanticModel.GetOperation(node, context.CancellationToken) is not IObjectCreationOperation creation
            || !types.IsPodSpec(creation.Type)
            || options.IsExcluded(context.ContainingSymbol))
        {
            return;
        }

        var spec = new SpecSite(creation, types);
        var fields = spec.Fields;
        var cancellationToken = context.CancellationToken;

        // The runtime class: in the initializer or constructor, or later through the path that holds the spec, or Sandbox().
        bool hasRuntimeClass = false, sandboxed = spec.PassedToSdk;
        if (fields.TryGetValue(RuntimeClassName, out var ownValue))
        {
            hasRuntimeClass = true;
            sandboxed |= IsSandboxingValue(ownValue.Value, options);
            if (ownValue.FromConstructor)
            {
                var d = CheckRuntimeClassValue(ownValue.Value, spec.Describe, options);
                if (d is not null)
                {
                    context.ReportDiagnostic(d);
                }
            }
        }

        BlockFacts? facts = null;
        HashSet<string>? paths = null;
        if (spec.Path is not null && !spec.PassedToSdk)
        {
            facts = scope.Facts(Root(creation), cancellationToken);
            paths = facts.Expand(spec.Path);
            if (facts.IsPassedToSdk(paths, creation))
            {
                sandboxed = true;
            }

            if (facts.RuntimeClassOn(paths, options) is { } sets)
            {
                hasRuntimeClass = true;
                sandboxed |= sets;
            }
        }
        else if (spec.Location.Argument is { } argument && scope.ArgumentEffect(argument, spec.Location.Relative, cancellationToken) is { } sets)
        {
            hasRuntimeClass = true; // handed to an in-source helper that sets the class: Harden(new V1Pod { … })
            sandboxed |= sets;
        }

        if (!hasRuntimeClass && !sandboxed)
        {
            // A helper's result: quiet when every caller sandboxes it, and otherwise the message names the caller that does not.
            var verdict = CallerVerdict.Unknown;
            IMethodSymbol? helper = null;
            if (spec.Location.Return is { } returned)
            {
                helper = AnalysisScope.EnclosingFunction(returned);
                verdict = scope.CheckCallers(helper, returned, spec.Location.Relative, AnalysisScope.MaxDepth, cancellationToken);
            }
            else if (facts is not null && paths is not null)
            {
                foreach (var (function, relative) in AnalysisScope.ReturnedFrom(facts, paths, creation))
                {
                    helper = function;
                    verdict = scope.CheckCallers(function, creation, relative, AnalysisScope.MaxDepth, cancellationToken);
                }
            }

            if (verdict.Sandboxed)
            {
                hasRuntimeClass = sandboxed = true;
            }
            else if (verdict.Culprit is not null)
            {
                spec.Culprit = AnalysisScope.Describe(helper, verdict.Culprit);
            }
        }

        if (!hasRuntimeClass && !sandboxed && (spec.Location.RejectedBySdk || (facts is not null && paths is not null && facts.IsRejectedBySdk(paths, creation))))
        {
            return; // Sandbox("runc"): the call chose a class, and SBX1002 or SBX1003 at that class says what is wrong with it.
        }

        if (!hasRuntimeClass && !sandboxed)
        {
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(FixRuntimeClassProperty, options.EffectiveFixRuntimeClass)
                .Add(UseSdkConstantProperty, types.SdkConstantAvailable && options.EffectiveFixRuntimeClass == KnownRuntimeClasses.KataVmIsolation ? "true" : "false");
            context.ReportDiagnostic(Diagnostic.Create(
                SandboxDescriptors.MissingRuntimeClass, NewLocation(node), properties, spec.Describe(), options.EffectiveFixRuntimeClass));
            return;
        }

        if (!sandboxed)
        {
            return; // a runtime class that is not a sandbox: SBX1002 says so; compatibility rules are for sandboxed pods.
        }

        // SBX2001 / SBX2002: host namespaces, in the initializer or assigned later through the same path.
        foreach (var flag in s_hostFlags)
        {
            if (fields.TryGetValue(flag, out var value) && IsTrue(value.Value))
            {
                context.ReportDiagnostic(HostFlagDiagnostic(flag, value.Value.Parent?.Syntax ?? value.Value.Syntax, spec.Describe()));
            }
        }

        if (facts is not null && paths is not null)
        {
            foreach (var later in facts.Assignments)
            {
                if (later.Property != RuntimeClassName && paths.Contains(later.InstancePath) && IsTrue(later.Operation.Value))
                {
                    context.ReportDiagnostic(HostFlagDiagnostic(later.Property, later.Operation.Syntax, spec.Describe()));
                }
            }
        }

        // SBX2003 / SBX2004 / SBX2005: containers and volumes built inside the spec.
        foreach (var descendant in creation.Descendants())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            switch (descendant)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment:
                    if (target.Property.Name == "Privileged" && KubernetesTypes.Is(target.Property.ContainingType, types.SecurityContext)
                        && IsTrue(assignment.Value))
                    {
                        var container = Enclosing(assignment, types.Container, creation);
                        context.ReportDiagnostic(Diagnostic.Create(
                            SandboxDescriptors.PrivilegedContainer, assignment.Syntax.GetLocation(),
                            spec.Describe(), container is null ? "?" : ConstantField(container, "Name") ?? "?"));
                    }
                    else if (target.Property.Name == "HostPath" && KubernetesTypes.Is(target.Property.ContainingType, types.Volume)
                        && !IsNullConstant(assignment.Value))
                    {
                        var volume = Enclosing(assignment, types.Volume, creation);
                        var source = Unwrap(assignment.Value) as IObjectCreationOperation;
                        context.ReportDiagnostic(Diagnostic.Create(
                            SandboxDescriptors.HostPathVolume, assignment.Syntax.GetLocation(),
                            spec.Describe(), (source is null ? null : ConstantField(source, "Path")) ?? "?",
                            (volume is null ? null : ConstantField(volume, "Name")) ?? "?"));
                    }

                    break;

                case IObjectCreationOperation container when KubernetesTypes.Is(container.Type, types.Container):
                    if (!HasMemoryLimit(container, types) && container.Syntax is BaseObjectCreationExpressionSyntax containerSyntax)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            SandboxDescriptors.MissingMemoryLimit, NewLocation(containerSyntax),
                            spec.Describe(), ConstantField(container, "Name") ?? "?"));
                    }

                    break;
            }
        }
    }

    private static Diagnostic HostFlagDiagnostic(string property, SyntaxNode syntax, string description)
    {
        var json = property == "HostNetwork" ? "hostNetwork"
            : property == "HostPID" ? "hostPID"
            : property == "HostIPC" ? "hostIPC"
            : "shareProcessNamespace";
        return property == "HostNetwork"
            ? Diagnostic.Create(SandboxDescriptors.HostNetwork, syntax.GetLocation(), description)
            : Diagnostic.Create(SandboxDescriptors.HostNamespaces, syntax.GetLocation(), description, json);
    }

    /// <summary>SBX2005: false only when the container visibly has no <c>resources.limits.memory</c>.</summary>
    private static bool HasMemoryLimit(IObjectCreationOperation container, KubernetesTypes types)
    {
        var fields = FieldsOf(container);
        if (!fields.TryGetValue("Resources", out var resources) || IsNullConstant(resources.Value))
        {
            return false;
        }

        if (Unwrap(resources.Value) is not IObjectCreationOperation requirements || !KubernetesTypes.Is(requirements.Type, types.ResourceRequirements))
        {
            return true; // built elsewhere: not visible, not reported.
        }

        if (!FieldsOf(requirements).TryGetValue("Limits", out var limits) || IsNullConstant(limits.Value))
        {
            return false;
        }

        if (Unwrap(limits.Value) is not IObjectCreationOperation dictionary)
        {
            return true;
        }

        if (dictionary.Arguments.Any(a => a.ArgumentKind == ArgumentKind.Explicit && !IsComparer(a.Value)))
        {
            return true; // copied from another dictionary: not visible.
        }

        if (dictionary.Initializer is null)
        {
            return false;
        }

        foreach (var element in dictionary.Initializer.Initializers)
        {
            IOperation? key = element switch
            {
                ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Arguments.Length: 1 } indexer } => indexer.Arguments[0].Value,
                IInvocationOperation { Arguments.Length: >= 1 } add => add.Arguments[0].Value,
                _ => null,
            };
            if (key is null)
            {
                return true;
            }

            var constant = Unwrap(key).ConstantValue;
            if (!constant.HasValue || (constant.Value is string s && string.Equals(s, "memory", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsComparer(IOperation value) =>
        value.Type?.AllInterfaces.Any(i => i.Name == "IEqualityComparer") == true || value.Type?.Name == "IEqualityComparer";

    private static IObjectCreationOperation? Enclosing(IOperation operation, INamedTypeSymbol? type, IOperation stop)
    {
        for (var current = operation.Parent; current is not null && current != stop; current = current.Parent)
        {
            if (current is IObjectCreationOperation creation && KubernetesTypes.Is(creation.Type, type))
            {
                return creation;
            }
        }

        return null;
    }

    private static string? ConstantField(IObjectCreationOperation creation, string name) =>
        FieldsOf(creation).TryGetValue(name, out var value) && Unwrap(value.Value).ConstantValue is { HasValue: true, Value: string s } ? s : null;

    /// <summary>"V1Deployment 'web'" for the outermost object that holds the spec, "V1PodSpec" for a spec on its own.</summary>
    private static string DescribeOwner(IOperation owner, KubernetesTypes types)
    {
        var typeName = SourceNames.OfType(owner.Type, "V1PodSpec");
        if (owner is IObjectCreationOperation creation
            && FieldsOf(creation).TryGetValue("Metadata", out var metadata)
            && Unwrap(metadata.Value) is IObjectCreationOperation meta
            && KubernetesTypes.Is(meta.Type, types.ObjectMeta)
            && ConstantField(meta, "Name") is { } name)
        {
            return typeName + " '" + name + "'";
        }

        return typeName;
    }
}
