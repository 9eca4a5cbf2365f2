using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using Sandboxing.Sdk.Catalog;

namespace Sandboxing.Analyzers;

/// <summary>
/// Flags KubernetesClient pod specs built in code without Kata VM isolation (SBX1001), with a runtime class that is not an
/// allowed sandbox (SBX1002) or is deprecated (SBX1003), and sandboxed specs with settings a VM sandbox does not support
/// (SBX2001–SBX2005). Registers nothing when the compilation does not reference KubernetesClient.
/// </summary>
/// <remarks>
/// The analyzer is triggered by the syntax of a <c>V1PodSpec</c> construction (and of a <c>RuntimeClassName</c> assignment),
/// then works on the IOperation tree of the one member that contains it: the "later in the same method" tracking stays local,
/// and methods that build no pod spec never have their operation trees built.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SandboxAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the runtime class the SBX1001 fix inserts.</summary>
    public const string FixRuntimeClassProperty = "FixRuntimeClass";

    /// <summary>Diagnostic property: "true" when the fix may insert the SDK's <c>KnownRuntimeClasses.KataVmIsolation</c>.</summary>
    public const string UseSdkConstantProperty = "UseSdkConstant";

    /// <summary>Diagnostic property: the current name of a deprecated runtime class (SBX1003).</summary>
    public const string ReplacementProperty = "Replacement";

    private const string RuntimeClassName = "RuntimeClassName";
    private const int MaxAliasRounds = 4;

    private static readonly string[] s_hostFlags = { "HostNetwork", "HostPID", "HostIPC", "ShareProcessNamespace" };

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => SandboxDescriptors.All;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        KubernetesTypes? types;
        try
        {
            types = KubernetesTypes.Resolve(context.Compilation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return;
        }

        if (types is null)
        {
            return; // KubernetesClient is not referenced: this compilation pays nothing more.
        }

        // What one member body does to paths is collected once per body, however many pod specs it builds.
        var blockFacts = new ConditionalWeakTable<IOperation, BlockFacts>();
        context.RegisterSyntaxNodeAction(
            c => Guard(c, types, (nodeContext, t) => AnalyzeCreation(nodeContext, t, blockFacts)),
            SyntaxKind.ObjectCreationExpression, SyntaxKind.ImplicitObjectCreationExpression);
        context.RegisterSyntaxNodeAction(c => Guard(c, types, AnalyzeRuntimeClassAssignment), SyntaxKind.SimpleAssignmentExpression);
    }

    /// <summary>
    /// Set the AppContext switch <c>Sandboxing.Analyzers.ThrowOnInternalError</c> to let internal errors escape (the compiler then
    /// reports them as AD0001): the robustness tests do, so that a swallowed exception cannot hide a bug from them.
    /// </summary>
    private static bool ThrowOnInternalError =>
        AppContext.TryGetSwitch("Sandboxing.Analyzers.ThrowOnInternalError", out bool enabled) && enabled;

    private static void Guard(SyntaxNodeAnalysisContext context, KubernetesTypes types, Action<SyntaxNodeAnalysisContext, KubernetesTypes> action)
    {
        try
        {
            action(context, types);
        }
        catch (Exception e) when (e is not OperationCanceledException && !ThrowOnInternalError)
        {
            // An analyzer must never fail a build: a construct this analyzer does not understand is not reported.
        }
    }

    /// <summary>The settings for the node's tree, or null when the node is generated code and generated code is not analysed.</summary>
    private static SandboxAnalyzerOptions? OptionsFor(SyntaxNodeAnalysisContext context)
    {
        var options = SandboxAnalyzerOptions.For(context.Options, context.Node.SyntaxTree);
        return context.IsGeneratedCode && !options.AnalyzeGeneratedCode ? null : options;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // SBX1002 / SBX1003: every constant assigned to V1PodSpec.RuntimeClassName, wherever the spec comes from.
    // ---------------------------------------------------------------------------------------------------------------

    private static void AnalyzeRuntimeClassAssignment(SyntaxNodeAnalysisContext context, KubernetesTypes types)
    {
        var node = (AssignmentExpressionSyntax)context.Node;
        if (RightmostName(node.Left) != RuntimeClassName || OptionsFor(context) is not { } options)
        {
            return;
        }

        if (context.SemanticModel.GetOperation(node, context.CancellationToken) is not ISimpleAssignmentOperation assignment
            || assignment.Target is not IPropertyReferenceOperation property
            || !KubernetesTypes.Is(property.Property.ContainingType, types.PodSpec)
            || options.IsExcluded(context.ContainingSymbol))
        {
            return;
        }

        var diagnostic = CheckRuntimeClassValue(assignment.Value, () => DescribeAssignedSpec(property), options);
        if (diagnostic is not null)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    private static Diagnostic? CheckRuntimeClassValue(IOperation value, Func<string> describe, SandboxAnalyzerOptions options)
    {
        var constant = Unwrap(value).ConstantValue;
        if (!constant.HasValue || (constant.Value is not null && constant.Value is not string))
        {
            return null; // not a constant (configuration, a parameter): it counts as set.
        }

        var name = (string?)constant.Value;
        var known = KnownRuntimeClasses.Find(name);
        var location = value.Syntax.GetLocation();
        if (known is { IsObsolete: true })
        {
            var replacement = known.ReplacedBy ?? options.EffectiveFixRuntimeClass;
            var properties = ImmutableDictionary<string, string?>.Empty.Add(ReplacementProperty, replacement);
            return Diagnostic.Create(
                SandboxDescriptors.DeprecatedRuntimeClass, location, properties,
                describe(), name, known.Status == RuntimeClassStatus.Retired ? "retired" : "deprecated", replacement);
        }

        if (string.IsNullOrEmpty(name) || !options.IsAllowed(name!))
        {
            return Diagnostic.Create(
                SandboxDescriptors.RuntimeClassNotAllowed, location,
                describe(), name ?? "null", string.Join(", ", options.AllowedRuntimeClasses), options.EffectiveFixRuntimeClass);
        }

        return null;
    }

    /// <summary>Whether a runtime class value makes the spec sandboxed: any non-constant value does, and allowed or Kata classes.</summary>
    private static bool IsSandboxingValue(IOperation value, SandboxAnalyzerOptions options)
    {
        var constant = Unwrap(value).ConstantValue;
        if (!constant.HasValue)
        {
            return true;
        }

        if (constant.Value is not string name || name.Length == 0)
        {
            return false;
        }

        return options.IsAllowed(name) || KnownRuntimeClasses.Find(name) is not null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // SBX1001 and SBX2001–SBX2005: a V1PodSpec constructed in code.
    // ---------------------------------------------------------------------------------------------------------------

    private static void AnalyzeCreation(SyntaxNodeAnalysisContext context, KubernetesTypes types, ConditionalWeakTable<IOperation, BlockFacts> blockFacts)
    {
        var node = (BaseObjectCreationExpressionSyntax)context.Node;
        if (!MayBePodSpec(node) || OptionsFor(context) is not { } options)
        {
            return; // cheap syntactic filter: most object creations are not pod specs, and their methods are never bound again.
        }

        if (context.SemanticModel.GetOperation(node, context.CancellationToken) is not IObjectCreationOperation creation
            || !KubernetesTypes.Is(creation.Type, types.PodSpec)
            || options.IsExcluded(context.ContainingSymbol))
        {
            return;
        }

        var spec = new SpecSite(creation, types);
        var fields = spec.Fields;

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
            var cancellationToken = context.CancellationToken;
            facts = blockFacts.GetValue(Root(creation), root => BlockFacts.Collect(root, types, cancellationToken));
            paths = facts.Expand(spec.Path);
            if (facts.IsPassedToSdk(paths))
            {
                sandboxed = true;
            }

            foreach (var later in facts.Assignments)
            {
                if (later.Property == RuntimeClassName && paths.Contains(later.InstancePath))
                {
                    hasRuntimeClass = true;
                    sandboxed |= IsSandboxingValue(later.Operation.Value, options);
                }
            }
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

    // ---------------------------------------------------------------------------------------------------------------
    // Where a spec lives: the access path of the variable or member that holds it ("L:pod@12.Spec"), and its owner.
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>A pod spec construction: its own fields, the path that holds it, and whether it flows into the SDK.</summary>
    private sealed class SpecSite
    {
        private readonly KubernetesTypes _types;
        private string? _description;

        public SpecSite(IObjectCreationOperation creation, KubernetesTypes types)
        {
            _types = types;
            Creation = creation;
            Fields = FieldsOf(creation);
            var location = Locate(creation, types);
            Path = location.Path;
            PassedToSdk = location.PassedToSdk;
            Owner = location.Owner ?? creation;
        }

        public IObjectCreationOperation Creation { get; }

        public Dictionary<string, FieldValue> Fields { get; }

        public string? Path { get; }

        public bool PassedToSdk { get; }

        public IOperation Owner { get; }

        public string Describe() => _description ??= DescribeOwner(Owner, _types);
    }

    internal readonly struct FieldValue
    {
        public FieldValue(IOperation value, bool fromConstructor)
        {
            Value = value;
            FromConstructor = fromConstructor;
        }

        public IOperation Value { get; }

        public bool FromConstructor { get; }
    }

    private readonly struct SiteLocation
    {
        public SiteLocation(string? path, bool passedToSdk, IOperation? owner)
        {
            Path = path;
            PassedToSdk = passedToSdk;
            Owner = owner;
        }

        public string? Path { get; }

        public bool PassedToSdk { get; }

        public IOperation? Owner { get; }
    }

    /// <summary>The members an object creation sets, from its initializer and its named constructor parameters.</summary>
    private static Dictionary<string, FieldValue> FieldsOf(IObjectCreationOperation creation)
    {
        var fields = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var argument in creation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter is { Name.Length: > 0 } parameter)
            {
                fields[char.ToUpperInvariant(parameter.Name[0]) + parameter.Name.Substring(1)] = new FieldValue(argument.Value, fromConstructor: true);
            }
        }

        if (creation.Initializer is not null)
        {
            foreach (var initializer in creation.Initializer.Initializers)
            {
                if (initializer is ISimpleAssignmentOperation { Target: IMemberReferenceOperation member } assignment
                    && member.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver })
                {
                    fields[member.Member.Name] = new FieldValue(assignment.Value, fromConstructor: false);
                }
            }
        }

        return fields;
    }

    /// <summary>Walks up from a value to the variable or member that ends up holding it.</summary>
    private static SiteLocation Locate(IOperation start, KubernetesTypes types)
    {
        var segments = new List<string>();
        IOperation current = start;
        IOperation? owner = null;
        for (int guard = 0; guard < 64; guard++)
        {
            var parent = current.Parent;
            switch (parent)
            {
                case null:
                    return new SiteLocation(null, false, owner);

                case IConversionOperation or IParenthesizedOperation or IDelegateCreationOperation:
                    current = parent;
                    continue;

                case ISimpleAssignmentOperation assignment when assignment.Value == current:
                    if (assignment.Target is IMemberReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver } } member)
                    {
                        segments.Add(member.Member.Name);
                        if (assignment.Parent is IObjectOrCollectionInitializerOperation { Parent: { } container }
                            && (container is IObjectCreationOperation || container.Kind == OperationKind.With || container is IAnonymousObjectCreationOperation))
                        {
                            current = container;
                            owner = container is IObjectCreationOperation ? container : owner;
                            continue;
                        }

                        return new SiteLocation(null, false, owner);
                    }

                    return new SiteLocation(Join(RefKey(assignment.Target), segments), false, owner);

                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return new SiteLocation(Join(LocalKey(declarator.Symbol), segments), false, owner);

                case IFieldInitializerOperation fieldInitializer when fieldInitializer.InitializedFields.Length == 1:
                    return new SiteLocation(Join("F:" + fieldInitializer.InitializedFields[0].Name, segments), false, owner);

                case IPropertyInitializerOperation propertyInitializer when propertyInitializer.InitializedProperties.Length == 1:
                    return new SiteLocation(Join("F:" + propertyInitializer.InitializedProperties[0].Name, segments), false, owner);

                case IArgumentOperation argument:
                    if (argument.Parent is IInvocationOperation call)
                    {
                        if (types.IsSandboxing(call.TargetMethod))
                        {
                            return new SiteLocation(null, true, owner);
                        }

                        if (IsInitialize(call) && call.Arguments.Length > 0 && call.Arguments[0] == argument)
                        {
                            current = call; // new V1Pod(...).Initialize(): the same object
                            continue;
                        }

                        if (call.IsImplicit && call.Parent is IObjectOrCollectionInitializerOperation { Parent: IObjectCreationOperation collection })
                        {
                            segments.Add("[]"); // an element of a collection initializer
                            current = collection;
                            continue;
                        }

                        return new SiteLocation(null, false, owner);
                    }

                    if (argument.Parent is IObjectCreationOperation constructed && KubernetesTypes.IsModel(constructed.Type)
                        && argument.Parameter is { Name.Length: > 0 } parameter)
                    {
                        segments.Add(char.ToUpperInvariant(parameter.Name[0]) + parameter.Name.Substring(1));
                        current = constructed;
                        owner = constructed;
                        continue;
                    }

                    return new SiteLocation(null, false, owner);

                case IInvocationOperation invocation when invocation.Instance == current && IsInitialize(invocation):
                    current = invocation;
                    continue;

                case IArrayInitializerOperation:
                    segments.Add("[]");
                    current = parent;
                    while (current.Parent is IArrayInitializerOperation)
                    {
                        current = current.Parent;
                    }

                    if (current.Parent is IArrayCreationOperation array)
                    {
                        current = array;
                        continue;
                    }

                    return new SiteLocation(null, false, owner);

                default:
                    if (parent.Kind == OperationKind.None || parent.Kind.ToString() == "CollectionExpression")
                    {
                        segments.Add("[]"); // a collection expression: [new V1Pod { … }]
                        current = parent;
                        continue;
                    }

                    return new SiteLocation(null, false, owner);
            }
        }

        return new SiteLocation(null, false, owner);
    }

    private static bool IsInitialize(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name == "Initialize" && invocation.Type is not null && KubernetesTypes.IsModel(invocation.Type);

    private static string? Join(string? root, List<string> segmentsInnerFirst)
    {
        if (root is null)
        {
            return null;
        }

        var builder = new System.Text.StringBuilder(root);
        for (int i = segmentsInnerFirst.Count - 1; i >= 0; i--)
        {
            builder.Append('.').Append(segmentsInnerFirst[i]);
        }

        return builder.ToString();
    }

    private static string LocalKey(ILocalSymbol local) =>
        "L:" + local.Name + "@" + (local.Locations.Length > 0 ? local.Locations[0].SourceSpan.Start : 0);

    /// <summary>The access path of a reference: <c>pod.Spec.Template</c> becomes <c>L:pod@12.Spec.Template</c>; null for anything else.</summary>
    internal static string? RefKey(IOperation? operation)
    {
        operation = operation is null ? null : Unwrap(operation);
        switch (operation)
        {
            case ILocalReferenceOperation local:
                return LocalKey(local.Local);
            case IParameterReferenceOperation parameter:
                return "P:" + parameter.Parameter.Name;
            case IInstanceReferenceOperation:
                return "this";
            case IFieldReferenceOperation field:
                return field.Instance is null or IInstanceReferenceOperation
                    ? "F:" + field.Field.Name
                    : RefKey(field.Instance) is { } fieldOwner ? fieldOwner + "." + field.Field.Name : null;
            case IPropertyReferenceOperation property when property.Arguments.Length == 0:
                return property.Instance is null or IInstanceReferenceOperation
                    ? "F:" + property.Property.Name
                    : RefKey(property.Instance) is { } propertyOwner ? propertyOwner + "." + property.Property.Name : null;
            default:
                return null;
        }
    }

    /// <summary>What one member body does to paths: later assignments, Sandbox() calls and aliases between variables.</summary>
    internal sealed class BlockFacts
    {
        private readonly List<KeyValuePair<string, string>> _aliases = new();
        private readonly HashSet<string> _sdkPaths = new(StringComparer.Ordinal);

        public List<LaterAssignment> Assignments { get; } = new();

        public static BlockFacts Collect(IOperation root, KubernetesTypes types, System.Threading.CancellationToken cancellationToken)
        {
            var facts = new BlockFacts();
            foreach (var operation in root.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (operation)
                {
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment
                        when KubernetesTypes.Is(target.Property.ContainingType, types.PodSpec)
                            && target.Instance is not (null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver })
                            && (target.Property.Name == RuntimeClassName || Array.IndexOf(s_hostFlags, target.Property.Name) >= 0)
                            && RefKey(target.Instance) is { } instancePath:
                        facts.Assignments.Add(new LaterAssignment(instancePath, target.Property.Name, assignment));
                        break;

                    case IInvocationOperation invocation when types.IsSandboxing(invocation.TargetMethod):
                        if (RefKey(invocation.Instance) is { } receiver)
                        {
                            facts._sdkPaths.Add(receiver);
                        }

                        foreach (var argument in invocation.Arguments)
                        {
                            if (RefKey(argument.Value) is { } passed)
                            {
                                facts._sdkPaths.Add(passed);
                            }
                        }

                        break;

                    case IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator
                        when KubernetesTypes.IsModel(declarator.Symbol.Type) && RefKey(initial) is { } source:
                        facts._aliases.Add(new KeyValuePair<string, string>(LocalKey(declarator.Symbol), source));
                        break;

                    case ILocalReferenceOperation local when KubernetesTypes.IsModel(local.Type) || IsCollectionOfModels(local.Type):
                        var where = Locate(local, types);
                        if (where.Path is not null)
                        {
                            facts._aliases.Add(new KeyValuePair<string, string>(LocalKey(local.Local), where.Path));
                        }

                        break;
                }
            }

            return facts;
        }

        /// <summary>Every path that can name the same object as <paramref name="path"/>, following aliases both ways.</summary>
        public HashSet<string> Expand(string path)
        {
            var result = new HashSet<string>(StringComparer.Ordinal) { path };
            for (int round = 0; round < MaxAliasRounds && _aliases.Count > 0; round++)
            {
                int before = result.Count;
                foreach (var known in result.ToArray())
                {
                    foreach (var alias in _aliases)
                    {
                        AddRebased(result, known, alias.Key, alias.Value);
                        AddRebased(result, known, alias.Value, alias.Key);
                    }
                }

                if (result.Count == before || result.Count > 256)
                {
                    break;
                }
            }

            return result;
        }

        public bool IsPassedToSdk(HashSet<string> paths)
        {
            foreach (var sdkPath in _sdkPaths)
            {
                foreach (var path in paths)
                {
                    if (IsPrefix(sdkPath, path))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static void AddRebased(HashSet<string> result, string known, string from, string to)
        {
            if (IsPrefix(from, known))
            {
                result.Add(to + known.Substring(from.Length));
            }
        }

        private static bool IsPrefix(string prefix, string path) =>
            path.Length == prefix.Length
                ? string.Equals(path, prefix, StringComparison.Ordinal)
                : path.Length > prefix.Length && path[prefix.Length] == '.' && path.StartsWith(prefix, StringComparison.Ordinal);
    }

    internal readonly struct LaterAssignment
    {
        public LaterAssignment(string instancePath, string property, ISimpleAssignmentOperation operation)
        {
            InstancePath = instancePath;
            Property = property;
            Operation = operation;
        }

        public string InstancePath { get; }

        public string Property { get; }

        public ISimpleAssignmentOperation Operation { get; }
    }

    private static bool IsCollectionOfModels(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol array => KubernetesTypes.IsModel(array.ElementType),
        INamedTypeSymbol { IsGenericType: true } named => named.TypeArguments.Any(KubernetesTypes.IsModel),
        _ => false,
    };

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers.
    // ---------------------------------------------------------------------------------------------------------------

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    internal static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    private static bool IsTrue(IOperation value) => Unwrap(value).ConstantValue is { HasValue: true, Value: true };

    private static bool IsNullConstant(IOperation value) => Unwrap(value).ConstantValue is { HasValue: true, Value: null };

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
        var typeName = owner.Type?.Name ?? "V1PodSpec";
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

    private static string DescribeAssignedSpec(IPropertyReferenceOperation property)
    {
        if (property.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver })
        {
            // In an initializer or a with-expression: name the object that is being built.
            for (var current = property.Parent; current is not null; current = current.Parent)
            {
                if (current is IObjectCreationOperation or { Kind: OperationKind.With })
                {
                    IOperation outer = current;
                    for (var up = current.Parent; up is not null; up = up.Parent)
                    {
                        if (up is IObjectCreationOperation upCreation && KubernetesTypes.IsModel(upCreation.Type))
                        {
                            outer = upCreation;
                        }
                    }

                    return outer.Type?.Name ?? "V1PodSpec";
                }
            }

            return "V1PodSpec";
        }

        var text = property.Instance?.Syntax.ToString() ?? "V1PodSpec";
        return text.Length > 60 ? "V1PodSpec" : "'" + text + "'";
    }

    private static string? RightmostName(SyntaxNode node) => node switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>
    /// False when the syntax alone shows that a creation is not a <c>V1PodSpec</c>: <c>new X { … }</c> with another type name, or
    /// a target-typed <c>new()</c> assigned to a member not named <c>Spec</c> or declared with another type. Only the rest are bound.
    /// </summary>
    private static bool MayBePodSpec(BaseObjectCreationExpressionSyntax node)
    {
        if (node is ObjectCreationExpressionSyntax explicitCreation)
        {
            return RightmostName(explicitCreation.Type) == "V1PodSpec" || HasUsingAlias(node.SyntaxTree, default);
        }

        SyntaxNode child = node;
        var parent = node.Parent;
        while (parent is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            child = parent;
            parent = parent.Parent;
        }

        switch (parent)
        {
            case AssignmentExpressionSyntax assignment when assignment.Right == child:
                return RightmostName(assignment.Left) == "Spec";
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } }:
                return declaration.Type.IsVar || IsPodSpecTypeName(declaration.Type);
            case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                return IsPodSpecTypeName(property.Type);
            case ArrowExpressionClauseSyntax arrow:
                return arrow.Parent switch
                {
                    MethodDeclarationSyntax method => IsPodSpecTypeName(method.ReturnType),
                    PropertyDeclarationSyntax property => IsPodSpecTypeName(property.Type),
                    LocalFunctionStatementSyntax local => IsPodSpecTypeName(local.ReturnType),
                    _ => true,
                };
            default:
                return true; // arguments, collection elements, returns, conditionals: let the semantic model say.
        }
    }

    private static bool IsPodSpecTypeName(TypeSyntax type) => type switch
    {
        NullableTypeSyntax nullable => IsPodSpecTypeName(nullable.ElementType),
        NameSyntax name => RightmostName(name) == "V1PodSpec" || HasUsingAlias(type.SyntaxTree, default),
        _ => false, // predefined, array, tuple and pointer types
    };

    private static bool HasUsingAlias(SyntaxTree tree, System.Threading.CancellationToken cancellationToken) =>
        tree.GetRoot(cancellationToken) is CompilationUnitSyntax unit && unit.Usings.Any(u => u.Alias is not null);

    /// <summary>From <c>new</c> to the type (or to <c>()</c> for <c>new()</c>): the line that builds the object.</summary>
    internal static Location NewLocation(BaseObjectCreationExpressionSyntax node)
    {
        int end = node switch
        {
            ObjectCreationExpressionSyntax explicitCreation => explicitCreation.Type.Span.End,
            ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.ArgumentList.Span.End,
            _ => node.NewKeyword.Span.End,
        };
        return Location.Create(node.SyntaxTree, TextSpan.FromBounds(node.NewKeyword.SpanStart, Math.Max(end, node.NewKeyword.Span.End)));
    }
}
