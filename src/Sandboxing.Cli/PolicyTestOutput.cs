using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary><c>sandboxing policy --test</c>: reads the manifests, evaluates the policy (<see cref="PolicyTest"/>) and prints one line per object.</summary>
internal static class PolicyTestOutput
{
    /// <summary>Runs the test; returns 1 when an object is denied, 0 when all are admitted, 2 for bad input.</summary>
    public static int Run(SandboxPolicy policy, string[] paths, string[] namespaceLabels, CliConsole console, ColorChoice color)
    {
        var err = console.ErrorStyles(color);
        if (paths.Length == 0)
        {
            console.Error.WriteLine($"{err.Error}: --test needs manifests: files, folders, or '-' for standard input.");
            return ExitCodes.BadInput;
        }

        var labels = ParseLabels(namespaceLabels);
        var read = ManifestReadOptions.Default;
        var (files, problems) = InputFiles.Expand(paths, console);
        var objects = new List<(string, ManifestObject)>();
        var allProblems = new List<ManifestProblem>(problems);
        foreach (var file in files)
        {
            try
            {
                var source = file.Read(console, read);
                objects.AddRange(SandboxManifest.ReadWithLocations(source, read).Select(o => (file.DisplayName, o)));
            }
            catch (ManifestException e)
            {
                allProblems.AddRange(e.Problems);
            }
        }

        if (allProblems.Count > 0)
        {
            // An object that cannot be read cannot be judged: nothing is reported as admitted.
            foreach (var problem in allProblems)
            {
                console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(problem.ToString())}");
            }

            return ExitCodes.BadInput;
        }

        var verdicts = PolicyTest.Evaluate(policy, objects, labels);
        var styles = console.OutputStyles(color);
        foreach (var verdict in verdicts)
        {
            var (word, role) = verdict.Outcome switch
            {
                PolicyOutcome.Admitted => ("admit", TextRole.Note),
                PolicyOutcome.Denied => ("deny", TextRole.Error),
                PolicyOutcome.Warned => ("admit with warning", TextRole.Warning),
                _ => ("admit (not matched)", TextRole.Note),
            };
            console.Output.WriteLine($"{ControlCharacters.Escape($"{verdict.Source}:{verdict.Line}: {verdict.Object}")}: {styles.Paint(word, role)}");
            foreach (var reason in verdict.Reasons)
            {
                console.Output.WriteLine($"    {ControlCharacters.Escape(CliWording.Apply(reason))}");
            }
        }

        int denied = verdicts.Count(v => v.Outcome == PolicyOutcome.Denied);
        console.Output.WriteLine($"{verdicts.Count} objects the policy covers: {verdicts.Count(v => v.Outcome is PolicyOutcome.Admitted or PolicyOutcome.Warned)} admitted, " +
            $"{denied} denied, {verdicts.Count(v => v.Outcome == PolicyOutcome.NotMatched)} not matched (namespace or match condition)");
        return denied > 0 ? ExitCodes.Findings : ExitCodes.Success;
    }

    /// <summary>The <c>--namespace-labels</c> values, <c>namespace=key=value</c>, by namespace.</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, string>> ParseLabels(string[] values)
    {
        var byNamespace = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var text in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var parts = text.Split('=', 3);
            if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new ArgumentException($"--namespace-labels '{text}' is not namespace=key=value; for example web=sandboxing.sdk/enforce=true.");
            }

            if (KubernetesNames.CheckLabel(parts[0]) is { } error)
            {
                throw new ArgumentException($"--namespace-labels '{text}': '{parts[0]}' is not a namespace name: {error}.");
            }

            var labels = byNamespace.TryGetValue(parts[0], out var existing) ? existing : byNamespace[parts[0]] = new Dictionary<string, string>(StringComparer.Ordinal);
            labels[parts[1]] = parts.Length > 2 ? parts[2] : "true";
        }

        return byNamespace.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, string>)p.Value, StringComparer.Ordinal);
    }
}
