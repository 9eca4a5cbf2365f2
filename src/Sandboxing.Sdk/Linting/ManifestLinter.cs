using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk;

/// <summary>
/// Lints YAML manifests with the one validator (<see cref="SandboxValidator"/>): finds every object of a pod-bearing kind
/// (the kinds of <see cref="SandboxValidationOptions.PodTemplates"/>, built-in and custom resources, in multi-document files and in
/// <c>List</c> items), binds it onto its KubernetesClient model (each pod spec of a custom resource onto a <c>V1PodSpec</c>),
/// validates it and maps each finding's field path back to a line and column. The tenant rules (SBX4xxx) check each Namespace
/// labelled <c>sandboxing.sdk/tenant</c> against the objects around it (see <see cref="ManifestLintProfile"/>) and are placed
/// the same way. The SDK, <c>sandboxing lint</c>, <c>sandboxing tenant --check</c> and <c>sandboxing audit</c> all report through it.
/// </summary>
public static class ManifestLinter
{
    /// <summary>Lints text.</summary>
    public static ManifestLintResult Lint(string text, string source = "<input>", ManifestLintOptions? options = null) =>
        Lint(ManifestSource.FromText(text, source), options);

    /// <summary>Lints a decoded source; never throws for bad input, which comes back as <see cref="ManifestLintResult.Problems"/>.</summary>
    public static ManifestLintResult Lint(ManifestSource source, ManifestLintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Lint([source], options)[0];
    }

    /// <summary>
    /// Lints several sources, one result each in their order; never throws for bad input. With
    /// <see cref="ManifestLintProfile.Tenant"/> a tenant namespace in one source is checked against the objects of all of them.
    /// </summary>
    public static IReadOnlyList<ManifestLintResult> Lint(IEnumerable<ManifestSource> sources, ManifestLintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        options ??= ManifestLintOptions.Default;
        var list = sources.ToList();
        var results = list.Select(source => LintPods(source ?? throw new ArgumentException("a source is null.", nameof(sources)), options)).ToList();
        var tenant = TenantFindings.Find(list, options);
        for (int i = 0; i < results.Count; i++)
        {
            if (tenant[i].Count > 0)
            {
                results[i] = results[i].With([.. results[i].Findings, .. tenant[i]], results[i].Problems);
            }
        }

        return results;
    }

    /// <summary>The pod rules of one source: every pod-bearing object, its findings placed at their fields.</summary>
    private static ManifestLintResult LintPods(ManifestSource source, ManifestLintOptions options)
    {
        var findings = new List<ManifestFinding>();
        var problems = new List<ManifestProblem>();
        var objects = new List<ManifestPodObject>();
        int count = 0;
        try
        {
            // One document at a time: a document's nodes are dropped once it is linted. Findings of the documents before a
            // syntax error are kept; the error is reported with its line and column.
            int index = 0;
            foreach (var document in ManifestParser.ParseDocuments(source, options.Read))
            {
                objects.Clear();
                ManifestObjects.FindPodObjects(document, ++index, options.Validation.PodTemplates, objects);
                LintObjects(source.Name, objects, options, findings, problems);
                count += objects.Count;
                Undeclared(source.Name, document, index, options.Validation.PodTemplates, findings);
            }
        }
        catch (ManifestException e)
        {
            problems.AddRange(e.Problems);
        }

        return new ManifestLintResult(source.Name, findings, problems, count);
    }

    /// <summary>SBX0003 for each pod spec in an object of a custom kind the registry does not know: its pods pass unchecked otherwise.</summary>
    private static void Undeclared(string name, YamlDotNet.RepresentationModel.YamlDocument document, int index, PodTemplateRegistry registry, List<ManifestFinding> findings)
    {
        foreach (var entry in ManifestObjects.Objects(document, index))
        {
            if (entry.BadItemsOf is not null || entry.Node is not YamlDotNet.RepresentationModel.YamlMappingNode node
                || !UndeclaredPodSpecs.IsUndeclared(node, registry, out var kind, out var group))
            {
                continue;
            }

            var metadata = ManifestObjects.Child(node, "metadata") as YamlDotNet.RepresentationModel.YamlMappingNode;
            string? objectName = metadata is null ? null : ManifestObjects.ScalarValue(metadata, "name");
            string? ns = metadata is null ? null : ManifestObjects.ScalarValue(metadata, "namespace");
            var who = objectName is null ? kind : $"{kind} {(ns is null ? "" : ns + "/")}{objectName}";
            foreach (var (path, spec) in UndeclaredPodSpecs.Find(node))
            {
                var rule = SandboxRules.UnknownPodSpecPath;
                var finding = new SandboxFinding(rule, rule.DefaultSeverity, kind, ns, objectName, path, rule.Format(who, path, kind, group));
                findings.Add(new ManifestFinding(finding, name, (int)spec.Start.Line, (int)spec.Start.Column, index, true));
            }
        }
    }

    private static void LintObjects(string name, IReadOnlyList<ManifestPodObject> objects, ManifestLintOptions options, List<ManifestFinding> findings, List<ManifestProblem> problems)
    {
        const string advice = "fix the value (kubectl would refuse it too)";
        foreach (var obj in objects)
        {
            if (!obj.TryToModel(name, advice, problems, out var model) || !obj.TryGetSites(model, name, advice, problems, out var sites))
            {
                continue;
            }

            if (sites.Count == 0 && model is UnstructuredObject && PodTemplateRegistry.Default.Find(model.ApiVersion, obj.Kind) is null)
            {
                // A kind the user declared whose paths match nothing here: a wrong path would hide every pod of the kind.
                var rule = SandboxRules.UnknownPodSpecPath;
                var found = UndeclaredPodSpecs.Find(obj.Node).Select(p => p.Path).ToList();
                var hint = found.Count > 0 ? $" (a pod spec is at {string.Join(", ", found)})" : "";
                var message = SandboxRules.DeclaredPathsMatchNothing(PodTemplates.Describe(model), obj.Kind, string.Join(", ", obj.Entry.SpecPaths), hint);
                var finding = new SandboxFinding(rule, rule.DefaultSeverity, obj.Kind, model.Metadata?.NamespaceProperty, model.Metadata?.Name,
                    obj.Entry.SpecPaths[0], message);
                findings.Add(new ManifestFinding(finding, name, (int)obj.Node.Start.Line, (int)obj.Node.Start.Column, obj.DocumentIndex, true));
                continue;
            }

            foreach (var (site, specNode, metadataPath) in sites)
            {
                // Values the rules read that are unrendered template expressions: one warning each, and no finding about that
                // field, whose real value is not known yet.
                var templated = TemplatedFields(specNode, site.SpecPath);
                foreach (var (path, node) in templated)
                {
                    var finding = new SandboxFinding(SandboxRules.UnrenderedTemplateValue, SandboxRules.UnrenderedTemplateValue.DefaultSeverity,
                        PodTemplates.KindOf(model), model.Metadata?.NamespaceProperty, model.Metadata?.Name, path,
                        SandboxRules.UnrenderedTemplateValue.Format(PodTemplates.Describe(model), path, node.Value));
                    findings.Add(new ManifestFinding(finding, name, (int)node.Start.Line, (int)node.Start.Column, obj.DocumentIndex, true));
                }

                var found = SandboxValidator.Validate(site, options.Validation);
                foreach (var finding in found)
                {
                    if (templated.Count > 0 && templated.Any(t => string.Equals(t.Path, finding.Path, StringComparison.Ordinal)))
                    {
                        continue;
                    }

                    var mark = ManifestPaths.Locate(obj.Node, NodePath(finding.Path, metadataPath), out bool exists);
                    findings.Add(new ManifestFinding(finding, name, (int)mark.Line, (int)mark.Column, obj.DocumentIndex, exists));
                }
            }
        }
    }

    /// <summary>The fields the rules read (runtimeClassName, images, resources) whose values are unrendered template expressions.</summary>
    private static List<(string Path, YamlScalarNode Node)> TemplatedFields(YamlMappingNode spec, string specPath)
    {
        var result = new List<(string, YamlScalarNode)>();

        void Check(YamlNode? node, string path)
        {
            if (node is YamlScalarNode { Value: var value } scalar && YamlModelBinder.IsTemplateExpression(value))
            {
                result.Add((path, scalar));
            }
        }

        Check(YamlMaps.Child(spec, "runtimeClassName"), specPath + ".runtimeClassName");
        foreach (var field in (string[])["containers", "initContainers", "ephemeralContainers"])
        {
            if (YamlMaps.Child(spec, field) is not YamlSequenceNode containers)
            {
                continue;
            }

            for (int i = 0; i < containers.Children.Count; i++)
            {
                if (containers.Children[i] is not YamlMappingNode container)
                {
                    continue;
                }

                var at = $"{specPath}.{field}[{i}]";
                Check(YamlMaps.Child(container, "image"), at + ".image");
                if (YamlMaps.Child(container, "resources") is YamlMappingNode resources)
                {
                    foreach (var part in (string[])["limits", "requests"])
                    {
                        if (YamlMaps.Child(resources, part) is YamlMappingNode quantities)
                        {
                            foreach (var entry in YamlMaps.Entries(quantities))
                            {
                                Check(entry.Value, $"{at}.resources.{part}.{(entry.Key as YamlScalarNode)?.Value}");
                            }
                        }
                    }
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The validator names template annotations <c>template metadata.annotations['…']</c>; in the YAML they are at the pods'
    /// metadata path (<c>spec.template.metadata</c>, or Spark's <c>spec.driver</c>).
    /// </summary>
    private static string NodePath(string path, string metadataPath)
    {
        const string templatePrefix = "template metadata";
        return path.StartsWith(templatePrefix, StringComparison.Ordinal) ? metadataPath + path[templatePrefix.Length..] : path;
    }
}
