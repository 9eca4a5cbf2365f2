using System.CommandLine;
using k8s.Models;
using Sandboxing.Sdk;

namespace Sandboxing.Cli.Config;

/// <summary>
/// A command's settings from its flags and its config file: a flag given on the command line wins over the file, the file over
/// the default. <c>--exclude</c> adds to the file's <c>exclude</c>.
/// </summary>
internal static class ConfigSettings
{
    /// <summary>True when <paramref name="option"/> was typed on the command line (not its default).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>
    /// The runtime: <c>--runtime</c> when given, else the file's <c>runtime</c>, else <c>kata-vm-isolation</c>. A class that
    /// <paramref name="defined"/> describes comes with its definition (overhead, scheduling).
    /// </summary>
    /// <remarks>
    /// A name that no class of <c>sandboxing runtimes</c> has and that neither the file's <c>runtimeClasses</c> nor a RuntimeClass
    /// of the inputs declares is refused when it is a few edits from a known class (the SDK's typo rule, as for
    /// <c>WithRuntime</c>); any other name that is not a sandbox class (<c>nvidia</c>, an undeclared custom name) is refused too.
    /// </remarks>
    /// <exception cref="ArgumentException">The value is not a sandbox class name, or is a typo of a known class.</exception>
    public static SandboxRuntime Runtime(ParseResult parse, Option<string> flag, SandboxingConfig config, IReadOnlyList<RuntimeClassDefinition> defined)
    {
        var fromFlag = Given(parse, flag);
        var runtime = SandboxingCli.ParseRuntime(fromFlag ? parse.GetValue(flag) : config.Runtime ?? KnownRuntimeClasses.Default);
        if (defined.FirstOrDefault(d => d.Name == runtime.Name) is { } declared)
        {
            return declared.IsSandbox ? declared.AsRuntime() : runtime;
        }

        if (SandboxRuntime.MisspeltPreset(runtime.Name) is { } meant)
        {
            var where = fromFlag ? "--runtime" : $"{config.DisplayPath}:{config.RuntimePosition.Line}:{config.RuntimePosition.Column}: runtime:";
            throw new ArgumentException(
                $"{where} '{runtime.Name}' is not a runtime class this tool knows; did you mean '{meant}'? A custom class this close to a " +
                "known one must be declared: in the config file's runtimeClasses, or as a RuntimeClass among the inputs.");
        }

        // A plain name that is no sandbox (nvidia, default, an undeclared custom name) would be written into every pod by fix and
        // suggested by lint while isolating nothing: a custom sandbox class is declared with its handler instead.
        if (SandboxRuntime.ClassProblem(runtime.Name) is { } problem)
        {
            var where = fromFlag ? "--runtime" : $"{config.DisplayPath}:{config.RuntimePosition.Line}:{config.RuntimePosition.Column}: runtime:";
            throw new ArgumentException(
                $"{where} '{runtime.Name}' {problem}; name a sandbox class such as {KnownRuntimeClasses.Default}, or declare a custom class " +
                "with its sandbox handler (handler: kata) in the config file's runtimeClasses or as a RuntimeClass among the inputs.");
        }

        return runtime;
    }

    /// <summary>The allowed classes: <c>--allowed-runtime-classes</c> when given, else the file's list, else null (the defaults).</summary>
    public static IReadOnlyCollection<string>? Allowed(ParseResult parse, Option<string[]> flag, SandboxingConfig config)
    {
        var classes = SandboxingCli.SplitList(parse.GetValue(flag));
        return classes.Length > 0 ? classes : config.AllowedRuntimeClasses;
    }

    /// <summary>The definitions a command knows: the file's <c>runtimeClasses</c>, then those the inputs define.</summary>
    public static IReadOnlyList<RuntimeClassDefinition> Defined(SandboxingConfig config, IReadOnlyList<LearnedRuntimeClass> learned) =>
        [.. config.RuntimeClasses, .. learned.Select(l => l.Definition)];

    /// <summary>
    /// A problem when the runtime that would be suggested (lint) or added (fix) is a class the inputs define with a handler that
    /// is not a sandbox: adding it would look sandboxed and isolate nothing.
    /// </summary>
    public static ManifestProblem? RuntimeDefinedUnsafely(SandboxRuntime runtime, IReadOnlyList<LearnedRuntimeClass> learned) =>
        learned.FirstOrDefault(l => l.Definition.Name == runtime.Name && !l.Definition.IsSandbox) is { } unsafeClass
            ? new ManifestProblem(unsafeClass.Source, unsafeClass.Line, unsafeClass.Column,
                $"RuntimeClass '{runtime.Name}' has handler '{unsafeClass.Definition.Handler}', which is not a sandbox, yet it is the class to add " +
                "(--runtime or the config's runtime); give it a Kata handler such as kata, or choose another class")
            : null;

    /// <summary>The validator's options for a config and the classes learned from the inputs.</summary>
    public static SandboxValidationOptions Validation(
        ParseResult parse, Option<string> runtime, Option<string[]> allowed, bool strict, SandboxingConfig config, IReadOnlyList<LearnedRuntimeClass> learned)
    {
        var defined = Defined(config, learned);
        return new SandboxValidationOptions
        {
            Runtime = Runtime(parse, runtime, config, defined),
            AllowedRuntimeClasses = Allowed(parse, allowed, config),
            HonorExemptions = !strict,
            PodTemplates = config.PodTemplates,
            RuntimeClasses = defined,
        };
    }

    /// <summary>A lint result with the file's <c>rules</c> applied: a finding gets the rule's new severity, or is left out for <c>off</c>.</summary>
    public static ManifestLintResult ApplyRules(ManifestLintResult result, SandboxingConfig config)
    {
        if (config.Rules.Count == 0 && config.CustomKindPositions.Count == 0)
        {
            return result;
        }

        var findings = new List<ManifestFinding>();
        foreach (var found in result.Findings)
        {
            var finding = found;

            // A kind of this file whose paths match nothing: point at the entry that declares them.
            if (finding.Finding.Rule == SandboxRules.UnknownPodSpecPath && config.CustomKindPositions.TryGetValue(finding.Finding.Kind, out var at)
                && finding.Finding.Message.EndsWith(" (PodTemplateRegistry.With)", StringComparison.Ordinal))
            {
                finding = finding.WithFinding(finding.Finding.WithMessage(
                    finding.Finding.Message[..^" (PodTemplateRegistry.With)".Length] + $" at {config.DisplayPath}:{at.Line}:{at.Column} (podTemplates)"));
            }

            if (!config.Rules.TryGetValue(finding.Finding.RuleId, out var severity))
            {
                findings.Add(finding);
            }
            else if (severity is { } set)
            {
                findings.Add(finding.WithFinding(finding.Finding.WithSeverity(set)));
            }
        }

        return result.With(findings, result.Problems);
    }
}

/// <summary>A RuntimeClass an input defines, with where.</summary>
/// <param name="Definition">What it says.</param>
/// <param name="Source">The file.</param>
/// <param name="Line">The line of the object.</param>
/// <param name="Column">The column of the object.</param>
internal sealed record LearnedRuntimeClass(RuntimeClassDefinition Definition, string Source, int Line, int Column);

/// <summary>The RuntimeClass objects (<c>node.k8s.io/v1</c>) of the inputs, which the config key <c>readRuntimeClassesFromInputs</c> turns on.</summary>
internal static class InputRuntimeClasses
{
    /// <summary>
    /// The classes the sources define, and the problems of those that cannot be learned (an invalid name, handler or overhead,
    /// which the API server would refuse). Files that do not parse are skipped: the command reports them itself.
    /// </summary>
    public static (IReadOnlyList<LearnedRuntimeClass> Classes, IReadOnlyList<ManifestProblem> Problems) Read(IEnumerable<ManifestSource> sources, ManifestReadOptions read)
    {
        var classes = new List<LearnedRuntimeClass>();
        var problems = new List<ManifestProblem>();
        foreach (var source in sources)
        {
            // Most files define none: they pay one substring search.
            if (!source.Text.Contains(V1RuntimeClass.KubeKind, StringComparison.Ordinal))
            {
                continue;
            }

            IReadOnlyList<ManifestObject> objects;
            try
            {
                objects = SandboxManifest.ReadRuntimeClasses(source, read);
            }
            catch (ManifestException)
            {
                continue;
            }

            foreach (var found in objects)
            {
                try
                {
                    classes.Add(new LearnedRuntimeClass(RuntimeClassDefinition.FromRuntimeClass((V1RuntimeClass)found.Object), source.Name, found.Line, found.Column));
                }
                catch (ArgumentException e)
                {
                    problems.Add(new ManifestProblem(source.Name, found.Line, found.Column,
                        $"{FirstSentence(e.Message)}; fix the RuntimeClass (the API server would refuse it), or set readRuntimeClassesFromInputs: false in the config", found.DocumentIndex));
                }
            }
        }

        return (classes, problems);
    }

    /// <summary>An argument exception's message without its "(Parameter 'x')" suffix.</summary>
    private static string FirstSentence(string message)
    {
        int parameter = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return (parameter > 0 ? message[..parameter] : message).TrimEnd('.');
    }
}
