using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Sandboxing.Sdk;

/// <summary>The building blocks of the generated CEL: the pod spec of each matched kind, literals, and the blank test.</summary>
internal static partial class PolicyCel
{
    /// <summary>
    /// A regular-expression class of every character .NET's <c>char.IsWhiteSpace</c> treats as white space, written with CEL
    /// string escapes so RE2 (the API server) and .NET (the tests) read the same characters: a value "is blank" exactly as the
    /// SDK's <c>string.IsNullOrWhiteSpace</c> says (RE2's <c>\S</c> would count a tab-free NBSP or <c>\v</c> as text).
    /// </summary>
    public const string WhiteSpaceClass = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

    /// <summary>The same characters as a plain string, for Kyverno's <c>trim()</c> cut set.</summary>
    public const string WhiteSpaceCharacters = "\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

    /// <summary>The pod spec and pod metadata of a CronJob, a workload, and a Pod.</summary>
    public static readonly (string Guard, string Spec, string Metadata, bool Template)[] Shapes =
    [
        ("has(object.spec.jobTemplate)", "object.spec.jobTemplate.spec.template.spec", "object.spec.jobTemplate.spec.template.metadata", true),
        ("has(object.spec.template)", "object.spec.template.spec", "object.spec.template.metadata", true),
        ("", "object.spec", "object.metadata", false),
    ];

    /// <summary>
    /// Applies <paramref name="predicate"/> (spec, metadata, is-template) to the pod spec of whichever kind the object is. Only
    /// boolean branches, so the expression has one type whatever the object.
    /// </summary>
    public static string ForEachPodSpec(Func<string, string, bool, string> predicate) => ForEachPodSpec(predicate, []);

    /// <summary>
    /// As <see cref="ForEachPodSpec(Func{string, string, bool, string})"/>, with the custom resources first: each is recognised by
    /// its kind and API group, and every pod spec of it (maps with <c>all(k, …)</c>, lists with <c>all(x, …)</c>) must pass.
    /// </summary>
    public static string ForEachPodSpec(Func<string, string, bool, string> predicate, IReadOnlyList<PodTemplateKind> customResources)
    {
        var text = new StringBuilder("(");
        foreach (var kind in customResources)
        {
            text.Append(CultureInfo.InvariantCulture, $"object.kind == {Quote(kind.Kind)} && object.apiVersion.startsWith({Quote(kind.Group + "/")}) ? ({CustomPodSpecs(kind, predicate)}) : ");
        }

        foreach (var (guard, spec, metadata, template) in Shapes)
        {
            text.Append(guard.Length == 0
                ? $"({predicate(spec, metadata, template)})"
                : $"{guard} ? ({predicate(spec, metadata, template)}) : ");
        }

        return text.Append(')').ToString();
    }

    /// <summary>Every pod spec of a custom resource passes; a part of a path that is absent passes (the object has no spec there).</summary>
    private static string CustomPodSpecs(PodTemplateKind kind, Func<string, string, bool, string> predicate) =>
        string.Join(" && ", kind.Paths.Select(path =>
        {
            var parts = PodTemplateKind.Parts(path.Spec);
            string Walk(string current, int at)
            {
                if (at == parts.Length)
                {
                    return $"({predicate(current, MetadataOf(path, current), true)})";
                }

                var variable = (parts[at] == "*" ? "k" : "x") + at.ToString(CultureInfo.InvariantCulture);
                return parts[at] switch
                {
                    "*" => $"{current}.all({variable}, {Walk($"{current}[{variable}]", at + 1)})",
                    "[*]" => $"{current}.all({variable}, {Walk(variable, at + 1)})",
                    var key => $"(!has({current}.{key}) || {Walk($"{current}.{key}", at + 1)})",
                };
            }

            return Walk("object", 0);
        }));

    /// <summary>The pods' metadata beside a spec expression: <c>….template.metadata</c>, the object's own, or the spec-like object itself.</summary>
    private static string MetadataOf(PodSpecPath path, string spec) =>
        path.Metadata == path.Spec ? spec
        : path.Metadata == "metadata" ? "object.metadata"
        : spec.EndsWith(".spec", StringComparison.Ordinal) && path.Spec.EndsWith(".spec", StringComparison.Ordinal) && path.Metadata == path.Spec[..^".spec".Length] + ".metadata"
            ? spec[..^".spec".Length] + ".metadata"
            : "object.metadata";

    /// <summary>A key of the kind's paths that CEL cannot select as a field (Kubernetes would need its escaping), or null.</summary>
    public static string? UnwritableKey(PodTemplateKind kind) =>
        kind.Paths.SelectMany(p => PodTemplateKind.Parts(p.Spec)).FirstOrDefault(k => k is not ("*" or "[*]") && (!Identifier().IsMatch(k) || s_reserved.Contains(k)));

    private static readonly HashSet<string> s_reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
        "package", "namespace", "return", "var", "void", "while",
    };

    /// <summary>True when every element of each listed container array (absent arrays pass) satisfies <paramref name="predicate"/>.</summary>
    public static string AllContainers(string spec, IEnumerable<string> lists, Func<string, string> predicate) =>
        string.Join(" && ", lists.Select(list => $"(!has({spec}.{list}) || {spec}.{list}.all(c, {predicate("c")}))"));

    /// <summary>True when the string <paramref name="expression"/> has a character that is not white space.</summary>
    public static string NotBlank(string expression) => $"{expression}.matches('[^{WhiteSpaceClass}]')";

    /// <summary>True when the map <c>{parent}.{field}</c> exists and holds <paramref name="key"/> with a value that is not blank.</summary>
    public static string MapHasReason(string parent, string field, string key) =>
        $"(has({parent}.{field}) && {Quote(key)} in {parent}.{field} && {NotBlank($"{parent}.{field}[{Quote(key)}]")})";

    /// <summary>True when the map <c>{parent}.{field}</c> exists and maps <paramref name="key"/> to <paramref name="value"/>.</summary>
    public static string MapEquals(string parent, string field, string key, string value) =>
        $"(has({parent}.{field}) && {Quote(key)} in {parent}.{field} && {parent}.{field}[{Quote(key)}] == {Quote(value)})";

    /// <summary>A CEL list literal of single-quoted strings.</summary>
    public static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";

    /// <summary>A CEL single-quoted string literal.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder("'");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '\'' => "\\'",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(CultureInfo.InvariantCulture),
            });
        }

        return text.Append('\'').ToString();
    }

    /// <summary>Turns a rule ID into a CEL variable name: <c>exemptSBX2001</c>.</summary>
    public static string ExemptVariable(string ruleId) => "exempt" + ruleId;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
