using Sandboxing.Sdk;

namespace Sandboxing.Cli.Config;

/// <summary>
/// The settings of a <c>.sandboxing.yaml</c> file (see docs/config.md). Each is null or empty when the file does not set it, so
/// the command falls back to its default; flags on the command line override the file.
/// </summary>
internal sealed record SandboxingConfig
{
    /// <summary>No config file: every setting at its default.</summary>
    public static SandboxingConfig None { get; } = new();

    /// <summary>The file's absolute path; null for <see cref="None"/>.</summary>
    public string? FullPath { get; init; }

    /// <summary>The file as messages name it (relative to the working directory when it is below it).</summary>
    public string DisplayPath { get; init; } = "";

    /// <summary><c>allowedRuntimeClasses</c>: the classes that count as sandboxes (the whole list), or null for the defaults.</summary>
    public IReadOnlyList<string>? AllowedRuntimeClasses { get; init; }

    /// <summary><c>runtime</c>: the class <c>fix</c> adds and messages suggest, or null for the default.</summary>
    public string? Runtime { get; init; }

    /// <summary>Where <c>runtime</c> is written in the file (line and column, from 1), for messages about its value.</summary>
    public (int Line, int Column) RuntimePosition { get; init; }

    /// <summary><c>runtimeClasses</c>: RuntimeClasses the cluster defines, every one with a sandbox handler.</summary>
    public IReadOnlyList<RuntimeClassDefinition> RuntimeClasses { get; init; } = [];

    /// <summary><c>readRuntimeClassesFromInputs</c>: learn the RuntimeClass objects of the inputs (default true).</summary>
    public bool ReadRuntimeClassesFromInputs { get; init; } = true;

    /// <summary><c>exclude</c>: globs of files found in folders to leave out.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary><c>podTemplates</c>: the custom kinds the file adds (already in <see cref="PodTemplates"/>).</summary>
    public IReadOnlyList<PodTemplateKind> CustomKinds { get; init; } = [];

    /// <summary>Where each of <see cref="CustomKinds"/> is declared in the file (line and column of its entry), by kind.</summary>
    public IReadOnlyDictionary<string, (int Line, int Column)> CustomKindPositions { get; init; } = new Dictionary<string, (int, int)>();

    /// <summary>The registry of kinds whose pod specs are read: the default one with <see cref="CustomKinds"/> added.</summary>
    public PodTemplateRegistry PodTemplates { get; init; } = PodTemplateRegistry.Default;

    /// <summary><c>rules</c>: a severity per rule ID; null turns the rule off.</summary>
    public IReadOnlyDictionary<string, SandboxSeverity?> Rules { get; init; } = new Dictionary<string, SandboxSeverity?>();

    /// <summary>
    /// The config file above this one (up to the git root) that this one replaces for its inputs, or null. Files are not
    /// merged; outputs name both, and every setting in which this file is weaker (<see cref="ConfigNames"/>).
    /// </summary>
    public SandboxingConfig? Outer { get; init; }

    /// <summary>The folder the file is in; null for <see cref="None"/>.</summary>
    public string? Directory => FullPath is null ? null : Path.GetDirectoryName(FullPath);
}
