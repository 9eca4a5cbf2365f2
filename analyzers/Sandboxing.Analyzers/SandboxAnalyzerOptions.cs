using System;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Sandboxing.Sdk;

namespace Sandboxing.Analyzers;

/// <summary>
/// The analyzer's settings, read from <c>.editorconfig</c> (or a global config) for each syntax tree:
/// <c>sandboxing.allowed_runtime_classes</c>, <c>sandboxing.fix_runtime_class</c>, <c>sandboxing.excluded_namespaces</c>,
/// <c>sandboxing.excluded_types</c> and <c>sandboxing.analyze_generated_code</c>.
/// </summary>
internal sealed class SandboxAnalyzerOptions
{
    public const string AllowedRuntimeClassesKey = "sandboxing.allowed_runtime_classes";
    public const string FixRuntimeClassKey = "sandboxing.fix_runtime_class";
    public const string ExcludedNamespacesKey = "sandboxing.excluded_namespaces";
    public const string ExcludedTypesKey = "sandboxing.excluded_types";
    public const string AnalyzeGeneratedCodeKey = "sandboxing.analyze_generated_code";

    private static readonly ConditionalWeakTable<AnalyzerConfigOptions, SandboxAnalyzerOptions> s_cache = new();

    public static readonly SandboxAnalyzerOptions Default = new(null, null, null, null, null);

    private readonly Regex[] _excludedNamespaces;
    private readonly Regex[] _excludedTypes;

    private SandboxAnalyzerOptions(string? allowed, string? fix, string? namespaces, string? types, string? generated)
    {
        var allowedList = Split(allowed);
        AllowedRuntimeClasses = allowedList.Length > 0
            ? allowedList
            : KnownRuntimeClasses.DefaultAllowed.ToImmutableArray();
        FixRuntimeClass = string.IsNullOrWhiteSpace(fix) ? null : fix!.Trim();
        _excludedNamespaces = Split(namespaces).Select(p => Wildcard(p, namespacePattern: true)).ToArray();
        _excludedTypes = Split(types).Select(p => Wildcard(p, namespacePattern: false)).ToArray();
        AnalyzeGeneratedCode = !string.Equals(generated?.Trim(), "false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The runtime classes that count as sandboxes (default: the catalog's one default allow-list, as the SDK and the policies).</summary>
    public ImmutableArray<string> AllowedRuntimeClasses { get; }

    /// <summary>The runtime class the SBX1001 fix inserts, when configured; null means the SDK default (kata-vm-isolation).</summary>
    public string? FixRuntimeClass { get; }

    /// <summary>The runtime class named in messages and inserted by the fix.</summary>
    public string EffectiveFixRuntimeClass => FixRuntimeClass ?? KnownRuntimeClasses.Default;

    /// <summary>False when <c>sandboxing.analyze_generated_code = false</c>.</summary>
    public bool AnalyzeGeneratedCode { get; }

    public bool IsAllowed(string name) => AllowedRuntimeClasses.Contains(name, StringComparer.Ordinal);

    public bool IsExcluded(ISymbol? symbol)
    {
        if (symbol is null || (_excludedNamespaces.Length == 0 && _excludedTypes.Length == 0))
        {
            return false;
        }

        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        var ns = (symbol as INamespaceSymbol) ?? type?.ContainingNamespace ?? symbol.ContainingNamespace;
        if (ns is not null && _excludedNamespaces.Length > 0)
        {
            string name = ns.IsGlobalNamespace ? string.Empty : ns.ToDisplayString();
            if (_excludedNamespaces.Any(r => r.IsMatch(name)))
            {
                return true;
            }
        }

        for (var t = type; t is not null && _excludedTypes.Length > 0; t = t.ContainingType)
        {
            string full = t.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None));
            if (_excludedTypes.Any(r => r.IsMatch(full) || r.IsMatch(t.Name)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The settings for <paramref name="tree"/>, parsed once per options instance.</summary>
    public static SandboxAnalyzerOptions For(AnalyzerOptions options, SyntaxTree tree)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        return s_cache.GetValue(config, Parse);
    }

    private static SandboxAnalyzerOptions Parse(AnalyzerConfigOptions config)
    {
        config.TryGetValue(AllowedRuntimeClassesKey, out var allowed);
        config.TryGetValue(FixRuntimeClassKey, out var fix);
        config.TryGetValue(ExcludedNamespacesKey, out var namespaces);
        config.TryGetValue(ExcludedTypesKey, out var types);
        config.TryGetValue(AnalyzeGeneratedCodeKey, out var generated);
        if (allowed is null && fix is null && namespaces is null && types is null && generated is null)
        {
            return Default;
        }

        return new SandboxAnalyzerOptions(allowed, fix, namespaces, types, generated);
    }

    private static readonly char[] s_separators = { ',', ';', ' ', '\t' };

    private static ImmutableArray<string> Split(string? value) =>
        value is null
            ? ImmutableArray<string>.Empty
            : value.Split(s_separators, StringSplitOptions.RemoveEmptyEntries)
                .Select(s => s.Trim())
                .Where(s => s.Length > 0)
                .ToImmutableArray();

    /// <summary>
    /// <c>*</c> matches any run of characters and <c>?</c> one character; a namespace pattern ending in <c>.*</c> also matches
    /// the namespace itself (<c>Acme.Legacy.*</c> matches <c>Acme.Legacy</c> and <c>Acme.Legacy.Jobs</c>).
    /// </summary>
    internal static Regex Wildcard(string pattern, bool namespacePattern)
    {
        string body = Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".");
        if (namespacePattern && pattern.EndsWith(".*", StringComparison.Ordinal))
        {
            body = Regex.Escape(pattern.Substring(0, pattern.Length - 2)).Replace(@"\*", ".*").Replace(@"\?", ".") + @"(\..*)?";
        }

        return new Regex("^" + body + "$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(100));
    }
}
