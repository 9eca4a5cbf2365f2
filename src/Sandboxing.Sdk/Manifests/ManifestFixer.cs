using System.Text;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk;

/// <summary>What the fixer does.</summary>
public sealed class ManifestFixOptions
{
    /// <summary>The defaults: add <c>kata-vm-isolation</c>, leave host-network pods and retired classes alone.</summary>
    public static ManifestFixOptions Default { get; } = new();

    /// <summary>The runtime class to add where a pod spec has none. Default: AKS <c>kata-vm-isolation</c>.</summary>
    /// <exception cref="SandboxException">A class that is not a sandbox (<c>runc</c>, <c>nvidia</c>, a typo of a known class, a definition with a host-kernel handler): adding it would isolate nothing.</exception>
    public SandboxRuntime Runtime { get => _runtime; init => _runtime = value.ThrowIfNotSandbox("ManifestFixOptions.Runtime"); }

    private readonly SandboxRuntime _runtime;

    /// <summary>
    /// Also change pods that cannot run under Kata as written (host networking) and rename retired classes
    /// (<c>kata-cc-isolation</c>, a confidential class, to its non-confidential replacement). Default false: they are reported.
    /// </summary>
    public bool Force { get; init; }

    /// <summary>The input limits.</summary>
    public ManifestReadOptions Read { get; init; } = ManifestReadOptions.Default;

    /// <summary>The kinds whose pod specs get the class: <see cref="PodTemplateRegistry.Default"/> unless you add your own.</summary>
    public PodTemplateRegistry PodTemplates { get; init; } = PodTemplateRegistry.Default;

    /// <summary>
    /// Tolerations to add to every pod spec that gets the runtime class, such as the one for a tainted sandbox node pool, so the
    /// fixed pods are not left Pending. A spec that already tolerates the matching taint is left as it is. Default: none.
    /// </summary>
    public IReadOnlyList<V1Toleration> Tolerations { get; init; } = [];
}

/// <summary>One change the fixer made.</summary>
public sealed class ManifestEdit
{
    internal ManifestEdit(int line, int column, string @object, string description, int offset, int removedLength, string insertedText)
    {
        Line = line;
        Column = column;
        Object = @object;
        Description = description;
        Offset = offset;
        RemovedLength = removedLength;
        InsertedText = insertedText;
    }

    /// <summary>The line of the change in the original text (1-based).</summary>
    public int Line { get; }

    /// <summary>The column (1-based).</summary>
    public int Column { get; }

    /// <summary>The object, as <c>Kind namespace/name</c>.</summary>
    public string Object { get; }

    /// <summary>What changed, for example <c>added runtimeClassName: kata-vm-isolation</c>.</summary>
    public string Description { get; }

    /// <summary>Where the change starts in <see cref="ManifestSource.Text"/> (characters, without the byte order mark).</summary>
    public int Offset { get; }

    /// <summary>How many characters of the original text it replaces (0 for an insertion).</summary>
    public int RemovedLength { get; }

    /// <summary>The text it puts there.</summary>
    public string InsertedText { get; }
}

/// <summary>The outcome of fixing one manifest.</summary>
public sealed class ManifestFixResult
{
    internal ManifestFixResult(ManifestSource source, string fixedText, IReadOnlyList<ManifestEdit> edits, IReadOnlyList<ManifestProblem> skipped, IReadOnlyList<ManifestProblem> problems)
    {
        Source = source;
        FixedText = fixedText;
        Edits = edits;
        Skipped = skipped;
        Problems = problems;
    }

    /// <summary>The source that was fixed.</summary>
    public ManifestSource Source { get; }

    /// <summary>The new text, without a byte order mark (see <see cref="ManifestSource.Encode"/>); the original text when nothing changed or the input had problems.</summary>
    public string FixedText { get; }

    /// <summary>What changed.</summary>
    public IReadOnlyList<ManifestEdit> Edits { get; }

    /// <summary>Pods that need a runtime class but were left alone, with why (host networking, a retired class).</summary>
    public IReadOnlyList<ManifestProblem> Skipped { get; }

    /// <summary>What could not be read; when there are any, nothing is changed.</summary>
    public IReadOnlyList<ManifestProblem> Problems { get; }

    /// <summary>True when the text changed.</summary>
    public bool Changed => !string.Equals(FixedText, Source.Text, StringComparison.Ordinal);

    /// <summary>A unified diff of the change (empty when nothing changed), with 3 lines of context.</summary>
    public string Diff() => UnifiedDiff.Create(Source.Text, FixedText, "a/" + Source.Name.TrimStart('/'), "b/" + Source.Name.TrimStart('/'));
}

/// <summary>
/// Fixes manifests by editing their text, so that everything the fix does not touch keeps its bytes: comments, key order,
/// quoting, indentation, flow or block style, line endings and a byte order mark. It adds <c>runtimeClassName</c> as the
/// first key of each pod spec that has none (at the spec's indentation in block style, as <c>runtimeClassName: x, </c> in
/// flow style, matching the quoting of the key it precedes) and renames deprecated classes in place, keeping their quotes.
/// Fixing twice changes nothing the second time. A pod whose owner is exempt (<c>sandboxing.sdk/exempt</c> with a reason)
/// is left alone; one that cannot run under Kata (host networking) is reported and left alone unless
/// <see cref="ManifestFixOptions.Force"/> is set.
/// </summary>
public static class ManifestFixer
{
    private const string Key = "runtimeClassName";

    /// <summary>Fixes text.</summary>
    public static ManifestFixResult Fix(string text, string source = "<input>", ManifestFixOptions? options = null) =>
        Fix(ManifestSource.FromText(text, source), options);

    /// <summary>Fixes a decoded source; never throws for bad input, which comes back as <see cref="ManifestFixResult.Problems"/>.</summary>
    public static ManifestFixResult Fix(ManifestSource source, ManifestFixOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= ManifestFixOptions.Default;
        var text = source.Text;
        var edits = new List<ManifestEdit>();
        var skipped = new List<ManifestProblem>();
        var problems = new List<ManifestProblem>();
        var objects = new List<ManifestPodObject>();
        bool json = false;
        try
        {
            // One document at a time; any problem, in any document, leaves the whole text unchanged.
            int index = 0;
            // Only a file that is JSON now must stay JSON: YAML's flow style also starts with '{' and keeps its own quoting.
            json = JsonStream.IsJson(text) && JsonStream.Invalid(text) is null;
            foreach (var document in ManifestParser.ParseDocuments(source, options.Read))
            {
                objects.Clear();
                ManifestObjects.FindPodObjects(document, ++index, options.PodTemplates, objects);
                FixObjects(objects, source.Name, text, options, edits, skipped, problems, json);
            }
        }
        catch (ManifestException e)
        {
            return new ManifestFixResult(source, text, [], skipped, [.. problems, .. e.Problems]);
        }

        if (problems.Count > 0)
        {
            return new ManifestFixResult(source, text, [], skipped, problems);
        }

        edits.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var fixedText = Apply(text, edits);

        // kubectl reads a file that starts with '{' as JSON: what the fixer writes there must stay JSON, or the file is left alone.
        if (edits.Count > 0 && json && JsonStream.Invalid(fixedText) is { } error)
        {
            return new ManifestFixResult(source, text, [], skipped, [new ManifestProblem(source.Name, edits[0].Line, edits[0].Column,
                $"the file is JSON and the fix would not leave valid JSON ({error}); the file is left unchanged: add '{Key}: {options.Runtime.Name}' by hand")]);
        }

        return new ManifestFixResult(source, fixedText, edits, skipped, problems);
    }

    private static void FixObjects(List<ManifestPodObject> objects, string name, string text, ManifestFixOptions options,
        List<ManifestEdit> edits, List<ManifestProblem> skipped, List<ManifestProblem> problems, bool json)
    {
        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var runtime = options.Runtime.Name;

        // Mappings merged (<<: *anchor) into a pod spec that is left alone: a key added to them would reach that pod too.
        var leftAlone = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var insertions = new List<(ManifestEdit Edit, YamlMappingNode Spec)>();
        const string advice = "fix the value first (the file is left unchanged)";
        foreach (var obj in objects)
        {
            if (!obj.TryToModel(name, advice, problems, out var model) || !obj.TryGetSites(model, name, advice, problems, out var sites))
            {
                continue;
            }

            foreach (var (site, spec, _) in sites)
            {
                if (!seen.Add(spec))
                {
                    continue;
                }

                var who = site.Describe();
                var reason = SandboxAnnotations.FindExemption(model.Metadata, site.TemplateMetadata, SandboxAnnotations.Exempt, out _);
                if (!string.IsNullOrWhiteSpace(reason))
                {
                    YamlMaps.AddMergeSources(spec, leftAlone);
                    continue; // opted out with a reason: the linter reports nothing, and the fixer changes nothing
                }

                if (ManifestObjects.Child(spec, Key) is { } existing)
                {
                    Rename(existing, who, options, text, edits, skipped, name);
                    continue;
                }

                if (SandboxValidator.RefusalOnceSandboxed(site.Spec) is not null && !options.Force)
                {
                    skipped.Add(new ManifestProblem(name, (int)spec.Start.Line, (int)spec.Start.Column,
                        $"{who} uses hostNetwork, which Kata does not support, so no runtimeClassName was added; remove hostNetwork, " +
                        $"opt the workload out with the annotation {SandboxAnnotations.Exempt}: \"<reason>\", or run with --force"));
                    YamlMaps.AddMergeSources(spec, leftAlone);
                    continue;
                }

                var missing = MissingTolerations(site.Spec, options.Tolerations);
                var existingTolerations = ManifestObjects.Child(spec, TolerationsKey);
                if (missing.Count > 0 && existingTolerations is not (null or YamlSequenceNode))
                {
                    skipped.Add(new ManifestProblem(name, (int)existingTolerations.Start.Line, (int)existingTolerations.Start.Column,
                        $"{who} has tolerations that are not a list, so the fixer does not add to them; add the toleration {Describe(missing[0])} by hand"));
                    continue;
                }

                var (offset, insert) = Insertion(spec, text, runtime, existingTolerations is null ? missing : [], json);
                var where = site.Owner is UnstructuredObject ? $" at {site.SpecPath}" : "";
                var added = existingTolerations is null && missing.Count > 0 ? $" and {string.Join(", ", missing.Select(t => "toleration " + Describe(t)))}" : "";
                insertions.Add((new ManifestEdit((int)spec.Start.Line, (int)spec.Start.Column, who, $"added {Key}: {runtime}{added}{where}", offset, 0, insert), spec));
                if (existingTolerations is YamlSequenceNode list && missing.Count > 0)
                {
                    insertions.Add((AddToList(list, missing, text, who, json), spec));
                }
            }
        }

        foreach (var (edit, spec) in insertions)
        {
            if (leftAlone.Contains(spec))
            {
                skipped.Add(new ManifestProblem(name, edit.Line, edit.Column,
                    $"{edit.Object} has no runtimeClassName, but its pod spec is merged (<<: *anchor) into a pod that is left alone, " +
                    $"which would get the class too; add '{Key}: {runtime}' to this pod by hand, outside the anchored mapping"));
                continue;
            }

            edits.Add(edit);
        }
    }

    private static void Rename(YamlNode existing, string who, ManifestFixOptions options, string text,
        List<ManifestEdit> edits, List<ManifestProblem> skipped, string name)
    {
        if (existing is not YamlScalarNode { Value: { } value } scalar || KnownRuntimeClasses.Find(value) is not { IsObsolete: true } known)
        {
            return; // a current or unknown class: the linter reports unknown ones; choosing another class is a decision
        }

        var replacement = known.ReplacedBy ?? options.Runtime.Name;
        if (known.Status == RuntimeClassStatus.Retired && !options.Force)
        {
            skipped.Add(new ManifestProblem(name, (int)scalar.Start.Line, (int)scalar.Start.Column,
                $"{who} uses the retired class '{value}'; it was not renamed to '{replacement}' because that changes the kind of isolation " +
                "(for kata-cc-isolation: confidential to non-confidential); rename it by hand, or run with --force"));
            return;
        }

        int start = (int)scalar.Start.Index;
        int end = (int)scalar.End.Index;
        switch (scalar.Style)
        {
            case ScalarStyle.Plain:
                break;
            case ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted:
                start++;
                end--;
                break;
            default:
                skipped.Add(new ManifestProblem(name, (int)scalar.Start.Line, (int)scalar.Start.Column,
                    $"{who} writes its runtimeClassName as a block scalar, which the fixer does not rewrite; write '{replacement}' by hand"));
                return;
        }

        if (end - start != value.Length || !text.AsSpan(start, end - start).SequenceEqual(value))
        {
            skipped.Add(new ManifestProblem(name, (int)scalar.Start.Line, (int)scalar.Start.Column,
                $"{who} writes its runtimeClassName with escapes or line breaks, which the fixer does not rewrite; write '{replacement}' by hand"));
            return;
        }

        edits.Add(new ManifestEdit((int)scalar.Start.Line, (int)scalar.Start.Column, who, $"renamed {Key} {value} to {replacement}", start, end - start, replacement));
    }

    private const string TolerationsKey = "tolerations";

    /// <summary>The tolerations of <paramref name="wanted"/> whose taint the spec does not tolerate yet.</summary>
    private static List<V1Toleration> MissingTolerations(V1PodSpec spec, IReadOnlyList<V1Toleration> wanted)
    {
        var have = (spec.Tolerations ?? []).Where(t => t is not null).ToList();
        return wanted.Where(t => !Tolerations.Tolerate(have, [new V1Taint { Key = t.Key, Value = t.Value, Effect = t.Effect }])).ToList();
    }

    /// <summary>
    /// A toleration as one flow mapping, with its strings double-quoted so that "true" or "1" stay strings; in a JSON file
    /// (<paramref name="json"/>) its keys and every value are quoted too, so the mapping is JSON.
    /// </summary>
    private static string FlowToleration(V1Toleration t, bool json)
    {
        static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        string Name(string key) => json ? Quote(key) : key;
        string Word(string word) => json ? Quote(word) : word;
        var parts = new List<string> { $"{Name("key")}: {Quote(t.Key ?? "")}", $"{Name("operator")}: {Word(t.OperatorProperty ?? (t.Value is null ? "Exists" : "Equal"))}" };
        if (t.Value is not null)
        {
            parts.Add($"{Name("value")}: {Quote(t.Value)}");
        }

        if (!string.IsNullOrEmpty(t.Effect))
        {
            parts.Add($"{Name("effect")}: {Word(t.Effect)}");
        }

        return "{" + string.Join(", ", parts) + "}";
    }

    private static string Describe(V1Toleration t) => t.Value is null ? $"{t.Key}:{t.Effect}" : $"{t.Key}={t.Value}:{t.Effect}";

    /// <summary>An edit that puts <paramref name="missing"/> first in an existing tolerations list (block or flow).</summary>
    private static ManifestEdit AddToList(YamlSequenceNode list, List<V1Toleration> missing, string text, string who, bool json)
    {
        var description = $"added {string.Join(", ", missing.Select(t => "toleration " + Describe(t)))}";
        int start = (int)list.Start.Index;
        if (list.Style == SequenceStyle.Flow)
        {
            var items = string.Join(", ", missing.Select(t => FlowToleration(t, json)));
            return new ManifestEdit((int)list.Start.Line, (int)list.Start.Column, who, description, start + 1, 0, list.Children.Count == 0 ? items : items + ", ");
        }

        var indent = new string(' ', (int)list.Start.Column - 1);
        var newline = LineBreakAfter(text, start);
        var insert = string.Concat(missing.Select(t => $"- {FlowToleration(t, json)}{newline}{indent}"));
        return new ManifestEdit((int)list.Start.Line, (int)list.Start.Column, who, description, start, 0, insert);
    }

    private static (int Offset, string Insert) Insertion(YamlMappingNode spec, string text, string runtime, List<V1Toleration> tolerations, bool json)
    {
        if (spec.Children.Count == 0)
        {
            // An empty flow mapping, "{}": put the entry inside the braces.
            var entry = json ? $"\"{Key}\": \"{runtime}\"" : $"{Key}: {runtime}";
            return ((int)spec.Start.Index + 1, entry + FlowTolerations(tolerations, ", ", json));
        }

        var firstKey = spec.Children[0].Key;
        var (key, value) = json || firstKey is YamlScalarNode { Style: ScalarStyle.DoubleQuoted } ? ($"\"{Key}\"", $"\"{runtime}\"")
            : firstKey is YamlScalarNode { Style: ScalarStyle.SingleQuoted } ? ($"'{Key}'", $"'{runtime}'")
            : (Key, runtime);
        int offset = (int)firstKey.Start.Index;
        int column = (int)firstKey.Start.Column;

        // An explicit key ("? key" then ": value"): the new entry goes before the '?', or it would become part of the key.
        int before = offset - 1;
        while (before >= 0 && text[before] is ' ' or '\t' or '\r' or '\n')
        {
            before--;
        }

        if (before >= 0 && text[before] == '?')
        {
            offset = before;
            column = offset - (text.LastIndexOfAny(['\r', '\n'], Math.Max(0, offset - 1)) + 1) + 1;
        }

        if (spec.Style == MappingStyle.Flow)
        {
            return (offset, $"{key}: {value}, " + FlowTolerations(tolerations, "", json) + (tolerations.Count > 0 ? ", " : ""));
        }

        // Block style: a new line at the indentation of the first key, ending as the first key's line ends. Comment lines right
        // above the first key describe it, so the new line goes above them, keeping them with their key.
        var newline = LineBreakAfter(text, offset);
        var indent = new string(' ', column - 1);
        var block = tolerations.Count == 0 ? ""
            : $"{indent}{TolerationsKey}:{newline}" + string.Concat(tolerations.Select(t => $"{indent}- {FlowToleration(t, json)}{newline}"));
        int lineStart = StartOfLine(text, offset);
        if (text.AsSpan(lineStart, offset - lineStart).IsWhiteSpace() && CommentsAbove(text, lineStart) is var commentStart && commentStart < lineStart)
        {
            return (commentStart, $"{indent}{key}: {value}{newline}{block}");
        }

        return (offset, $"{key}: {value}{newline}{block}{indent}");
    }

    /// <summary>The tolerations as a flow entry (<c>tolerations: [{…}]</c>) after <paramref name="separator"/>; empty when there are none.</summary>
    private static string FlowTolerations(List<V1Toleration> tolerations, string separator, bool json) =>
        tolerations.Count == 0 ? "" : $"{separator}{(json ? $"\"{TolerationsKey}\"" : TolerationsKey)}: [{string.Join(", ", tolerations.Select(t => FlowToleration(t, json)))}]";

    private static int StartOfLine(string text, int offset) => offset == 0 ? 0 : text.LastIndexOfAny(['\r', '\n'], offset - 1) + 1;

    /// <summary>The start of the run of comment-only lines that ends just before the line at <paramref name="lineStart"/>.</summary>
    private static int CommentsAbove(string text, int lineStart)
    {
        int start = lineStart;
        while (start > 0)
        {
            int previousEnd = start - 1; // the line break before the line at 'start'
            if (text[previousEnd] == '\n' && previousEnd > 0 && text[previousEnd - 1] == '\r')
            {
                previousEnd--;
            }

            int previousStart = StartOfLine(text, previousEnd);
            if (!text.AsSpan(previousStart, previousEnd - previousStart).TrimStart().StartsWith("#"))
            {
                break;
            }

            start = previousStart;
        }

        return start;
    }

    /// <summary>The line break that ends the line at <paramref name="offset"/> (or the file's first one): LF, CRLF or CR alone.</summary>
    private static string LineBreakAfter(string text, int offset)
    {
        int end = text.IndexOfAny(['\r', '\n'], offset);
        if (end < 0)
        {
            end = text.IndexOfAny(['\r', '\n']);
        }

        return end < 0 || text[end] == '\n' ? "\n" : end + 1 < text.Length && text[end + 1] == '\n' ? "\r\n" : "\r";
    }

    /// <summary>Applies edits (sorted by offset, not overlapping) to the text they were computed on.</summary>
    public static string Apply(string text, IReadOnlyList<ManifestEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(edits);
        if (edits.Count == 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length + (edits.Count * 40));
        int position = 0;
        foreach (var edit in edits)
        {
            if (edit.Offset < position)
            {
                throw new ArgumentException("The edits overlap or are not sorted by offset.", nameof(edits));
            }

            result.Append(text, position, edit.Offset - position).Append(edit.InsertedText);
            position = edit.Offset + edit.RemovedLength;
        }

        return result.Append(text, position, text.Length - position).ToString();
    }
}
