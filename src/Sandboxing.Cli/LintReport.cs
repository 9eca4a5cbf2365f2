using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary>The output formats of the linter.</summary>
public enum LintReportFormat
{
    /// <summary>One line per finding, <c>file:line:column: severity SBXnnnn: message</c>, then a summary.</summary>
    Text = 0,

    /// <summary>A JSON document with <c>findings</c>, <c>problems</c> and a <c>summary</c>.</summary>
    Json,

    /// <summary>SARIF 2.1.0, for GitHub code scanning and Azure DevOps.</summary>
    Sarif,
}

/// <summary>How a report is written.</summary>
public sealed record LintReportOptions
{
    /// <summary>
    /// The directory relative paths are taken from (SARIF <c>originalUriBaseIds.SRCROOT</c>); default: the current directory.
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>The tool version written into SARIF; default: the SDK assembly's informational version.</summary>
    public string? ToolVersion { get; init; }

    /// <summary>
    /// What one result is, in the summary: <c>file</c> for lint (the default), <c>namespace</c> for an audit of a cluster, whose
    /// findings carry a location such as <c>cluster://&lt;context&gt;/&lt;namespace&gt;/&lt;kind&gt;/&lt;name&gt;</c> and line 0.
    /// </summary>
    public string SourceNoun { get; init; } = "file";

    /// <summary>
    /// The config files the run used, as <see cref="Config.ConfigNames"/> words them (<c>none</c> when no file applied); null
    /// writes nothing. Written as the text's last line, the JSON's <c>configs</c> and the SARIF run's <c>properties.configs</c>,
    /// so that a committed config that changes the gate is always visible in its output.
    /// </summary>
    public IReadOnlyList<string>? Configs { get; init; }
}

/// <summary>Writes lint results as text, JSON or SARIF 2.1.0 (the <c>lint</c> command's report; the SDK returns the results).</summary>
public static class LintReport
{
    /// <summary>The SARIF <c>partialFingerprints</c> key; its value is stable while the finding's rule, file, object and field stay.</summary>
    public const string FingerprintKey = "sandboxingFinding/v1";

    /// <summary>The project page written as the SARIF tool's <c>informationUri</c>.</summary>
    public const string InformationUri = "https://github.com/sandboxing-sdk/Sandboxing.Sdk";

    private static readonly JsonWriterOptions s_json = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="results"/> in <paramref name="format"/>.</summary>
    public static string Write(IReadOnlyList<ManifestLintResult> results, LintReportFormat format, LintReportOptions? options = null) =>
        Write(results, format, options, StyledText.Plain);

    /// <summary>Writes <paramref name="results"/> in <paramref name="format"/>; the text format through <paramref name="styles"/> (JSON and SARIF are never styled).</summary>
    internal static string Write(IReadOnlyList<ManifestLintResult> results, LintReportFormat format, LintReportOptions? options, StyledText styles)
    {
        ArgumentNullException.ThrowIfNull(results);
        options ??= new LintReportOptions();
        return format switch
        {
            LintReportFormat.Json => Json(results, options.SourceNoun, options.Configs),
            LintReportFormat.Sarif => Sarif(results, options),
            _ => Text(results, options.SourceNoun, styles, options.Configs),
        };
    }

    /// <summary>The text report.</summary>
    public static string Text(IReadOnlyList<ManifestLintResult> results) => Text(results, "file");

    /// <summary>The text report; <paramref name="sourceNoun"/> names what a result is in the summary (see <see cref="LintReportOptions.SourceNoun"/>).</summary>
    public static string Text(IReadOnlyList<ManifestLintResult> results, string sourceNoun) => Text(results, sourceNoun, StyledText.Plain);

    /// <summary>The text report through <paramref name="styles"/>: plain, or coloured for a terminal.</summary>
    internal static string Text(IReadOnlyList<ManifestLintResult> results, string sourceNoun, StyledText styles, IReadOnlyList<string>? configs = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        foreach (var result in results)
        {
            foreach (var problem in result.Problems)
            {
                text.Append(styles.Paint(ControlCharacters.Escape(problem.Line > 0 ? $"{problem.Source}:{problem.Line}:{problem.Column}" : problem.Source), TextRole.Location))
                    .Append(": ").Append(styles.Error).Append(": ").Append(ControlCharacters.Escape(problem.Message)).Append('\n');
            }

            foreach (var finding in result.Findings)
            {
                // A finding in a cluster has no line: its source names the object.
                text.Append(styles.Paint(ControlCharacters.Escape(finding.Line > 0 ? $"{finding.Source}:{finding.Line}:{finding.Column}" : finding.Source), TextRole.Location)).Append(": ")
                    .Append(styles.Severity(finding.Finding.Severity, Level(finding.Finding.Severity))).Append(' ')
                    .Append(styles.Paint(finding.Finding.RuleId, TextRole.RuleId)).Append(": ")
                    .Append(ControlCharacters.Escape(CliWording.Apply(finding.Finding.Message))).Append(' ')
                    .Append(styles.Paint($"[{ControlCharacters.Escape(finding.Finding.Path)}]", TextRole.Dim)).Append('\n')
                    .Append("    ").Append(styles.Paint("fix:", TextRole.Dim)).Append(' ').Append(CliWording.Apply(finding.Finding.Fix)).Append('\n')
                    .Append("    ").Append(styles.Paint("help:", TextRole.Dim)).Append(' ').Append(finding.Finding.HelpLink).Append('\n');
            }
        }

        var s = Summarise(results);
        var summary = new StringBuilder()
            .Append($"{s.Findings} finding{Plural(s.Findings)} ({s.Errors} error{Plural(s.Errors)}, {s.Warnings} warning{Plural(s.Warnings)}, {s.Info} info) ")
            .Append($"in {s.Objects} pod-bearing object{Plural(s.Objects)} of {s.Files} {sourceNoun}{Plural(s.Files)}");
        if (s.Problems > 0)
        {
            summary.Append($"; {s.Problems} input problem{Plural(s.Problems)}");
        }

        var verdict = s.Errors > 0 || s.Problems > 0 ? TextRole.Error : s.Warnings > 0 ? TextRole.Warning : s.Info > 0 ? TextRole.Note : TextRole.Clean;
        text.Append(styles.Paint(summary.ToString(), verdict)).Append('\n');
        if (configs is not null)
        {
            text.Append(styles.Paint(ControlCharacters.Escape(Config.ConfigNames.Line(configs)), TextRole.Dim)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The JSON report: <c>{ "version": 1, "summary": …, "findings": […], "problems": […] }</c>.</summary>
    public static string Json(IReadOnlyList<ManifestLintResult> results) => Json(results, "file");

    /// <summary>The JSON report; the summary counts results as <c>{sourceNoun}s</c> (<c>files</c> for lint, <c>namespaces</c> for an audit).</summary>
    public static string Json(IReadOnlyList<ManifestLintResult> results, string sourceNoun) => Json(results, sourceNoun, null);

    /// <summary>The JSON report with the config files the run used (<see cref="LintReportOptions.Configs"/>) in <c>configs</c>.</summary>
    public static string Json(IReadOnlyList<ManifestLintResult> results, string sourceNoun, IReadOnlyList<string>? configs) =>
        Json(results, sourceNoun, configs, null, null);

    /// <summary>
    /// The JSON report with more: <paramref name="summary"/> writes further counts into the summary object, <paramref name="more"/>
    /// further properties after <c>problems</c> (the fleet audit's clusters).
    /// </summary>
    internal static string Json(IReadOnlyList<ManifestLintResult> results, string sourceNoun, IReadOnlyList<string>? configs, Action<Utf8JsonWriter>? summary, Action<Utf8JsonWriter>? more)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_json))
        {
            var s = Summarise(results);
            json.WriteStartObject();
            json.WriteNumber("version", 1);
            if (configs is not null)
            {
                json.WriteStartArray("configs");
                foreach (var config in configs)
                {
                    json.WriteStringValue(config);
                }

                json.WriteEndArray();
            }

            json.WriteStartObject("summary");
            json.WriteNumber(sourceNoun + "s", s.Files);
            json.WriteNumber("objects", s.Objects);
            json.WriteNumber("findings", s.Findings);
            json.WriteNumber("errors", s.Errors);
            json.WriteNumber("warnings", s.Warnings);
            json.WriteNumber("info", s.Info);
            json.WriteNumber("problems", s.Problems);
            summary?.Invoke(json);
            json.WriteEndObject();
            json.WriteStartArray("findings");
            foreach (var finding in results.SelectMany(r => r.Findings))
            {
                var f = finding.Finding;
                json.WriteStartObject();
                json.WriteString("file", finding.Source);
                WriteContext(json, finding.Source);
                json.WriteNumber("line", finding.Line);
                json.WriteNumber("column", finding.Column);
                json.WriteNumber("document", finding.DocumentIndex);
                json.WriteString("ruleId", f.RuleId);
                json.WriteString("severity", Level(f.Severity));
                json.WriteString("kind", f.Kind);
                json.WriteString("namespace", f.Namespace);
                json.WriteString("name", f.Name);
                json.WriteString("path", f.Path);
                json.WriteBoolean("fieldExists", finding.FieldExists);
                json.WriteString("message", CliWording.Apply(f.Message));
                json.WriteString("fix", CliWording.Apply(f.Fix));
                json.WriteString("helpUri", f.HelpLink);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("problems");
            foreach (var problem in results.SelectMany(r => r.Problems))
            {
                json.WriteStartObject();
                json.WriteString("file", problem.Source);
                WriteContext(json, problem.Source);
                json.WriteNumber("line", problem.Line);
                json.WriteNumber("column", problem.Column);
                json.WriteString("message", problem.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            more?.Invoke(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// The SARIF 2.1.0 report: one run whose driver lists every manifest rule of the catalog (with help URIs to the rule pages), a <c>results</c>
    /// array (empty when clean), relative artifact URIs against <c>SRCROOT</c>, and a stable partial fingerprint per result.
    /// Input problems are <c>toolExecutionNotifications</c> of the invocation, which then is not successful.
    /// </summary>
    public static string Sarif(IReadOnlyList<ManifestLintResult> results, LintReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        options ??= new LintReportOptions();
        var baseDirectory = Path.GetFullPath(options.BaseDirectory ?? Directory.GetCurrentDirectory());
        var baseUri = baseDirectory.EndsWith(Path.DirectorySeparatorChar) ? baseDirectory : baseDirectory + Path.DirectorySeparatorChar;
        var version = options.ToolVersion ?? ToolVersion();
        // The rules a manifest can break: every catalog rule but the node pool and admission policy (SBX5xxx) ones.
        var rules = SandboxRules.All.Where(r => r.Category != SandboxRules.NodePoolCategory && r.Category != SandboxRules.PolicyCategory).ToList();

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_json))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();

            json.WriteStartObject("tool");
            json.WriteStartObject("driver");
            json.WriteString("name", "sandboxing");
            json.WriteString("fullName", "Sandboxing.Sdk manifest linter");
            json.WriteString("informationUri", InformationUri);
            json.WriteString("version", version);
            json.WriteString("semanticVersion", version.Split('+')[0]);
            json.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                json.WriteStartObject();
                json.WriteString("id", rule.Id);
                json.WriteString("name", RuleName(rule));
                json.WriteStartObject("shortDescription");
                json.WriteString("text", rule.Title);
                json.WriteEndObject();
                json.WriteStartObject("fullDescription");
                json.WriteString("text", rule.Title + ". " + CliWording.Apply(rule.Fix));
                json.WriteEndObject();
                json.WriteString("helpUri", rule.HelpLink);
                json.WriteStartObject("help");
                json.WriteString("text", CliWording.Apply(rule.Fix));
                json.WriteString("markdown", $"{CliWording.Apply(rule.Fix)} See [{rule.Id}]({rule.HelpLink}).");
                json.WriteEndObject();
                json.WriteStartObject("defaultConfiguration");
                json.WriteString("level", SarifLevel(rule.DefaultSeverity));
                json.WriteEndObject();
                json.WriteStartObject("properties");
                json.WriteString("category", rule.Category);
                json.WriteStartArray("tags");
                json.WriteStringValue("kubernetes");
                json.WriteStringValue("sandbox");
                json.WriteStringValue(rule.Category.ToLowerInvariant());
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject("originalUriBaseIds");
            json.WriteStartObject("SRCROOT");
            json.WriteString("uri", FileUri(baseUri));
            json.WriteEndObject();
            json.WriteEndObject();

            var problems = results.SelectMany(r => r.Problems).ToList();
            json.WriteStartArray("invocations");
            json.WriteStartObject();
            json.WriteBoolean("executionSuccessful", problems.Count == 0);
            json.WriteStartArray("toolExecutionNotifications");
            foreach (var problem in problems)
            {
                json.WriteStartObject();
                json.WriteString("level", "error");
                json.WriteStartObject("message");
                json.WriteString("text", problem.Message);
                json.WriteEndObject();
                json.WriteStartArray("locations");
                json.WriteStartObject();
                WritePhysicalLocation(json, problem.Source, problem.Line, problem.Column, baseUri);
                json.WriteEndObject();
                json.WriteEndArray();
                WriteContextProperty(json, problem.Source);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartArray("results");
            foreach (var finding in results.SelectMany(r => r.Findings))
            {
                var f = finding.Finding;
                int ruleIndex = IndexOf(rules, f.Rule);
                json.WriteStartObject();
                json.WriteString("ruleId", f.RuleId);
                if (ruleIndex >= 0)
                {
                    json.WriteNumber("ruleIndex", ruleIndex);
                }

                json.WriteString("level", SarifLevel(f.Severity));
                json.WriteStartObject("message");
                json.WriteString("text", CliWording.Apply(f.Message));
                json.WriteEndObject();
                json.WriteStartArray("locations");
                json.WriteStartObject();
                WritePhysicalLocation(json, finding.Source, finding.Line, finding.Column, baseUri);
                json.WriteStartArray("logicalLocations");
                json.WriteStartObject();
                json.WriteString("name", f.Path);
                json.WriteString("fullyQualifiedName", $"{f.Kind}/{(string.IsNullOrEmpty(f.Namespace) ? "" : f.Namespace + "/")}{f.Name}/{f.Path}");
                json.WriteString("kind", "property");
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteStartObject("partialFingerprints");
                json.WriteString(FingerprintKey, Fingerprint(finding, baseUri));
                json.WriteEndObject();
                WriteContextProperty(json, finding.Source);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("columnKind", "utf16CodeUnits");
            if (options.Configs is { } configs)
            {
                json.WriteStartObject("properties");
                json.WriteStartArray("configs");
                foreach (var config in configs)
                {
                    json.WriteStringValue(config);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// The finding's fingerprint: a hash of its rule, file (relative), object (kind, namespace, name) and field path. It does not
    /// change when lines move, so code scanning keeps a finding's history across edits.
    /// </summary>
    /// <param name="finding">The finding.</param>
    /// <param name="baseDirectory">The folder relative paths are taken from (SRCROOT).</param>
    public static string Fingerprint(ManifestFinding finding, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        var f = finding.Finding;
        var (uri, _) = ArtifactUri(finding.Source, baseDirectory);
        var identity = string.Join('\u001f', f.RuleId, uri, f.Kind, f.Namespace ?? "", f.Name ?? "", f.Path);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 16)).ToLowerInvariant();
    }

    /// <summary>Counts of a set of results.</summary>
    /// <param name="Files">Files read (or attempted).</param>
    /// <param name="Objects">Pod-bearing objects checked.</param>
    /// <param name="Findings">All findings.</param>
    /// <param name="Errors">Findings of severity error.</param>
    /// <param name="Warnings">Findings of severity warning.</param>
    /// <param name="Info">Findings of severity info.</param>
    /// <param name="Problems">Input problems.</param>
    public readonly record struct Summary(int Files, int Objects, int Findings, int Errors, int Warnings, int Info, int Problems);

    /// <summary>Counts findings and problems.</summary>
    public static Summary Summarise(IReadOnlyList<ManifestLintResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var all = results.SelectMany(r => r.Findings).ToList();
        return new Summary(
            results.Count,
            results.Sum(r => r.PodObjects),
            all.Count,
            all.Count(f => f.Finding.Severity == SandboxSeverity.Error),
            all.Count(f => f.Finding.Severity == SandboxSeverity.Warning),
            all.Count(f => f.Finding.Severity == SandboxSeverity.Info),
            results.Sum(r => r.Problems.Count));
    }

    /// <summary>The kubeconfig context of an audit's finding or problem (none for a file).</summary>
    private static void WriteContext(Utf8JsonWriter json, string source)
    {
        if (ClusterUri.ContextOf(source) is { } context)
        {
            json.WriteString("context", context);
        }
    }

    /// <summary>
    /// The context as a SARIF property of the result or notification: a fleet audit is one run (code scanning refuses several runs
    /// of one tool and category in one file), so each result names its cluster.
    /// </summary>
    private static void WriteContextProperty(Utf8JsonWriter json, string source)
    {
        if (ClusterUri.ContextOf(source) is { } context)
        {
            json.WriteStartObject("properties");
            json.WriteString("context", context);
            json.WriteEndObject();
        }
    }

    private static void WritePhysicalLocation(Utf8JsonWriter json, string source, int line, int column, string baseUri)
    {
        var (uri, relative) = ArtifactUri(source, baseUri);
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", uri);
        if (relative)
        {
            json.WriteString("uriBaseId", "SRCROOT");
        }

        json.WriteEndObject();
        if (line > 0)
        {
            json.WriteStartObject("region");
            json.WriteNumber("startLine", line);
            json.WriteNumber("startColumn", Math.Max(1, column));
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>A URI for a source: relative to the base when the file is under it, else absolute; standard input is <c>stdin</c>.</summary>
    private static (string Uri, bool Relative) ArtifactUri(string source, string baseDirectory)
    {
        // An object in a cluster (cluster://context/namespace/kind/name) is already an absolute URI.
        if (source.StartsWith("cluster://", StringComparison.Ordinal))
        {
            return (source, false);
        }

        if (source.StartsWith('<'))
        {
            return (Uri.EscapeDataString(source.Trim('<', '>')), true);
        }

        var full = Path.GetFullPath(source, baseDirectory);
        var relative = Path.GetRelativePath(baseDirectory, full);
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return (FileUri(full), false);
        }

        return (EscapePath(relative), true);
    }

    /// <summary>A <c>file:</c> URI of an absolute path, each segment escaped (a literal '%' becomes <c>%25</c>).</summary>
    private static string FileUri(string fullPath)
    {
        var path = EscapePath(fullPath);
        return "file://" + (path.StartsWith('/') ? path : "/" + path);
    }

    /// <summary>
    /// Escapes a path for a URI reference: every character but RFC 3986's unreserved ones, sub-delimiters, ':', '@' and the
    /// separators is percent-encoded as UTF-8, so names with '%', '#', '?' or spaces stay one valid reference.
    /// </summary>
    private static string EscapePath(string path)
    {
        var result = new StringBuilder(path.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(Path.DirectorySeparatorChar == '\\' ? path.Replace('\\', '/') : path))
        {
            char c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@/".Contains(c)))
            {
                result.Append(c);
            }
            else
            {
                result.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }

    private static int IndexOf(IReadOnlyList<SandboxRule> rules, SandboxRule rule)
    {
        for (int i = 0; i < rules.Count; i++)
        {
            if (ReferenceEquals(rules[i], rule) || rules[i].Id == rule.Id)
            {
                return i;
            }
        }

        return -1;
    }

    private static string RuleName(SandboxRule rule)
    {
        var name = new StringBuilder();
        foreach (var word in rule.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var letters = new string(word.Where(char.IsLetterOrDigit).ToArray());
            if (letters.Length > 0)
            {
                name.Append(char.ToUpperInvariant(letters[0])).Append(letters.AsSpan(1));
            }
        }

        return name.ToString();
    }

    private static string ToolVersion() =>
        typeof(LintReport).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            is [System.Reflection.AssemblyInformationalVersionAttribute { InformationalVersion: { } v }, ..] ? v.Split('+')[0] : "0.0.0";

    private static string Level(SandboxSeverity severity) => severity switch
    {
        SandboxSeverity.Error => "error",
        SandboxSeverity.Warning => "warning",
        _ => "info",
    };

    private static string SarifLevel(SandboxSeverity severity) => severity switch
    {
        SandboxSeverity.Error => "error",
        SandboxSeverity.Warning => "warning",
        _ => "note",
    };

    private static string Plural(int count) => count == 1 ? "" : "s";
}
