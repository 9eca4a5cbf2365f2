using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using Sandboxing.Sdk.Objects;

namespace Sandboxing.Sdk.Manifests;

/// <summary>A manifest parsed into YAML nodes that keep their marks (line, column, character offset).</summary>
public sealed class ParsedManifest
{
    internal ParsedManifest(ManifestSource source, IReadOnlyList<YamlDocument> documents)
    {
        Source = source;
        Documents = documents;
    }

    /// <summary>The text that was parsed.</summary>
    public ManifestSource Source { get; }

    /// <summary>The YAML documents, in order. Aliases are references to their anchored nodes, never copies.</summary>
    public IReadOnlyList<YamlDocument> Documents { get; }

    /// <summary>Every object of a pod-bearing kind, with List items expanded, in document order.</summary>
    public IReadOnlyList<ManifestPodObject> PodObjects() => ManifestParser.FindPodObjects(this);
}

/// <summary>
/// One object of a pod-bearing kind found in a manifest: its YAML node, its kind, the YAML node of its pod spec and the
/// document it is in.
/// </summary>
/// <param name="Node">The object's mapping node.</param>
/// <param name="Kind">Its kind (<c>Deployment</c>, <c>CronJob</c>, …).</param>
/// <param name="SpecPath">The pod spec's field path, as <see cref="PodTemplates.SpecPathOf"/> gives it.</param>
/// <param name="DocumentIndex">The YAML document (1-based).</param>
public sealed record ManifestPodObject(YamlMappingNode Node, string Kind, string SpecPath, int DocumentIndex)
{
    /// <summary>The pod spec's node: a mapping, or null when the object has no pod spec (or it is not a mapping).</summary>
    public YamlMappingNode? SpecNode => ManifestPaths.Walk(Node, SpecPath) as YamlMappingNode;

    /// <summary>Binds the node onto its KubernetesClient model (<c>V1Deployment</c>, …).</summary>
    /// <exception cref="ManifestBindingException">A value does not fit the model.</exception>
    public IKubernetesObject<V1ObjectMeta> ToModel() =>
        (IKubernetesObject<V1ObjectMeta>)YamlModelBinder.Bind(Node, ManifestParser.ModelTypeOf(Kind))!;

    /// <summary>Binds the node, or records where and why it does not fit the model (the linter and the fixer share this).</summary>
    /// <param name="source">The file name for the problem.</param>
    /// <param name="advice">What to do, appended to the problem's message.</param>
    /// <param name="problems">Where a binding problem is added.</param>
    /// <param name="model">The bound model, when this returns true.</param>
    internal bool TryToModel(string source, string advice, List<ManifestProblem> problems, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IKubernetesObject<V1ObjectMeta>? model)
    {
        try
        {
            model = ToModel();
            return true;
        }
        catch (ManifestBindingException e)
        {
            problems.Add(new ManifestProblem(source, (int)e.Start.Line, (int)e.Start.Column, $"{Kind} does not match the Kubernetes schema: {e.Message}; {advice}"));
            model = null;
            return false;
        }
    }
}

/// <summary>
/// Parses manifests with YamlDotNet's parser into <see cref="YamlStream"/> nodes, checking the limits of
/// <see cref="ManifestReadOptions"/> as events arrive (nesting) and after loading (alias expansion), and recognising unrendered
/// Helm templates.
/// </summary>
public static class ManifestParser
{
    /// <summary>The hint printed with every unrendered-template problem.</summary>
    public const string HelmHint = "render it first: helm template <release> <chart> | sandboxing lint -";

    /// <summary>Parses <paramref name="source"/>.</summary>
    /// <exception cref="ManifestInputException">A syntax error, an unrendered Helm template, too deep nesting or an alias bomb.</exception>
    public static ParsedManifest Parse(ManifestSource source, ManifestReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ParsedManifest(source, ParseDocuments(source, options).ToList());
    }

    /// <summary>
    /// Parses <paramref name="source"/> one document at a time, so that a caller that is done with a document lets it go: a large
    /// multi-document file then costs about what YamlDotNet's event parser costs, instead of holding every tree at once. The
    /// documents come in order; an error stops the enumeration with a <see cref="ManifestInputException"/>.
    /// </summary>
    /// <exception cref="ManifestInputException">A syntax error, an unrendered Helm template, too deep nesting or an alias bomb.</exception>
    public static IEnumerable<YamlDocument> ParseDocuments(ManifestSource source, ManifestReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= ManifestReadOptions.Default;
        if (FindTemplateDirective(source.Text) is var (tLine, tColumn))
        {
            throw new ManifestInputException(new ManifestProblem(source.Name, tLine, tColumn,
                $"this looks like an unrendered Helm or Go template ('{{{{ … }}}}'), not a Kubernetes manifest; {HelmHint}"));
        }

        return Documents(source, options);
    }

    private static IEnumerable<YamlDocument> Documents(ManifestSource source, ManifestReadOptions options)
    {
        var guard = new GuardingParser(new Parser(new StringReader(source.Text)), Math.Min(options.MaxDepth, ManifestReadOptions.AbsoluteMaxDepth));
        var window = new DocumentWindow(guard);
        bool started = false;
        while (true)
        {
            YamlDocument document;
            int aliasesBefore = guard.Aliases;
            try
            {
                if (!started)
                {
                    guard.MoveNext();
                    guard.Consume<StreamStart>();
                    started = true;
                }

                if (guard.Accept<StreamEnd>(out _))
                {
                    yield break;
                }

                window.Reset();
                var stream = new YamlStream();
                stream.Load(window);
                document = stream.Documents[0];
            }
            catch (YamlException e)
            {
                throw SyntaxError(source, guard, e);
            }

            if (guard.Aliases > aliasesBefore)
            {
                long size = ExpandedSize(document.RootNode, new Dictionary<YamlNode, long>(ReferenceEqualityComparer.Instance), options.MaxExpandedNodes, 0);
                if (size > options.MaxExpandedNodes)
                {
                    var root = document.RootNode;
                    throw new ManifestInputException(new ManifestProblem(source.Name, (int)root.Start.Line, (int)root.Start.Column,
                        $"the document's aliases expand to more than {options.MaxExpandedNodes:N0} nodes (an alias bomb, \"billion laughs\"); " +
                        "no Kubernetes tool can load it: write the repeated parts out, or use fewer nested aliases"));
                }
            }

            yield return document;
        }
    }

    private static ManifestInputException SyntaxError(ManifestSource source, GuardingParser guard, YamlException e)
    {
        var mark = e.Start.Line > 0 ? e.Start : guard.Current?.Start ?? e.Start;
        int line = (int)Math.Max(1, mark.Line), column = (int)Math.Max(1, mark.Column);
        var message = Describe(e, source.Text, mark);
        if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FindTabIndentation(source.Text, line) is var (tabLine, tabColumn))
        {
            (line, column) = (tabLine, tabColumn);
            message = "a tab is used for indentation; YAML does not allow tabs there: indent with spaces";
        }
        else if (System.Text.RegularExpressions.Regex.Match(e.Message, "anchor '([^']+)' does not exist") is { Success: true } anchor
            && FindText(source.Text, "*" + anchor.Groups[1].Value) is var (aliasLine, aliasColumn))
        {
            (line, column) = (aliasLine, aliasColumn);
            message = $"the alias '*{anchor.Groups[1].Value}' names no anchor before it in this document (anchors do not cross '---'); " +
                $"define '&{anchor.Groups[1].Value}' earlier in the same document, or write the value out";
        }

        return new ManifestInputException(new ManifestProblem(source.Name, line, column,
            $"YAML syntax error in document {Math.Max(1, guard.Documents)}: {message}"));
    }

    /// <summary>The KubernetesClient model type of a pod-bearing kind.</summary>
    /// <exception cref="ArgumentException">The kind carries no pod template.</exception>
    public static Type ModelTypeOf(string kind) => kind switch
    {
        "Pod" => typeof(V1Pod),
        "Deployment" => typeof(V1Deployment),
        "StatefulSet" => typeof(V1StatefulSet),
        "DaemonSet" => typeof(V1DaemonSet),
        "ReplicaSet" => typeof(V1ReplicaSet),
        "ReplicationController" => typeof(V1ReplicationController),
        "Job" => typeof(V1Job),
        "CronJob" => typeof(V1CronJob),
        "PodTemplate" => typeof(V1PodTemplate),
        _ => throw new ArgumentException($"{kind} is not a pod-bearing kind ({string.Join(", ", PodTemplates.PodBearingKinds)})", nameof(kind)),
    };

    internal static IReadOnlyList<ManifestPodObject> FindPodObjects(ParsedManifest manifest)
    {
        var result = new List<ManifestPodObject>();
        for (int d = 0; d < manifest.Documents.Count; d++)
        {
            FindPodObjects(manifest.Documents[d], d + 1, result);
        }

        return result;
    }

    /// <summary>Adds the pod-bearing objects of one document (the document itself, or the items of a List) to <paramref name="result"/>.</summary>
    public static void FindPodObjects(YamlDocument document, int documentIndex, List<ManifestPodObject> result)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(result);
        if (document.RootNode is not YamlMappingNode root)
        {
            return; // an empty document, or YAML that is not a Kubernetes object
        }

        var kind = ScalarValue(root, "kind");
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && Child(root, "items") is YamlSequenceNode items)
        {
            foreach (var item in items.Children)
            {
                Add(item as YamlMappingNode, documentIndex, result);
            }
        }
        else
        {
            Add(root, documentIndex, result);
        }
    }

    internal static YamlNode? Child(YamlMappingNode mapping, string key)
    {
        foreach (var entry in mapping.Children)
        {
            if (entry.Key is YamlScalarNode { Value: { } value } && string.Equals(value, key, StringComparison.Ordinal))
            {
                return entry.Value;
            }
        }

        return null;
    }

    internal static string? ScalarValue(YamlMappingNode mapping, string key) => Child(mapping, key) is YamlScalarNode { Value: { } v } ? v : null;

    private static void Add(YamlMappingNode? node, int document, List<ManifestPodObject> result)
    {
        if (node is null || ScalarValue(node, "kind") is not { } kind || PodTemplates.SpecPathOf(kind) is not { } specPath)
        {
            return; // other kinds and non-Kubernetes YAML are skipped quietly
        }

        result.Add(new ManifestPodObject(node, kind, specPath, document));
    }

    private static long ExpandedSize(YamlNode node, Dictionary<YamlNode, long> memo, long limit, int depth)
    {
        if (memo.TryGetValue(node, out var known))
        {
            return known;
        }

        long size = 1;
        if (depth <= ManifestReadOptions.AbsoluteMaxDepth)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    foreach (var entry in mapping.Children)
                    {
                        size += ExpandedSize(entry.Key, memo, limit, depth + 1) + ExpandedSize(entry.Value, memo, limit, depth + 1);
                        if (size > limit)
                        {
                            break;
                        }
                    }

                    break;
                case YamlSequenceNode sequence:
                    foreach (var item in sequence.Children)
                    {
                        size += ExpandedSize(item, memo, limit, depth + 1);
                        if (size > limit)
                        {
                            break;
                        }
                    }

                    break;
            }
        }

        size = Math.Min(size, limit + 1);
        memo[node] = size;
        return size;
    }

    private static string Describe(YamlException e, string text, Mark mark)
    {
        var message = e.Message;
        // YamlDotNet prefixes "(Line: 1, Col: 2, Idx: 1) - (…): "; the location is printed already.
        int cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0)
        {
            message = message[(cut + 3)..];
        }

        var hint = "check the indentation and the quoting around this position";
        if (LineAt(text, mark.Line) is { } line && line.TrimEnd('\r').Replace(" ", "", StringComparison.Ordinal).StartsWith('\t'))
        {
            hint = "YAML does not allow tabs for indentation: indent with spaces";
        }
        else if (mark.Index >= text.Length - 2 || message.Contains("end of stream", StringComparison.OrdinalIgnoreCase))
        {
            hint = "the file ends too early (truncated?): close every open quote, bracket and brace";
        }

        return $"{message.TrimEnd('.')}; {hint}";
    }

    private static string? LineAt(string text, long lineNumber)
    {
        int line = 1;
        int start = 0;
        while (line < lineNumber)
        {
            int next = text.IndexOf('\n', start);
            if (next < 0)
            {
                return null;
            }

            start = next + 1;
            line++;
        }

        int end = text.IndexOf('\n', start);
        return end < 0 ? text[start..] : text[start..end];
    }

    /// <summary>The line and column of the first occurrence of <paramref name="value"/>.</summary>
    private static (int Line, int Column)? FindText(string text, string value)
    {
        int index = text.IndexOf(value, StringComparison.Ordinal);
        if (index < 0)
        {
            return null;
        }

        int lineStart = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        return (text.AsSpan(0, lineStart).Count('\n') + 1, index - lineStart + 1);
    }

    /// <summary>The first line at or after <paramref name="fromLine"/> whose indentation holds a tab, and the tab's column.</summary>
    private static (int Line, int Column)? FindTabIndentation(string text, int fromLine)
    {
        int line = 1;
        int start = 0;
        while (start <= text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            if (line >= fromLine)
            {
                for (int i = start; i < end && text[i] is ' ' or '\t'; i++)
                {
                    if (text[i] == '\t')
                    {
                        return (line, i - start + 1);
                    }
                }
            }

            start = end + 1;
            line++;
        }

        return null;
    }

    /// <summary>Finds <c>{{ … }}</c> outside comments: the mark of Helm and Go templates.</summary>
    private static (int Line, int Column)? FindTemplateDirective(string text)
    {
        int index = text.IndexOf("{{", StringComparison.Ordinal);
        while (index >= 0)
        {
            int lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
            if (index == 0)
            {
                lineStart = 0;
            }

            int lineEnd = text.IndexOf('\n', index);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            var before = text.AsSpan(lineStart, index - lineStart);
            bool comment = before.TrimStart().StartsWith("#") || before.Contains(" #", StringComparison.Ordinal);
            if (!comment && text.AsSpan(index, lineEnd - index).Contains("}}", StringComparison.Ordinal))
            {
                int line = 1;
                for (int i = 0; i < lineStart; i++)
                {
                    if (text[i] == '\n')
                    {
                        line++;
                    }
                }

                return (line, index - lineStart + 1);
            }

            index = text.IndexOf("{{", lineEnd, StringComparison.Ordinal);
        }

        return null;
    }

    /// <summary>
    /// Presents the next document of a stream as a stream of its own (StreamStart, the document's events, StreamEnd), so that
    /// <see cref="YamlStream.Load(IParser)"/> builds one document at a time from one parser.
    /// </summary>
    private sealed class DocumentWindow(IParser inner) : IParser
    {
        private int _state;
        private ParsingEvent? _current;

        public ParsingEvent? Current => _current;

        public void Reset()
        {
            _state = 0;
            _current = null;
        }

        public bool MoveNext()
        {
            switch (_state)
            {
                case 0:
                    _current = new StreamStart();
                    _state = 1;
                    return true;
                case 1:
                    _current = inner.Current; // the DocumentStart the outer loop stopped at
                    _state = 2;
                    return true;
                case 2:
                    if (!inner.MoveNext())
                    {
                        throw new YamlException(_current?.End ?? Mark.Empty, _current?.End ?? Mark.Empty, "unexpected end of the stream inside a document");
                    }

                    _current = inner.Current;
                    if (_current is DocumentEnd)
                    {
                        _state = 3;
                    }

                    return true;
                case 3:
                    inner.MoveNext(); // past DocumentEnd: the next DocumentStart or StreamEnd
                    _current = new StreamEnd();
                    _state = 4;
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>Counts documents and aliases, and refuses nesting deeper than the limit before any node is built.</summary>
    private sealed class GuardingParser(IParser inner, int maxDepth) : IParser
    {
        private int _depth;

        public int Documents { get; private set; }

        public int Aliases { get; private set; }

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            bool moved = inner.MoveNext();
            switch (inner.Current)
            {
                case DocumentStart:
                    Documents++;
                    break;
                case MappingStart or SequenceStart:
                    if (++_depth > maxDepth)
                    {
                        throw new YamlException(inner.Current.Start, inner.Current.End,
                            $"nesting deeper than {maxDepth} levels; no Kubernetes object is this deep (raise --max-depth only for a real manifest)");
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    _depth--;
                    break;
                case AnchorAlias:
                    Aliases++;
                    break;
            }

            return moved;
        }
    }
}
